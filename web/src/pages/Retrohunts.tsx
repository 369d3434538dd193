// Retro-hunts: start one (a feed or rule pack run again over what the fleet holds, within a time range),
// the list with each one's progress, and one hunt's page with its progress while it runs and its hits per
// server. Names, titles and errors come from feeds, rule packs and evidence: they are only ever React text.

import { useEffect, useId, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, qs, send } from '../api/client.js';
import { useApi } from '../api/hooks.js';
import type { RetrohuntHit, RetrohuntView } from '../api/types.js';
import { OrgPicker } from '../components/OrgPicker.js';
import { ErrorBox, Loading } from '../components/Status.js';
import { textColumn, VirtualTable } from '../components/VirtualTable.js';
import type { Column } from '../components/VirtualTable.js';
import { actorName, utc } from '../format.js';
import { Link, navigate, useParam } from '../router.js';
import { can, useSession } from '../session.js';
import { useTitle } from '../title.js';

const trigger = (h: RetrohuntView) =>
  `${h.trigger.kind === 'feed' ? 'feed' : 'rules'} ${h.trigger.id}: ${h.trigger.name}`;
const progress = (h: RetrohuntView) =>
  h.mode === 'index'
    ? 'stored indicators'
    : `${h.progress.done + h.progress.failed} / ${h.progress.total} bundles`;

/** Reloads every few seconds while `running`, so a hunt's page follows its progress. */
function useWhileRunning(running: boolean, reload: () => void): void {
  useEffect(() => {
    if (!running) return;
    const t = setInterval(reload, 2000);
    return () => clearInterval(t);
  }, [running, reload]);
}

export function RetrohuntsPage() {
  useTitle('Retro-hunts');
  const { me } = useSession();
  const [org] = useParam('org');
  const list = useApi('/retrohunts', `/retrohunts${qs({ org })}`);
  useWhileRunning(list.data?.items.some((h) => h.status === 'running') ?? false, list.reload);
  const columns = useMemo<Column<RetrohuntView>[]>(
    () => [
      textColumn('id', 'Hunt', (h) => String(h.id), '4.5rem'),
      textColumn('trigger', 'Feed or rule pack', trigger, 'minmax(12rem, 3fr)'),
      textColumn('status', 'Status', (h) => h.status, '6rem'),
      textColumn('progress', 'Progress', progress, '10rem'),
      textColumn('hits', 'Hits', (h) => `${h.hitCount} on ${h.servers} server(s)`, '10rem'),
      textColumn(
        'range',
        'Range (UTC)',
        (h) => `${h.since ? utc(h.since) : 'any'} – ${h.until ? utc(h.until) : 'any'}`,
        'minmax(12rem, 2fr)',
      ),
      textColumn('by', 'Started by', (h) => actorName(h.startedBy), 'minmax(7rem, 1fr)'),
      textColumn('at', 'Started (UTC)', (h) => utc(h.startedAt), '12.5rem'),
    ],
    [],
  );
  return (
    <>
      <div className="page-head">
        <h1>Retro-hunts</h1>
        <OrgPicker />
      </div>
      <p className="muted">
        A feed or rule pack run again over what the fleet already holds: the indicators stored from earlier
        findings at once, then every analysed evidence bundle, re-analysed by the workers. New hits become
        findings of their servers.
      </p>
      {can(me, 'analyst') ? <StartForm /> : null}
      {list.error ? <ErrorBox error={list.error} /> : null}
      {!list.data ? (
        <Loading what="Loading retro-hunts" />
      ) : (
        <VirtualTable
          label="Retro-hunts"
          data={list.data.items}
          columns={columns}
          rowId={(h) => String(h.id)}
          onActivate={(h) => navigate(`/retrohunts/${h.id}`)}
          sortParam="rsort"
          rowHeight={38}
          empty="No retro-hunt yet."
        />
      )}
    </>
  );
}

