// Campaigns as attackers: one row per cluster of indicators used together in sessions across servers, with
// its victims, first and last seen and techniques; background noise (scanners, generic agents, what every
// organisation sees) in its own group. A cluster's page has the victims with their verdicts, the timeline
// across victims, the indicators and the STIX export; an indicator's page is the single-indicator view.

import { useMemo } from 'react';
import { API, qs } from '../api/client.js';
import { useApi, usePaged } from '../api/hooks.js';
import type {
  ClusterIndicator,
  ClusterSummary,
  ClusterVictim,
  NoiseIndicator,
  Victim,
} from '../api/types.js';
import { VerdictBadge } from '../components/Badge.js';
import { SelectParam } from '../components/Filters.js';
import { ErrorBox, Loading } from '../components/Status.js';
import { textColumn, VirtualTable } from '../components/VirtualTable.js';
import type { Column } from '../components/VirtualTable.js';
import { count, utc } from '../format.js';
import { Link, navigate, useLocation } from '../router.js';
import { useSession } from '../session.js';
import { useTitle } from '../title.js';

const NOISE_WORDS: Record<string, string> = {
  scanner: 'internet-wide scanner',
  browser: 'generic browser agent',
  'client-library': 'HTTP library default agent',
  widespread: 'seen at many organisations',
};

/** A cluster's name in lists: its strongest indicator (the API orders them webshells first). */
function clusterName(c: ClusterSummary): string {
  const head = c.indicators[0];
  return head ? `${head.kind} ${head.value}` : `cluster ${c.id}`;
}

function victimLink(v: { kind: string; id: number; name: string }) {
  return (
    <Link to={v.kind === 'server' ? `/servers/${v.id}` : `/orgs/${encodeURIComponent(v.name)}`}>
      {v.name}
    </Link>
  );
}

