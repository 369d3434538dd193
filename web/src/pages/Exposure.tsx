// The exposure list: builds by how many updates they miss, with the updates to install and, for the chosen
// build, its servers.

import { useMemo } from 'react';
import { qs } from '../api/client.js';
import { useApi, usePaged } from '../api/hooks.js';
import type { BuildGroup, FleetServer } from '../api/types.js';
import { VerdictBadge } from '../components/Badge.js';
import { OrgPicker } from '../components/OrgPicker.js';
import { ErrorBox, Loading } from '../components/Status.js';
import { textColumn, VirtualTable } from '../components/VirtualTable.js';
import type { Column } from '../components/VirtualTable.js';
import { utc } from '../format.js';
import { Link, navigate, useParam } from '../router.js';
import { useTitle } from '../title.js';

const buildKey = (g: BuildGroup) => g.build ?? 'none';

export function ExposurePage() {
  useTitle('Exposure');
  const [org] = useParam('org');
  const [build, setBuild] = useParam('build');
  const res = useApi('/dashboard/exposure', `/dashboard/exposure${qs({ org })}`);
  const columns = useMemo<Column<BuildGroup>[]>(
    () => [
      textColumn('build', 'Build', (g) => g.build ?? 'unknown', '9rem'),
      textColumn(
        'product',
        'Product',
        (g) => (g.productName ? `${g.productName} ${g.cu ?? ''}` : '—'),
        'minmax(8rem, 1fr)',
      ),
      {
        id: 'servers',
        header: 'Servers',
        accessorFn: (g) => g.servers,
        meta: { width: '6rem' },
      },
      {
        id: 'missing',
        header: 'Updates missing',
        accessorFn: (g) => g.missing.length,
        cell: (c) => {
          const m = c.row.original.missing;
          const text = m.length
            ? m.map((u) => `${u.cu} ${u.su}${u.kb ? ` (${u.kb})` : ''}`).join(', ')
            : 'none';
          return <span title={text}>{text}</span>;
        },
        meta: { width: 'minmax(14rem, 3fr)' },
      },
      textColumn('cves', 'Vulnerable to', (g) => g.vulnerable.join(' ') || '—', 'minmax(10rem, 2fr)'),
      textColumn('compromised', 'Compromised', (g) => g.verdicts.compromised ?? 0, '8.5rem'),
    ],
    [],
  );
  return (
    <>
      <div className="page-head">
        <h1>Exposure</h1>
        <OrgPicker />
      </div>
      <p className="muted">Builds missing the most updates first. Choose a build to list its servers.</p>
      {res.error ? <ErrorBox error={res.error} /> : null}
      {!res.data ? (
        <Loading what="Loading builds" />
      ) : (
        <VirtualTable
          label="Builds"
          data={res.data.builds}
          columns={columns}
          rowId={buildKey}
          selected={build}
          onActivate={(g) => setBuild(buildKey(g))}
          sortParam="bsort"
          empty="No server yet."
        />
      )}
      {build ? <BuildServers build={build} org={org} /> : null}
    </>
  );
}

function BuildServers({ build, org }: { build: string; org: string | undefined }) {
  const list = usePaged('/dashboard/servers', `/dashboard/servers${qs({ org, build })}`);
  const columns = useMemo<Column<FleetServer>[]>(
    () => [
      {
        id: 'name',
        header: 'Server',
        cell: (c) => <Link to={`/servers/${c.row.original.id}`}>{c.row.original.name}</Link>,
        meta: { width: 'minmax(10rem, 2fr)' },
      },
      textColumn('org', 'Organisation', (s) => s.organisation.name),
      {
        id: 'verdict',
        header: 'Verdict',
        cell: (c) => <VerdictBadge verdict={c.row.original.verdict} />,
        meta: { width: '9rem' },
      },
      textColumn('scanned', 'Last scan (UTC)', (s) => utc(s.lastScanAt), '12.5rem'),
    ],
    [],
  );
  return (
    <section aria-labelledby="build-servers-h">
      <h2 id="build-servers-h">Servers on {build === 'none' ? 'an unknown build' : build}</h2>
      {list.error ? <ErrorBox error={list.error} /> : null}
      <VirtualTable
        label={`Servers on ${build}`}
        data={list.items}
        columns={columns}
        rowId={(s) => String(s.id)}
        onEndReached={list.done ? undefined : list.loadMore}
        onActivate={(s) => navigate(`/servers/${s.id}`)}
        empty={list.loading ? 'Loading…' : 'No server.'}
      />
    </section>
  );
}
