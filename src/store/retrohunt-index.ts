// The cheap path of a retro-hunt: which servers' stored indicators (addresses, user agents, webshell names
// and hashes that findings already named, migration 3) hold some of a feed's values, within a time range and
// a set of organisations. It answers in one query per kind; what no finding named needs the full path.

import type { Store } from './db.js';
import type { IndicatorKind } from './schema.js';
import { chunk } from './tx.js';

export interface IndexQuery {
  /** Organisation ids; null for every organisation. */
  orgIds: number[] | null;
  /** Values in their stored form (core/indicator-norm.ts), per kind. */
  values: Map<IndicatorKind, string[]>;
  since?: string;
  until?: string;
}

export interface IndexSighting {
  kind: IndicatorKind;
  value: string;
  serverId: number;
  orgId: number;
  server: string;
  /** The scan a retro-hunt finding attaches to (the server's latest); null when none is stored. */
  latestScanId: number | null;
  firstSeen: string;
  lastSeen: string;
  scans: number;
  /** Up to five stored findings that name this address (addresses only: those have a column). */
  evidence: { path: string; line?: number; excerpt: string; time: string }[];
}

export async function indexSightings(store: Store, q: IndexQuery): Promise<IndexSighting[]> {
  const out: IndexSighting[] = [];
  if (q.orgIds !== null && q.orgIds.length === 0) return out;
  for (const [kind, values] of q.values)
    for (const part of chunk([...new Set(values)], 30)) {
      const rows = await store.db
        .selectFrom('indicators as i')
        .innerJoin('indicator_servers as x', 'x.indicator_id', 'i.id')
        .innerJoin('servers as s', 's.id', 'x.server_id')
        .select((eb) => [
          'i.value',
          'x.server_id',
          'x.org_id',
          's.name',
          // A server only an agent saw, whose verdict no finding raised, has no latest scan: its newest.
          eb.fn
            .coalesce(
              's.latest_scan_id',
              eb
                .selectFrom('scans as c')
                .select((c) => c.fn.max('c.id').as('m'))
                .whereRef('c.server_id', '=', 's.id'),
            )
            .as('latest_scan_id'),
          'x.first_seen',
          'x.last_seen',
          'x.scans',
        ])
        .where('i.kind', '=', kind)
        .where('i.value', 'in', part)
        .$if(q.orgIds !== null, (w) => w.where('x.org_id', 'in', q.orgIds as number[]))
        .$if(q.since !== undefined, (w) => w.where('x.last_seen', '>=', q.since as string))
        .$if(q.until !== undefined, (w) => w.where('x.first_seen', '<=', q.until as string))
        .orderBy('x.server_id')
        .execute();
      for (const r of rows)
        out.push({
          kind,
          value: r.value,
          serverId: r.server_id,
          orgId: r.org_id,
          server: r.name,
          latestScanId: r.latest_scan_id === null ? null : Number(r.latest_scan_id),
          firstSeen: r.first_seen,
          lastSeen: r.last_seen,
          scans: r.scans,
          evidence: kind === 'ip' ? await addressEvidence(store, r.server_id, r.value, q) : [],
        });
    }
  return out;
}

async function addressEvidence(
  store: Store,
  serverId: number,
  ip: string,
  q: IndexQuery,
): Promise<IndexSighting['evidence']> {
  const rows = await store.db
    .selectFrom('findings')
    .select(['data', 'sort_time'])
    .where('server_id', '=', serverId)
    .where('source_ip', '=', ip)
    .where('finding_id', 'not like', 'retrohunt.%')
    .$if(q.since !== undefined, (w) => w.where('sort_time', '>=', q.since as string))
    .$if(q.until !== undefined, (w) => w.where('sort_time', '<=', q.until as string))
    .orderBy('id')
    .limit(5)
    .execute();
  return rows.flatMap((r) => {
    const f = JSON.parse(r.data) as { evidence?: { path: string; line?: number; excerpt: string }[] };
    const e = f.evidence?.[0];
    return e
      ? [
          {
            path: e.path,
            ...(e.line !== undefined ? { line: e.line } : {}),
            excerpt: e.excerpt,
            time: r.sort_time,
          },
        ]
      : [];
  });
}
