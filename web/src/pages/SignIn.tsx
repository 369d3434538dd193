// Sign-in with a username and password; the server sets an HttpOnly session cookie.

import { useState } from 'react';
import type { FormEvent } from 'react';
import { api, ApiError, get } from '../api/client.js';
import type { Me } from '../api/types.js';
import { useTitle } from '../title.js';
import { formText } from '../form.js';

export function SignIn({ onSignedIn }: { onSignedIn(me: Me): void }) {
  useTitle('Sign in');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      await api('/session', {
        method: 'POST',
        body: { username: formText(form, 'username'), password: formText(form, 'password') },
      });
      onSignedIn(await get('/session', '/session'));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'sign-in failed');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="signin" id="main">
      <h1>exhunt</h1>
      <p className="muted">Exchange incident response: sign in to see your servers.</p>
      <form onSubmit={submit} aria-describedby={error ? 'signin-error' : undefined}>
        <label htmlFor="username">Username</label>
        <input id="username" name="username" autoComplete="username" required autoFocus />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error ? (
          <p id="signin-error" className="error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </main>
  );
}
