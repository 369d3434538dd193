// The monitoring agents (`exhunt watch`): each one's server, last contact, lag, rules and feeds versions, and
// whether it went silent (an intruder's first move is often to stop the watcher). Server names and versions
// come from the agents themselves: they are only ever React text.

import { useEffect, useMemo } from 'react';
import { qs } from '../api/client.js';
import { useApi } from '../api/hooks.js';
import type { AgentView } from '../api/types.js';
import { OrgPicker } from '../components/OrgPicker.js';
import { ErrorBox, Loading } from '../components/Status.js';
import { textColumn, VirtualTable } from '../components/VirtualTable.js';
import type { Column } from '../components/VirtualTable.js';
import { count } from '../format.js';
import { Link, navigate, useParam } from '../router.js';
import { useTitle } from '../title.js';

/** An ISO time to the second, in UTC as the server wrote it (`2026-12-07T19:57:08Z`). */
export function isoSecond(iso: string): string {
  return iso.length >= 19 ? `${iso.slice(0, 19)}Z` : iso;
}

function lag(s: number): string {
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
}

/** The failing reads its last heartbeat named (`Security.evtx: wevtutil epl …`; the full path is in the API), or nothing. */
function problemsOf(a: AgentView): string {
  const ps = Array.isArray(a.state.problems) ? a.state.problems : [];
  if (ps.length === 0) return '';
  const file = String(ps[0]?.path ?? '').replace(/^.*\//, '');
  const first = `${file}: ${String(ps[0]?.message ?? '')}`;
  return ps.length === 1 ? first : `${first} (and ${ps.length - 1} more)`;
}

const stateOf = (a: AgentView) => (a.silent ? 'silent' : 'ok');

/** Reloads the list every 15 s, so a silence shows without a reload. */
function useEvery(ms: number, reload: () => void): void {
  useEffect(() => {
    const t = setInterval(reload, ms);
    return () => clearInterval(t);
  }, [ms, reload]);
}

export function AgentsPage() {
  useTitle('Agents');
  const [org] = useParam('org');
  const list = useApi('/agents', `/agents${qs({ org })}`);
  useEvery(15_000, list.reload);
  const columns = useMemo<Column<AgentView>[]>(
    () => [
      {
        id: 'state',
        header: 'State',
        accessorFn: stateOf,
        cell: (c) => (
          <span className={`badge agent-${stateOf(c.row.original)}`} data-state={stateOf(c.row.original)}>
            {stateOf(c.row.original)}
          </span>
        ),
        meta: { width: '5.5rem' },
      },
      textColumn('server', 'Server', (a) => a.serverName, 'minmax(10rem, 2fr)'),
      textColumn('contact', 'Last contact (UTC)', (a) => isoSecond(a.lastContact), '13rem'),
      textColumn('lag', 'Lag', (a) => lag(a.lagSeconds), '6rem'),
      textColumn('rules', 'Rules and feeds', (a) => `${a.rulesVersion} (${count(a.indicators, 'indicator')})`, 'minmax(12rem, 2fr)'), // prettier-ignore
      textColumn('version', 'exhunt', (a) => a.version, '7rem'),
      textColumn('spool', 'Spool', (a) => (a.state.spool?.full ? 'full' : count(a.state.spool?.commits ?? 0, 'commit')), '7rem'), // prettier-ignore
      textColumn('problems', 'Cannot read', problemsOf, 'minmax(14rem, 3fr)'),
      textColumn('agent', 'Agent', (a) => a.agentId, 'minmax(9rem, 1fr)'),
    ],
    [],
  );
  const items = list.data?.items ?? [];
  const silent = items.filter((a) => a.silent).length;
  return (
    <>
      <div className="page-head">
        <h1>Agents</h1>
        <OrgPicker />
      </div>
      <p className="muted">
        Monitoring agents (<code>exhunt watch</code>) on the servers, as their last heartbeat told. An agent
        without a heartbeat for {list.data ? lag(list.data.silentAfterSeconds) : '…'} is silent, and the
        organisation is notified once per silence.
      </p>
      {silent > 0 ? (
        <p className="error" role="alert">
          {count(silent, 'agent is', 'agents are')} silent.
        </p>
      ) : null}
      {list.error ? <ErrorBox error={list.error} /> : null}
      {!list.data ? (
        <Loading what="Loading agents" />
      ) : (
        <VirtualTable
          label="Agents"
          data={items}
          columns={columns}
          rowId={(a) => String(a.id)}
          onActivate={(a) => navigate(`/servers/${a.serverId}${a.scanId ? `?scan=${a.scanId}` : ''}`)}
          sortParam="asort"
          rowHeight={38}
          empty="No agent has reported yet."
        />
      )}
    </>
  );
}

/** On a server's page: the agents watching it, each with its state and a link to what it found. */
export function ServerAgents({ serverId, shownScan }: { serverId: number; shownScan?: number }) {
  const list = useApi('/agents', `/agents?serverId=${serverId}`);
  const items = list.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <ul className="plain-list small server-agents" aria-label="Monitoring agents">
      {items.map((a) => (
        <li key={a.id} data-state={stateOf(a)}>
          Watched by agent <code>{a.agentId}</code>: {stateOf(a)}, last contact {isoSecond(a.lastContact)},
          lag {lag(a.lagSeconds)}
          {a.scanId && a.scanId !== shownScan ? (
            <>
              {' '}
              · <Link to={`?scan=${a.scanId}&tab=events`}>what it found</Link>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
