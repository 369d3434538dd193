// The Notifications page's settings: which events each channel is told (one row of checkboxes per
// channel), and the organisation's remediation deadlines (days per phase before a step is overdue). Both
// are saved through the API, which audits them; names are only ever React text.

import { useState } from 'react';
import type { FormEvent } from 'react';
import { api, ApiError, qs } from '../api/client.js';
import { useApi } from '../api/hooks.js';
import type { ChannelView } from '../api/types.js';
import { ErrorBox, Loading } from '../components/Status.js';

export const EVENT_TEXT: Record<string, string> = {
  'server.compromised': 'a server becomes compromised',
  'server.exploited': 'a server becomes exploited',
  'remediation.overdue': 'a remediation step is overdue',
  'campaign.new': 'an attacker campaign reaches a second server',
  'campaign.grown': 'a campaign reaches another server',
  'retrohunt.hit': 'a retro-hunt finds something new on a server',
  'agent.silent': 'a server’s agent goes silent',
  test: 'tests',
};

const PHASE_TEXT: Record<string, string> = {
  preserve: 'Preserve evidence',
  contain: 'Contain',
  eradicate: 'Eradicate',
  patch: 'Patch',
  verify: 'Verify',
  recover: 'Recover',
};

/** One form per channel: a checkbox per event, saved with the row's button. */
export function ChannelEvents(p: { channels: ChannelView[]; events: string[]; onSaved: () => void }) {
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();
  const events = p.events.filter((e) => e !== 'test');
  const save = async (e: FormEvent<HTMLFormElement>, c: ChannelView) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const chosen = events.filter((x) => f.get(x) === 'on');
    setError(undefined);
    setNote(undefined);
    if (chosen.length === 0) return setError(`“${c.name}” must take at least one event (or remove it).`);
    try {
      await api(`/notifications/channels/${c.id}`, { method: 'PATCH', body: { events: chosen } });
      setNote(`Saved the events of “${c.name}”.`);
      p.onSaved();
    } catch (x) {
      setError(x instanceof ApiError ? x.message : 'failed');
    }
  };
  if (p.channels.length === 0) return null;
  return (
    <section aria-labelledby="events-h">
      <h2 id="events-h">What each channel is told</h2>
      <p className="muted">
        Campaigns are attacker clusters among this organisation’s own servers (background noise such as
        internet-wide scanners never counts); a notification names only this organisation’s servers.
      </p>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {note ? <p role="status">{note}</p> : null}
      {p.channels.map((c) => (
        <form
          key={`${c.id}:${c.events.join(',')}`}
          aria-label={`Events of ${c.name}`}
          className="fields"
          onSubmit={(e) => void save(e, c)}
        >
          <fieldset>
            <legend>{c.name}</legend>
            {events.map((x) => (
              <label key={x}>
                <input name={x} type="checkbox" defaultChecked={c.events.includes(x)} /> {EVENT_TEXT[x] ?? x}
              </label>
            ))}
          </fieldset>
          <button type="submit">
            Save<span className="visually-hidden"> the events of {c.name}</span>
          </button>
        </form>
      ))}
    </section>
  );
}

/** The organisation's deadlines; administrators see it once they have chosen an organisation. */
export function OverdueDeadlines(p: { org: string | undefined; needsOrg: boolean }) {
  const path = p.needsOrg && !p.org ? null : (`/notifications/overdue${qs({ org: p.org })}` as const);
  const data = useApi('/notifications/overdue', path);
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();
  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!data.data) return;
    const f = new FormData(e.currentTarget);
    const days = Object.fromEntries(Object.keys(data.data.days).map((k) => [k, Number(f.get(k))]));
    setError(undefined);
    setNote(undefined);
    try {
      await api(`/notifications/overdue${qs({ org: p.org })}`, { method: 'PATCH', body: { days } });
      setNote('Saved the remediation deadlines.');
      data.reload();
    } catch (x) {
      setError(x instanceof ApiError ? x.message : 'failed');
    }
  };
  return (
    <section aria-labelledby="overdue-h">
      <h2 id="overdue-h">Remediation deadlines</h2>
      <p className="muted">
        Days a remediation step of each phase may stay open (or in progress) before “a remediation step is
        overdue” goes out, once per step. Steps without a phase get the longest.
      </p>
      {path === null ? <p>Choose an organisation to see its deadlines.</p> : null}
      {data.error ? <ErrorBox error={data.error} /> : null}
      {path !== null && !data.data && !data.error ? <Loading what="Loading deadlines" /> : null}
      {data.data ? (
        <form
          key={JSON.stringify(data.data.days)}
          aria-label="Remediation deadlines"
          className="fields"
          onSubmit={(e) => void save(e)}
        >
          {Object.entries(data.data.days).map(([phase, days]) => (
            <label key={phase}>
              {PHASE_TEXT[phase] ?? phase} (days){' '}
              <input
                name={phase}
                type="number"
                min={data.data?.min}
                max={data.data?.max}
                required
                defaultValue={days}
              />{' '}
              <span className="muted small">
                {data.data?.custom.includes(phase) ? `default ${data.data.defaults[phase]}` : 'default'}
              </span>
            </label>
          ))}
          {error ? (
            <p className="error" role="alert">
              {error}
            </p>
          ) : null}
          {note ? <p role="status">{note}</p> : null}
          <button type="submit">Save the deadlines</button>
        </form>
      ) : null}
    </section>
  );
}
