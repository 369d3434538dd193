// Notifications: who is told when a server turns compromised or exploited, when an attacker campaign
// appears or grows, and when a remediation step is overdue. Analysts add webhook, e-mail and syslog channels
// for their organisation (administrators choose the organisation), choose what each is told, set the
// remediation deadlines, send a test and see each channel's deliveries. Names and errors are only React text.

import { useState } from 'react';
import type { FormEvent } from 'react';
import { api, ApiError, qs } from '../api/client.js';
import { useApi } from '../api/hooks.js';
import type { ChannelView } from '../api/types.js';
import { OrgPicker } from '../components/OrgPicker.js';
import { ChannelEvents, EVENT_TEXT, OverdueDeadlines } from './NotifySettings.js';
import { ErrorBox, Loading } from '../components/Status.js';
import { actorName, utc } from '../format.js';
import { useParam } from '../router.js';
import { can, useSession } from '../session.js';
import { useTitle } from '../title.js';
import { formText } from '../form.js';

function target(c: ChannelView): string {
  const k = c.config;
  if (c.kind === 'webhook') return typeof k.url === 'string' ? k.url : '';
  if (c.kind === 'smtp') return `${String(k.host)}:${String(k.port)} → ${(k.to as string[] | undefined)?.join(', ') ?? ''}`; // prettier-ignore
  return `${String(k.transport)}://${String(k.host)}:${String(k.port)} (${String(k.format)})`;
}