export function CampaignsPage() {
  useTitle('Campaigns');
  const { me } = useSession();
  const { params } = useLocation();
  const list = usePaged('/campaigns', `/campaigns${qs({ min: params.get('min') })}`);
  const noise = usePaged('/campaigns/noise', '/campaigns/noise', 100);
  const victims = me.role === 'administrator' ? 'organisations' : 'servers';
  const columns = useMemo<Column<ClusterSummary>[]>(
    () => [
      {
        id: 'attacker',
        header: 'Attacker (strongest indicator)',
        accessorFn: (c) => clusterName(c),
        cell: (c) => <Link to={`/campaigns/${c.row.original.id}`}>{clusterName(c.row.original)}</Link>,
        meta: { width: 'minmax(14rem, 3fr)' },
      },
      textColumn('indicators', 'Indicators', (c) => c.indicatorCount, '6.5rem'),
      textColumn('victims', 'Victims', (c) => c.victimCount, '5.5rem'),
      {
        id: 'verdict',
        header: 'Worst verdict',
        accessorFn: (c) => c.verdict ?? '',
        cell: (c) => <VerdictBadge verdict={c.row.original.verdict} />,
        meta: { width: '8.5rem' },
      },
      textColumn('first', 'First seen (UTC)', (c) => utc(c.firstSeen), '12.5rem'),
      textColumn('last', 'Last seen (UTC)', (c) => utc(c.lastSeen), '12.5rem'),
      textColumn(
        'techniques',
        'Techniques',
        (c) => [...c.stages, ...c.cves].join(', '),
        'minmax(10rem, 2fr)',
      ),
      textColumn(
        'names',
        'Victims, first hit first',
        (c) => c.victims.map((v) => v.name).join(', '),
        'minmax(10rem, 2fr)',
      ),
    ],
    [],
  );
  const noiseColumns = useMemo<Column<NoiseIndicator>[]>(
    () => [
      textColumn('kind', 'Kind', (n) => n.kind, '8rem'),
      {
        id: 'value',
        header: 'Indicator',
        accessorFn: (n) => n.value,
        cell: (c) => <Link to={`/campaigns/indicators/${c.row.original.id}`}>{c.row.original.value}</Link>,
        meta: { width: 'minmax(12rem, 3fr)' },
      },
      textColumn(
        'why',
        'Why it is noise',
        (n) => `${NOISE_WORDS[n.reason] ?? n.reason}: ${n.detail}`,
        'minmax(12rem, 2fr)',
      ),
      textColumn('victims', 'Victims', (n) => n.victims, '5.5rem'),
      textColumn('last', 'Last seen (UTC)', (n) => utc(n.lastSeen), '12.5rem'),
    ],
    [],
  );
  return (
    <>
      <div className="page-head">
        <h1>Campaigns</h1>
      </div>
      <p className="muted">
        One row per attacker: addresses, user agents and webshells used together in the same sessions, across
        your {victims}. Scanners and what everyone sees are set apart below as background noise.
      </p>
      <div className="filters">
        <SelectParam
          name="min"
          label="Seen at"
          options={[
            ['2', `2 or more ${victims}`],
            ['3', `3 or more ${victims}`],
            ['10', `10 or more ${victims}`],
          ]}
          any={`any number of ${victims}`}
        />
      </div>
      {list.error ? <ErrorBox error={list.error} /> : null}
      <VirtualTable
        label="Attacker clusters"
        data={list.items}
        columns={columns}
        rowId={(c) => String(c.id)}
        onEndReached={list.done ? undefined : list.loadMore}
        onActivate={(c) => navigate(`/campaigns/${c.id}`)}
        empty={list.loading ? 'Loading…' : 'No attacker activity was linked across sessions yet.'}
      />
      <h2 id="noise-h">Background noise</h2>
      <p className="muted">
        Internet-wide scanners (from exhunt’s cited table), Nmap, generic browser and HTTP-library agents, and
        addresses or agents seen at many organisations. They prove nothing about who attacked, so they never
        link attackers.
      </p>
      {noise.error ? <ErrorBox error={noise.error} /> : null}
      <VirtualTable
        label="Background noise"
        data={noise.items}
        columns={noiseColumns}
        rowId={(n) => String(n.id)}
        onEndReached={noise.done ? undefined : noise.loadMore}
        empty={noise.loading ? 'Loading…' : 'No background noise.'}
      />
    </>
  );
}

