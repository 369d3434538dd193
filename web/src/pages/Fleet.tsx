// The fleet overview (and, with `org`, an organisation's page): verdicts and exposure at a glance, every
// server in triage order with the reasons for its place, what is new since the last visit, the trend, and
// every server in a searchable table.

import { URGENCY } from '../../../src/core/report.js';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { qs } from '../api/client.js';
import { useApi, usePaged } from '../api/hooks.js';
import type { FleetServer, Overview, ServerView, TriageReason } from '../api/types.js';
import { VerdictBadge } from '../components/Badge.js';
import { SearchParam, SelectParam } from '../components/Filters.js';
import { OrgPicker } from '../components/OrgPicker.js';
import { ErrorBox, Loading } from '../components/Status.js';
import { TrendChart } from '../components/TrendChart.js';
import { textColumn, VirtualTable } from '../components/VirtualTable.js';
import type { Column } from '../components/VirtualTable.js';
import { count, utc } from '../format.js';
import { Link, navigate, useLocation, withParams } from '../router.js';
import { useSession } from '../session.js';
import { useTitle } from '../title.js';
import { markSeen, recordVisit, visitSince } from '../visits.js';

export function FleetPage({ org: fixedOrg }: { org?: string }) {
  const { me } = useSession();
  const { params } = useLocation();
  const org = fixedOrg ?? params.get('org') ?? undefined;
  useTitle(fixedOrg ? `Organisation ${fixedOrg}` : 'Fleet');
  const [since, setSince] = useState(() => visitSince(me));
  const overview = useApi('/dashboard/overview', `/dashboard/overview${qs({ org, since })}`);
  const trend = useApi('/dashboard/trend', `/dashboard/trend${qs({ org, days: 30 })}`);
  const now = overview.data?.now;
  // This visit is remembered once the server has said what time it is.
  useEffect(() => {
    if (now) recordVisit(me, now);
  }, [me, now]);
  return (
    <>
      <div className="page-head">
        <h1>{fixedOrg ? `Organisation: ${fixedOrg}` : 'Fleet'}</h1>
        {fixedOrg ? null : <OrgPicker />}
      </div>
      {overview.error ? <ErrorBox error={overview.error} /> : null}
      {overview.data ? (
        <>
          <Summary o={overview.data} org={org} />
          <NeedsAction org={org} />
          <NewSinceVisit
            o={overview.data}
            onSeen={() => {
              markSeen(me, overview.data?.now as string);
              setSince(overview.data?.now);
            }}
          />
        </>
      ) : overview.loading ? (
        <Loading what="Loading the fleet" />
      ) : null}
      <section aria-labelledby="trend-h">
        <h2 id="trend-h">Trend</h2>
        {trend.data ? (
          <TrendChart days={trend.data.days} />
        ) : trend.error ? (
          <ErrorBox error={trend.error} />
        ) : null}
      </section>
      <ServersTable org={org} />
    </>
  );
}

function Summary({ o, org }: { o: Overview; org: string | undefined }) {
  const open = (o.remediation.open ?? 0) + (o.remediation['in-progress'] ?? 0);
  const done = (o.remediation.done ?? 0) + (o.remediation['wont-fix'] ?? 0);
  return (
    <section aria-label="Summary" className="cards">
      {URGENCY.map((v) => (
        <Link
          key={v}
          className={`card verdict-card verdict-${v}`}
          to={withParams({ verdict: v }) + '#servers'}
        >
          <span className="big">{(o.verdicts[v] ?? 0).toLocaleString('en')}</span>
          <span>{v}</span>
        </Link>
      ))}
      <Link className="card" to={`/exposure${qs({ org })}`}>
        <span className="big">{o.exposure.vulnerable.toLocaleString('en')}</span>
        <span>on a vulnerable build</span>
        <span className="muted small">
          {o.exposure.patched} patched · {o.exposure.unknown} unsure · {o.exposure.noBuild} build unknown
        </span>
      </Link>
      <div className="card">
        <span className="big">{open.toLocaleString('en')}</span>
        <span>remediation steps open</span>
        <span className="muted small">{done} done or set aside</span>
      </div>
    </section>
  );
}

/** A reason as a chip: its weight and words, the facts behind it on hover (attacker text, as text). */
function Reason({ r }: { r: TriageReason }) {
  return (
    <span className={`reason reason-${r.code}`} title={r.detail} data-code={r.code}>
      <span className="weight">+{r.weight}</span> {r.text}
    </span>
  );
}

