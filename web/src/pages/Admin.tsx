// Administration: organisations, users and API tokens. Generated passwords and token secrets are shown once,
// as the server returns them, and never again.

import { useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { api, ApiError, send } from '../api/client.js';
import { useApi } from '../api/hooks.js';
import type { Organisation, Role, TokenView, UserView } from '../api/types.js';
import { ErrorBox } from '../components/Status.js';
import { utc } from '../format.js';
import { useSession } from '../session.js';
import { useTitle } from '../title.js';
import { formText } from '../form.js';

const ROLES: Role[] = ['analyst', 'viewer', 'administrator'];

export function AdminPage() {
  useTitle('Administration');
  const { me } = useSession();
  const orgs = useApi('/organisations', '/organisations');
  if (me.role !== 'administrator') return <p>Administration needs the administrator role.</p>;
  const orgName = (id: number | null) =>
    id === null ? 'all (administrator)' : (orgs.data?.items.find((o) => o.id === id)?.name ?? String(id));
  return (
    <>
      <div className="page-head">
        <h1>Administration</h1>
      </div>
      <Organisations orgs={orgs.data?.items ?? []} onChange={orgs.reload} />
      <Users orgs={orgs.data?.items ?? []} orgName={orgName} />
      <Tokens orgs={orgs.data?.items ?? []} orgName={orgName} />
    </>
  );
}

/** Runs a form's request, shows its error, and resets the form on success. */
function useSubmit<T>(run: (form: FormData) => Promise<T>, done: (result: T) => void) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const el = e.currentTarget;
    setBusy(true);
    setError(undefined);
    try {
      done(await run(new FormData(el)));
      el.reset();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'failed');
    } finally {
      setBusy(false);
    }
  };
  return { onSubmit, error, busy };
}

function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </span>
  );
}

function OrgSelect({ orgs, id }: { orgs: Organisation[]; id: string }) {
  return (
    // Remounted when organisations are added, so the first one is chosen rather than the last choice kept.
    <select id={id} name="org" key={orgs.map((o) => o.id).join()}>
      {orgs.map((o) => (
        <option key={o.id} value={o.name}>
          {o.name}
        </option>
      ))}
      <option value="">none (administrators only)</option>
    </select>
  );
}

/** The role and organisation of a new user or token. */
function RoleAndOrg({ orgs }: { orgs: Organisation[] }) {
  return (
    <>
      <Field label="Role">
        {(id) => (
          <select id={id} name="role">
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Organisation">{(id) => <OrgSelect orgs={orgs} id={id} />}</Field>
    </>
  );
}

function FormError({ error }: { error: string | undefined }) {
  return error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : null;
}

function Secret({ label, value }: { label: string; value: string }) {
  return (
    <p className="secret" role="status">
      {label} (shown only now): <code>{value}</code>
    </p>
  );
}

function Organisations({ orgs, onChange }: { orgs: Organisation[]; onChange(): void }) {
  const form = useSubmit(
    (f) => send('POST /organisations', '/organisations', { name: formText(f, 'name').trim() }),
    onChange,
  );
  return (
    <section aria-labelledby="orgs-h">
      <h2 id="orgs-h">Organisations</h2>
      <ul className="plain-list">
        {orgs.map((o) => (
          <li key={o.id}>
            {o.name} <span className="muted small">since {utc(o.createdAt)}</span>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={form.onSubmit} aria-label="New organisation">
        <Field label="Organisation name">
          {(id) => <input id={id} name="name" required maxLength={200} />}
        </Field>
        <button type="submit" disabled={form.busy}>
          Create organisation
        </button>
        <FormError error={form.error} />
      </form>
    </section>
  );
}

function Users({ orgs, orgName }: { orgs: Organisation[]; orgName(id: number | null): string }) {
  const users = useApi('/users', '/users');
  const [created, setCreated] = useState<UserView>();
  const form = useSubmit(
    (f) => {
      const org = formText(f, 'org');
      return send('POST /users', '/users', {
        username: formText(f, 'username').trim(),
        role: f.get('role'),
        ...(org ? { org } : {}),
      });
    },
    (u) => {
      setCreated(u);
      users.reload();
    },
  );
  return (
    <section aria-labelledby="users-h">
      <h2 id="users-h">Users</h2>
      {users.error ? <ErrorBox error={users.error} /> : null}
      <table className="plain">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Role</th>
            <th scope="col">Organisation</th>
            <th scope="col">Created (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {(users.data?.items ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td>
              <td>{u.role}</td>
              <td>{orgName(u.organisationId)}</td>
              <td>{utc(u.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="inline-form" onSubmit={form.onSubmit} aria-label="New user">
        <Field label="Username">{(id) => <input id={id} name="username" required maxLength={200} />}</Field>
        <RoleAndOrg orgs={orgs} />
        <button type="submit" disabled={form.busy}>
          Create user
        </button>
        <FormError error={form.error} />
      </form>
      {created?.password ? (
        <Secret label={`Password for ${created.username}`} value={created.password} />
      ) : null}
    </section>
  );
}

function Tokens({ orgs, orgName }: { orgs: Organisation[]; orgName(id: number | null): string }) {
  const tokens = useApi('/tokens', '/tokens');
  const [created, setCreated] = useState<TokenView>();
  const [error, setError] = useState<string>();
  const form = useSubmit(
    (f) => {
      const org = formText(f, 'org');
      return send('POST /tokens', '/tokens', {
        name: formText(f, 'name').trim(),
        role: f.get('role'),
        ...(org ? { org } : {}),
      });
    },
    (t) => {
      setCreated(t);
      tokens.reload();
    },
  );
  const revoke = async (t: TokenView) => {
    if (!window.confirm(`Revoke the token “${t.name}”? Scripts using it stop working.`)) return;
    try {
      await api(`/tokens/${t.id}`, { method: 'DELETE' });
      tokens.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'failed');
    }
  };
  return (
    <section aria-labelledby="tokens-h">
      <h2 id="tokens-h">API tokens</h2>
      {tokens.error ? <ErrorBox error={tokens.error} /> : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <table className="plain">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Organisation</th>
            <th scope="col">Created (UTC)</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {(tokens.data?.items ?? []).map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>{t.role}</td>
              <td>{orgName(t.organisationId)}</td>
              <td>{utc(t.createdAt)}</td>
              <td>
                {t.revokedAt ? (
                  `revoked ${utc(t.revokedAt)}`
                ) : (
                  <button type="button" onClick={() => void revoke(t)}>
                    Revoke {t.name}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="inline-form" onSubmit={form.onSubmit} aria-label="New API token">
        <Field label="Token name">{(id) => <input id={id} name="name" required maxLength={200} />}</Field>
        <RoleAndOrg orgs={orgs} />
        <button type="submit" disabled={form.busy}>
          Create token
        </button>
        <FormError error={form.error} />
      </form>
      {created?.token ? <Secret label={`Token ${created.name}`} value={created.token} /> : null}
    </section>
  );
}
