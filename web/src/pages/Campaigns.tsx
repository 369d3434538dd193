// Campaigns: indicators (addresses, user agents, webshell names and hashes) seen at several victims, when
// they were first and last seen, and, per indicator, every victim and what it did there.

import { useMemo } from 'react';
import { qs } from '../api/client.js';
import { useApi, usePaged } from '../api/hooks.js';
import type { CampaignView, Victim } from '../api/types.js';
import { SelectParam } from '../components/Filters.js';
import { ErrorBox, Loading } from '../components/Status.js';
import { textColumn, VirtualTable } from '../components/VirtualTable.js';
import type { Column } from '../components/VirtualTable.js';
import { count, utc } from '../format.js';
import { Link, navigate, useLocation } from '../router.js';
import { useSession } from '../session.js';
import { useTitle } from '../title.js';

const KINDS = ['ip', 'user-agent', 'webshell-name', 'webshell-hash'] as const;

export function CampaignsPage() {
  useTitle('Campaigns');
  const { me } = useSession();
  const { params } = useLocation();
  const list = usePaged<CampaignView>(
    `/campaigns${qs({ kind: params.get('kind'), min: params.get('min') })}`,
  );
  const victims = me.role === 'administrator' ? 'organisations' : 'servers';
  const columns = useMemo<Column<CampaignView>[]>(
    () => [
      textColumn('kind', 'Kind', (c) => c.indicator.kind, '8rem'),
      {
        id: 'value',
        header: 'Indicator',
        cell: (c) => (
          <Link to={`/campaigns/${c.row.original.indicator.id}`}>{c.row.original.indicator.value}</Link>
        ),
        meta: { width: 'minmax(12rem, 3fr)' },
      },
      textColumn('victims', 'Victims', (c) => c.victimCount, '6rem'),
      textColumn('first', 'First seen (UTC)', (c) => utc(c.firstSeen), '12.5rem'),
      textColumn('last', 'Last seen (UTC)', (c) => utc(c.lastSeen), '12.5rem'),
      textColumn(
        'names',
        'Latest victims',
        (c) => c.victims.map((v) => v.name).join(', '),
        'minmax(10rem, 2fr)',
      ),
    ],
    [],
  );
  return (
    <>
      <div className="page-head">
        <h1>Campaigns</h1>
      </div>
      <p className="muted">
        Indicators seen at more than one of your {victims}: the same attacker, or the same tool, across
        victims.
      </p>
      <div className="filters">
        <SelectParam name="kind" label="Kind" options={KINDS} />
        <SelectParam
          name="min"
          label={`Seen at`}
          options={[
            ['1', `1 or more ${victims}`],
            ['3', `3 or more ${victims}`],
            ['10', `10 or more ${victims}`],
          ]}
          any={`2 or more ${victims}`}
        />
      </div>
      {list.error ? <ErrorBox error={list.error} /> : null}
      <VirtualTable
        label="Campaign indicators"
        data={list.items}
        columns={columns}
        rowId={(c) => String(c.indicator.id)}
        onEndReached={list.done ? undefined : list.loadMore}
        onActivate={(c) => navigate(`/campaigns/${c.indicator.id}`)}
        empty={list.loading ? 'Loading…' : 'No indicator was seen at that many victims.'}
      />
    </>
  );
}

export function CampaignPage({ id }: { id: number }) {
  const res = useApi<CampaignView>(`/campaigns/${id}`);
  useTitle(res.data ? `Campaign ${res.data.indicator.value}` : 'Campaign');
  const columns = useMemo<Column<Victim>[]>(
    () => [
      {
        id: 'name',
        header: 'Victim',
        accessorFn: (v) => v.name,
        cell: (c) => {
          const v = c.row.original;
          return (
            <Link to={v.kind === 'server' ? `/servers/${v.id}` : `/orgs/${encodeURIComponent(v.name)}`}>
              {v.name}
            </Link>
          );
        },
        meta: { width: 'minmax(12rem, 2fr)' },
      },
      textColumn('firstSeen', 'First seen (UTC)', (v) => utc(v.firstSeen), '12.5rem'),
      textColumn('lastSeen', 'Last seen (UTC)', (v) => utc(v.lastSeen), '12.5rem'),
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
          <span className="muted small">{c.indicator.kind}</span>{' '}
          <span className="mono">{c.indicator.value}</span>
        </h1>
      </div>
      <p>
        Seen at {count(c.victimCount, 'victim')}, first {utc(c.firstSeen)} UTC, last {utc(c.lastSeen)} UTC.
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