export function NotificationsPage() {
  useTitle('Notifications');
  const { me } = useSession();
  const [org] = useParam('org');
  const list = useApi('/notifications/channels', `/notifications/channels${qs({ org })}`);
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();
  const act = async (f: () => Promise<unknown>, done: string) => {
    setError(undefined);
    setNote(undefined);
    try {
      await f();
      setNote(done);
      list.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'failed');
    }
  };
  if (!can(me, 'analyst'))
    return (
      <section>
        <h1>Notifications</h1>
        <p>Analysts and administrators set up notifications.</p>
      </section>
    );
  return (
    <>
      <div className="page-head">
        <h1>Notifications</h1>
        <OrgPicker />
      </div>
      <p className="muted">
        Told when a server of the organisation becomes compromised or exploited, when an attacker campaign
        reaches a second server of the organisation or another one, or when a remediation step stays open
        longer than the organisation’s deadline for its phase (below): a signed webhook (JSON, header
        X-Exhunt-Signature: sha256 HMAC of “timestamp.body”), e-mail through your SMTP server, or syslog (RFC
        5424, JSON or CEF) for a SIEM. Failed deliveries are retried with backoff (30 s, doubling) for about
        an hour, then shown as failed.
      </p>
      {list.error ? <ErrorBox error={list.error} /> : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {note ? <p role="status">{note}</p> : null}
      {!list.data ? (
        <Loading what="Loading channels" />
      ) : list.data.items.length === 0 ? (
        <p>No channel yet.</p>
      ) : (
        <table aria-label="Channels">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Sends to</th>
              <th>Events</th>
              <th>Last sent (UTC)</th>
              <th>Waiting / failed</th>
              <th>Added by</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.kind}</td>
                <td className="mono">{target(c)}</td>
                <td>{c.events.map((e) => EVENT_TEXT[e] ?? e).join('; ')}</td>
                <td>{c.lastSentAt ? utc(c.lastSentAt) : '—'}</td>
                <td title={c.lastError ?? undefined}>
                  {c.pending} / {c.failed}
                  {c.lastError ? <div className="muted small">last error: {c.lastError}</div> : null}
                </td>
                <td>{actorName(c.createdBy)}</td>
                <td>
                  <button
                    type="button"
                    onClick={() =>
                      void act(
                        () => api(`/notifications/channels/${c.id}/test`, { method: 'POST' }),
                        `A test is on its way to “${c.name}”.`,
                      )
                    }
                  >
                    Send a test<span className="visually-hidden"> to {c.name}</span>
                  </button>{' '}
                  <button
                    type="button"
                    onClick={() => {
                      if (!window.confirm(`Remove the channel “${c.name}”?`)) return;
                      void act(
                        () => api(`/notifications/channels/${c.id}`, { method: 'DELETE' }),
                        `Removed “${c.name}”.`,
                      );
                    }}
                  >
                    Remove<span className="visually-hidden"> {c.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data ? (
        <ChannelEvents channels={list.data.items} events={list.data.events} onSaved={() => list.reload()} />
      ) : null}
      <OverdueDeadlines org={org} needsOrg={can(me, 'administrator')} />
      <AddChannel
        org={org}
        events={list.data?.events ?? []}
        onAdded={(name) => void act(() => Promise.resolve(), `Added “${name}”.`)}
      />
    </>
  );
}

function AddChannel(p: { org: string | undefined; events: string[]; onAdded: (name: string) => void }) {
  const [kind, setKind] = useState<'webhook' | 'smtp' | 'syslog'>('webhook');
  const [error, setError] = useState<string>();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => formText(f, k).trim();
    const config =
      kind === 'webhook'
        ? { url: s('url'), secret: s('secret') }
        : kind === 'smtp'
          ? {
              host: s('host'),
              port: Number(s('port')),
              secure: f.get('secure') === 'on',
              ...(s('user') ? { user: s('user'), password: s('password') } : {}),
              from: s('from'),
              to: s('to')
                .split(/[\s,;]+/)
                .filter(Boolean),
            }
          : { host: s('host'), port: Number(s('port')), transport: s('transport'), format: s('format') };
    const events = p.events.filter((x) => x !== 'test' && f.get(`ev-${x}`) === 'on');
    setError(undefined);
    try {
      await api(`/notifications/channels${qs({ org: p.org })}`, {
        method: 'POST',
        body: { kind, name: s('name'), config, events },
      });
      e.currentTarget?.reset();
      p.onAdded(s('name'));
    } catch (x) {
      setError(x instanceof ApiError ? x.message : 'failed');
    }
  };
  return (
    <section aria-labelledby="add-h">
      <h2 id="add-h">Add a channel</h2>
      <form aria-label="Add a channel" onSubmit={(e) => void submit(e)} className="fields">
        <label>
          Kind{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            <option value="webhook">Webhook</option>
            <option value="smtp">E-mail (SMTP)</option>
            <option value="syslog">Syslog</option>
          </select>
        </label>
        <label>
          Name <input name="name" required maxLength={100} />
        </label>
        {kind === 'webhook' ? (
          <>
            <label>
              URL <input name="url" type="url" required placeholder="https://soc.example/hooks/exhunt" />
            </label>
            <label>
              Shared secret (16 characters or more) <input name="secret" required minLength={16} />
            </label>
          </>
        ) : (
          <>
            <label>
              Host <input name="host" required />
            </label>
            <label>
              Port{' '}
              <input
                name="port"
                type="number"
                min={1}
                max={65535}
                required
                defaultValue={kind === 'smtp' ? 25 : 514}
              />
            </label>
          </>
        )}
        {kind === 'smtp' ? (
          <>
            <label>
              <input name="secure" type="checkbox" /> TLS from the start (port 465)
            </label>
            <label>
              User (if the server wants one) <input name="user" autoComplete="off" />
            </label>
            <label>
              Password <input name="password" type="password" autoComplete="new-password" />
            </label>
            <label>
              From <input name="from" type="email" required />
            </label>
            <label>
              To (one or more addresses) <input name="to" required />
            </label>
          </>
        ) : null}
        {kind === 'syslog' ? (
          <>
            <label>
              Transport{' '}
              <select name="transport" defaultValue="udp">
                <option value="udp">UDP</option>
                <option value="tcp">TCP (octet counting)</option>
              </select>
            </label>
            <label>
              Format{' '}
              <select name="format" defaultValue="json">
                <option value="json">JSON</option>
                <option value="cef">CEF</option>
              </select>
            </label>
          </>
        ) : null}
        <fieldset>
          <legend>Tell it when</legend>
          {p.events
            .filter((x) => x !== 'test')
            .map((x) => (
              <label key={x}>
                <input name={`ev-${x}`} type="checkbox" defaultChecked /> {EVENT_TEXT[x] ?? x}
              </label>
            ))}
        </fieldset>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit">Add the channel</button>
      </form>
    </section>
  );
}