/** Every server, the highest triage score first, each line with its reasons; more load as the list scrolls. */
function NeedsAction({ org }: { org: string | undefined }) {
  const list = usePaged('/servers', `/servers${qs({ org, order: 'triage' })}`, 100);
  const why = typeof list.meta.order === 'string' ? list.meta.order : undefined;
  const columns = useMemo<Column<ServerView>[]>(
    () => [
      { id: 'rank', header: '#', cell: (c) => c.row.index + 1, meta: { width: '3.5rem' } },
      textColumn('score', 'Score', (s) => s.triage.score, '4.5rem'),
      {
        id: 'name',
        header: 'Server',
        cell: (c) => (
          <span className="stack">
            <Link to={`/servers/${c.row.original.id}`}>{c.row.original.name}</Link>
            <span className="muted small">{c.row.original.organisation.name}</span>
          </span>
        ),
        meta: { width: 'minmax(9rem, 1.3fr)' },
      },
      {
        id: 'verdict',
        header: 'Verdict',
        cell: (c) => <VerdictBadge verdict={c.row.original.verdict} />,
        meta: { width: '8.5rem' },
      },
      {
        id: 'why',
        header: 'Why',
        cell: (c) =>
          c.row.original.triage.reasons.length ? (
            <span className="reasons">
              {c.row.original.triage.reasons.map((r) => (
                <Reason key={r.code} r={r} />
              ))}
            </span>
          ) : (
            <span className="muted">nothing to act on</span>
          ),
        meta: { width: 'minmax(18rem, 5fr)' },
      },
      textColumn('activity', 'Last attacker activity (UTC)', (s) => utc(s.triage.lastActivity), '12.5rem'),
    ],
    [],
  );
  const open = useCallback((s: ServerView) => navigate(`/servers/${s.id}`), []);
  return (
    <section aria-labelledby="needs-h" className="needs-action">
      <h2 id="needs-h">Needs action first</h2>
      <p className="why-order">
        <strong>Why this order: </strong>
        {why ?? 'the highest triage score first.'}
      </p>
      {list.error ? <ErrorBox error={list.error} /> : null}
      <VirtualTable
        label="Needs action first"
        data={list.items}
        columns={columns}
        rowId={(s) => String(s.id)}
        rowHeight={58}
        height={Math.min(7, Math.max(2, list.items.length)) * 58 + 2}
        onEndReached={list.done ? undefined : list.loadMore}
        onActivate={open}
        empty={list.loading ? 'Loading…' : 'No server yet.'}
        footer={`${count(list.items.length, 'server')} in triage order${list.done ? '' : ' loaded, more as you scroll'}`}
      />
    </section>
  );
}

/**
 * The server's scan comparison with the scan it had at the visit: the history tab counts "new" with the
 * same function as this list, so the two show the same findings.
 */
function newSinceLink(s: NonNullable<Overview['newFindings']>['servers'][number]): string {
  const against = s.baseScanId === null ? '' : `&against=${s.baseScanId}`;
  return `/servers/${s.id}?scan=${s.scanId}&tab=history${against}`;
}

function NewSinceVisit({ o, onSeen }: { o: Overview; onSeen(): void }) {
  const n = o.newFindings;
  return (
    <section aria-labelledby="new-h" className="new-findings">
      <h2 id="new-h">New since your last visit</h2>
      {!n ? (
        <p className="muted">
          First visit: from now on, findings that arrive between visits are listed here.
        </p>
      ) : n.count === 0 ? (
        <p className="muted">Nothing new since {utc(n.since)} UTC.</p>
      ) : (
        <>
          <p>
            <strong>{count(n.count, 'new finding')}</strong> on {count(n.servers.length, 'server')} since{' '}
            {utc(n.since)} UTC{n.truncated ? ' (the 200 servers uploaded to last compared)' : ''}.
          </p>
          <ul className="plain-list">
            {n.servers.map((s) => (
              <li key={s.id}>
                <Link to={newSinceLink(s)}>{s.name}</Link>{' '}
                <span className="muted">
                  {s.organisation} · {count(s.count, 'finding')}
                </span>
              </li>
            ))}
          </ul>
          <button type="button" onClick={onSeen}>
            Mark all as seen
          </button>
        </>
      )}
    </section>
  );
}

function ServersTable({ org }: { org: string | undefined }) {
  const { params } = useLocation();
  const path = `/dashboard/servers${qs({
    org,
    q: params.get('q'),
    verdict: params.get('verdict'),
    sort: params.get('sort'),
  })}` as const;
  const list = usePaged('/dashboard/servers', path);
  const columns = useMemo<Column<FleetServer>[]>(
    () => [
      {
        id: 'name',
        header: 'Server',
        cell: (c) => <Link to={`/servers/${c.row.original.id}`}>{c.row.original.name}</Link>,
        meta: { width: 'minmax(10rem, 2fr)' },
      },
      {
        id: 'org',
        header: 'Organisation',
        cell: (c) => (
          <Link to={`/orgs/${encodeURIComponent(c.row.original.organisation.name)}`}>
            {c.row.original.organisation.name}
          </Link>
        ),
      },
      {
        id: 'verdict',
        header: 'Verdict',
        cell: (c) => <VerdictBadge verdict={c.row.original.verdict} />,
        meta: { width: '9rem' },
      },
      textColumn('scanned', 'Last scan (UTC)', (s) => utc(s.lastScanAt), '12.5rem'),
      textColumn('build', 'Build', (s) => s.build ?? '—', '9rem'),
      textColumn('cves', 'Vulnerable to', (s) => s.exposure?.vulnerable.join(' ') || '—'),
      textColumn('open', 'Open steps', (s) => s.openRemediation, '7rem'),
    ],
    [],
  );
  const open = useCallback((s: FleetServer) => navigate(`/servers/${s.id}`), []);
  return (
    <section aria-labelledby="servers-h" id="servers">
      <h2 id="servers-h">Servers</h2>
      <div className="filters">
        <SearchParam name="q" label="Search" placeholder="name or build" />
        <SelectParam name="verdict" label="Verdict" options={URGENCY} />
        <SelectParam name="sort" label="Order" options={[['name', 'by name']]} any="most urgent first" />
      </div>
      {list.error ? <ErrorBox error={list.error} /> : null}
      <VirtualTable
        label="Servers"
        data={list.items}
        columns={columns}
        rowId={(s) => String(s.id)}
        onEndReached={list.done ? undefined : list.loadMore}
        onActivate={open}
        empty={list.loading ? 'Loading…' : 'No server matches.'}
        footer={`${count(list.items.length, 'server')}${list.done ? '' : ' loaded, more as you scroll'}`}
      />
    </section>
  );
}