function StartForm() {
  const id = useId();
  const feeds = useApi('/feeds', '/feeds');
  const packs = useApi('/rule-packs', '/rule-packs');
  const [choice, setChoice] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const [kind, n] = choice.split(':');
    if (!kind || !n) return setError('Choose a feed or rule pack.');
    setError(undefined);
    try {
      const h = await send('POST /retrohunts', '/retrohunts', {
        [kind === 'feed' ? 'feed' : 'rules']: Number(n),
        ...(since ? { since: `${since}:00Z` } : {}),
        ...(until ? { until: `${until}:00Z` } : {}),
      });
      navigate(`/retrohunts/${h.id}`);
    } catch (x) {
      setError(x instanceof ApiError ? x.message : 'failed');
    }
  };
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label="Start a retro-hunt">
      <label htmlFor={`${id}-t`}>Run</label>
      <select id={`${id}-t`} value={choice} onChange={(e) => setChoice(e.target.value)}>
        <option value="">a feed or rule pack…</option>
        {feeds.data?.items.map((f) => (
          <option key={`f${f.id}`} value={`feed:${f.id}`}>
            feed {f.id}: {f.name}
          </option>
        ))}
        {packs.data?.items.map((p) => (
          <option key={`r${p.id}`} value={`rules:${p.id}`}>
            rules {p.id}: {p.name}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-s`}>from (UTC)</label>
      <input id={`${id}-s`} type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
      <label htmlFor={`${id}-u`}>to (UTC)</label>
      <input id={`${id}-u`} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
      <button type="submit">Start retro-hunt</button>
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  );
}

export function RetrohuntPage({ id }: { id: number }) {
  useTitle(`Retro-hunt ${id}`);
  const h = useApi('/retrohunts/:id', `/retrohunts/${id}`);
  useWhileRunning(h.data?.status === 'running', h.reload);
  const columns = useMemo<Column<RetrohuntHit>[]>(
    () => [
      {
        id: 'server',
        header: 'Server',
        cell: (c) => <Link to={`/servers/${c.row.original.serverId}`}>{c.row.original.server}</Link>,
        meta: { width: 'minmax(9rem, 1.5fr)' },
      },
      textColumn('title', 'Rule or indicator', (x) => x.title, 'minmax(14rem, 3fr)'),
      textColumn('author', 'Author', (x) => x.author, 'minmax(7rem, 1fr)'),
      textColumn('first', 'First (UTC)', (x) => utc(x.firstAt), '12.5rem'),
      textColumn('last', 'Last (UTC)', (x) => utc(x.lastAt), '12.5rem'),
      textColumn('n', 'Seen', (x) => String(x.occurrences), '5rem'),
      textColumn('via', 'Found in', (x) => (x.via === 'index' ? 'stored indicators' : x.via === 'bundle' ? 'bundles' : 'both'), '9rem'), // prettier-ignore
      textColumn('new', 'Finding', (x) => (x.isNew ? 'new' : 'already'), '6rem'),
    ],
    [],
  );
  if (h.error) return <ErrorBox error={h.error} />;
  if (!h.data) return <Loading what="Loading the retro-hunt" />;
  const d = h.data;
  const p = d.progress;
  return (
    <>
      <div className="page-head">
        <h1>
          Retro-hunt {d.id}: {trigger(d)}
        </h1>
      </div>
      <p>
        <Link to="/retrohunts">All retro-hunts</Link>
      </p>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="retrohunt-status">{d.status}</dd>
        <dt>Range (UTC)</dt>
        <dd>
          {d.since ? utc(d.since) : 'any'} – {d.until ? utc(d.until) : 'any'}
        </dd>
        <dt>Bundles</dt>
        <dd>
          <progress max={Math.max(1, p.total)} value={p.done + p.failed} aria-label="Bundles re-analysed" />{' '}
          {p.done + p.failed} / {p.total}
          {p.failed ? `; ${p.failed} could not be read` : ''}
          {p.withLoss ? `; ${p.withLoss} read with loss` : ''}
          {p.failed || p.withLoss ? ' (the answer is incomplete there: see below)' : ''}
        </dd>
        <dt>Hits</dt>
        <dd data-testid="retrohunt-hits">
          {d.hitCount} on {d.servers} server(s), {d.newFindings} new finding(s)
        </dd>
        <dt>Started</dt>
        <dd>
          {utc(d.startedAt)} by {actorName(d.startedBy)}
        </dd>
        {d.error ? (
          <>
            <dt>Error</dt>
            <dd className="error">{d.error}</dd>
          </>
        ) : null}
      </dl>
      <VirtualTable
        label="Hits"
        data={d.hits}
        columns={columns}
        rowId={(x) => String(x.id)}
        sortParam="hsort"
        rowHeight={38}
        empty={d.status === 'running' ? 'No hit yet.' : 'No hit.'}
      />
      {d.incompleteBundles.length > 0 ? (
        <>
          <h2>Bundles not read, or read with loss</h2>
          <ul>
            {d.incompleteBundles.map((b) => (
              <li key={b.bundleId}>
                {b.server} (bundle {b.bundleId}, {b.state === 'failed' ? 'not read' : 'read with loss'}):{' '}
                {b.detail ?? 'unknown error'}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
