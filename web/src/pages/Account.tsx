// The signed-in user's account: who they are, and a new password (their other sessions then end).

import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, send } from '../api/client.js';
import { useSession } from '../session.js';
import { useTitle } from '../title.js';
import { formText } from '../form.js';

export function AccountPage() {
  useTitle('Account');
  const { me } = useSession();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<number>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setError(undefined);
    setDone(undefined);
    if (form.get('password') !== form.get('again')) {
      setError('the two new passwords differ');
      return;
    }
    setBusy(true);
    try {
      const r = await send('POST /session/password', '/session/password', {
        current: formText(form, 'current'),
        password: formText(form, 'password'),
      });
      formEl.reset();
      setDone(r.sessionsEnded);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'the password could not be changed');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <h1>Account</h1>
      <p>
        {me.name} · {me.role}
        {me.organisation ? ` · ${me.organisation}` : ''}
      </p>
      {me.kind !== 'user' ? (
        <p className="muted">You are using an API token: it has no password.</p>
      ) : (
        <form onSubmit={submit} className="upload" aria-describedby={error ? 'password-error' : undefined}>
          <h2>Change your password</h2>
          <label htmlFor="current">Current password</label>
          <input id="current" name="current" type="password" autoComplete="current-password" required />
          <label htmlFor="password">New password (at least 12 characters)</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={12}
            required
          />
          <label htmlFor="again">New password again</label>
          <input
            id="again"
            name="again"
            type="password"
            autoComplete="new-password"
            minLength={12}
            required
          />
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Changing…' : 'Change password'}
          </button>
          {done !== undefined ? (
            <p className="ok" role="status">
              Password changed. {done === 1 ? 'One other session' : `${done} other sessions`} signed out.
            </p>
          ) : null}
          {error ? (
            <p id="password-error" className="error" role="alert">
              {error}
            </p>
          ) : null}
        </form>
      )}
    </section>
  );
}