export function CampaignPage({ id }: { id: number }) {
  const res = useApi('/campaigns/:id', `/campaigns/${id}`);
  useTitle(res.data ? `Campaign ${clusterName(res.data)}` : 'Campaign');
  const victimColumns = useMemo<Column<ClusterVictim>[]>(
    () => [
      {
        id: 'name',
        header: 'Victim',
        accessorFn: (v) => v.name,
        cell: (c) => victimLink(c.row.original),
        meta: { width: 'minmax(12rem, 2fr)' },
      },
      {
        id: 'verdict',
        header: 'Verdict',
        accessorFn: (v) => v.verdict ?? '',
        cell: (c) => <VerdictBadge verdict={c.row.original.verdict} />,
        meta: { width: '8.5rem' },
      },
      textColumn('servers', 'Servers', (v) => v.servers, '5.5rem'),
      textColumn('firstSeen', 'First seen (UTC)', (v) => utc(v.firstSeen), '12.5rem'),
      textColumn('lastSeen', 'Last seen (UTC)', (v) => utc(v.lastSeen), '12.5rem'),
      textColumn('stages', 'Stages', (v) => v.stages.join(', '), 'minmax(10rem, 2fr)'),
    ],
    [],
  );
  const indicatorColumns = useMemo<Column<ClusterIndicator>[]>(
    () => [
      textColumn('kind', 'Kind', (i) => i.kind, '8rem'),
      {
        id: 'value',
        header: 'Indicator',
        accessorFn: (i) => i.value,
        cell: (c) => <Link to={`/campaigns/indicators/${c.row.original.id}`}>{c.row.original.value}</Link>,
        meta: { width: 'minmax(12rem, 3fr)' },
      },
      textColumn('victims', 'Victims', (i) => i.victims, '5.5rem'),
      textColumn('first', 'First seen (UTC)', (i) => utc(i.firstSeen), '12.5rem'),
      textColumn('last', 'Last seen (UTC)', (i) => utc(i.lastSeen), '12.5rem'),
    ],
    [],
  );
  if (res.error) return <ErrorBox error={res.error} />;
  if (!res.data) return <Loading what="Loading the campaign" />;
  const c = res.data;
  return (
    <>
      <div className="page-head">
        <h1>
          <span className="muted small">Attacker</span> <span className="mono">{clusterName(c)}</span>
        </h1>
        <a className="button" href={`${API}/campaigns/${c.id}/stix`} download>
          Export STIX
        </a>
      </div>
      <p>
        {count(c.victimCount, 'victim')}, {count(c.indicatorCount, 'indicator')} used together in{' '}
        {count(c.sessions, 'session')}; first seen {utc(c.firstSeen)} UTC, last {utc(c.lastSeen)} UTC.
      </p>
      <p>
        Techniques: {c.stages.join(', ') || 'none recorded'}
        {c.cves.length ? `; ${c.cves.join(', ')}` : ''}.
      </p>
      <h2>Who was hit first</h2>
      <ol className="timeline" aria-label="Timeline across victims">
        {c.timeline.map((e) => (
          <li key={`${e.victim.kind}${e.victim.id}`}>
            <span className="mono small">{utc(e.time)}</span> {victimLink(e.victim)}{' '}
            <VerdictBadge verdict={e.verdict} /> <span className="muted">{e.stages.join(', ')}</span>
          </li>
        ))}
      </ol>
      <h2>Victims</h2>
      <VirtualTable
        label="Victims"
        data={c.victims}
        columns={victimColumns}
        rowId={(v) => `${v.kind}${v.id}`}
        sortParam="vsort"
      />
      <h2>Indicators</h2>
      <VirtualTable
        label="Indicators"
        data={c.indicators}
        columns={indicatorColumns}
        rowId={(i) => String(i.id)}
        sortParam="isort"
      />
    </>
  );
}

/** One indicator across victims: the view campaigns had before clusters, still linked from every indicator. */
export function IndicatorCampaignPage({ id }: { id: number }) {
  const res = useApi('/campaigns/indicators/:id', `/campaigns/indicators/${id}`);
  useTitle(res.data ? `Indicator ${res.data.indicator.value}` : 'Indicator');
  const columns = useMemo<Column<Victim>[]>(
    () => [
      {
        id: 'name',
        header: 'Victim',
        accessorFn: (v) => v.name,
        cell: (c) => victimLink(c.row.original),
        meta: { width: 'minmax(12rem, 2fr)' },
      },
      textColumn('firstSeen', 'First seen (UTC)', (v) => utc(v.firstSeen), '12.5rem'),
      textColumn('lastSeen', 'Last seen (UTC)', (v) => utc(v.lastSeen), '12.5rem'),
    ],
    [],
  );
  if (res.error) return <ErrorBox error={res.error} />;
  if (!res.data) return <Loading what="Loading the indicator" />;
  const c = res.data;
  return (
    <>
      <div className="page-head">
        <h1>
          <span className="muted small">{c.indicator.kind}</span>{' '}
          <span className="mono">{c.indicator.value}</span>
        </h1>
      </div>
      <p>
        Seen at {count(c.victimCount, 'victim')}, first {utc(c.firstSeen)} UTC, last {utc(c.lastSeen)} UTC.{' '}
        <Link to={`/campaigns/${c.indicator.id}`}>Its attacker cluster</Link>
      </p>
      <h2>Victims</h2>
      <VirtualTable
        label="Victims"
        data={c.victims}
        columns={columns}
        rowId={(v) => `${v.kind}${v.id}`}
        sortParam="vsort"
      />
      <h2>What it did</h2>
      <ul>
        {c.activity.map((a) => (
          <li key={`${a.ruleId}${a.stage}`}>
            {a.stage}: {a.title} <span className="muted mono small">{a.ruleId}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
