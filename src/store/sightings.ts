// What the fleet saw, for export: indicators matched from feeds (recorded at ingest here) and the addresses,
// agents and webshells the scans found (the campaign tables), per server, within a scope.

import { sql } from 'kysely';
import type { Store } from './db.js';
import type { FeedMatch } from './extract.js';
import { earlier, later } from './indicators.js';
import type { IndicatorKind } from './schema.js';
import type { Scope } from './scope.js';
import { orgFilter } from './scope.js';
import type { Tx } from './tx.js';
import { chunk } from './tx.js';

/** Counts per server: one more scan, and the findings of this one. */
export async function recordFeedSightings(
  trx: Tx,
  orgId: number,
  serverId: number,
  matches: FeedMatch[],
): Promise<void> {
  for (const part of chunk(matches, 11))
    await trx
      .insertInto('feed_sightings')
      .values(
        part.map((m) => ({
          server_id: serverId,
          key_sha: m.keySha,
          org_id: orgId,
          rule_id: m.ruleId,
          ind_type: m.type,
          ind_value: m.value,
          source: m.source,
          first_seen: m.first,
          last_seen: m.last,
          scans: 1,
          findings: m.findings,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['server_id', 'key_sha']).doUpdateSet({
          first_seen: earlier('feed_sightings.first_seen'),
          last_seen: later('feed_sightings.last_seen'),
          scans: sql<number>`feed_sightings.scans + 1`,
          findings: sql<number>`feed_sightings.findings + excluded.findings`,
        }),
      )
      .execute();
}

interface Place {
  organisation: { id: number; name: string; createdAt: string };
  server: { id: number; name: string; createdAt: string };
  firstSeen: string;
  lastSeen: string;
  /** Scans of this server that saw it. */
  scans: number;
}

/** An indicator of a feed that the server's scans matched. */
export interface MatchedSighting extends Place {
  kind: 'matched';
  /** The indicator's id as findings carry it (an imported STIX id, or `ioc.<type>.<hash>`). */
  ruleId: string;
  type: string;
  value: string;
  source: string;
  findings: number;
}

/** An address, agent or webshell the server's scans found in their findings. */
export interface FoundSighting extends Place {
  kind: 'found';
  type: IndicatorKind;
  value: string;
}

export type FleetSighting = MatchedSighting | FoundSighting;

export interface SightingFilter {
  /** Only what was last seen at or after this time. */
  since?: string;
  /** Most rows of each kind (newest first); `truncated` says when more exist. */
  limit: number;
}

function place(r: {
  org_id: number;
  org_name: string;
  org_created: string;
  server_id: number;
  server_name: string;
  server_created: string;
  first_seen: string;
  last_seen: string;
  scans: number;
}): Place {
  return {
    organisation: { id: r.org_id, name: r.org_name, createdAt: r.org_created },
    server: { id: r.server_id, name: r.server_name, createdAt: r.server_created },
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    scans: r.scans,
  };
}

/** Per server, newest first: a tenant's own servers, or every organisation's for administrators. */
export async function listFleetSightings(
  store: Store,
  scope: Scope,
  f: SightingFilter,
): Promise<{ items: FleetSighting[]; truncated: boolean }> {
  const org = orgFilter(scope);
  const matched = await store.db
    .selectFrom('feed_sightings as x')
    .innerJoin('servers as s', 's.id', 'x.server_id')
    .innerJoin('organisations as o', 'o.id', 's.org_id')
    .select([
      'x.rule_id',
      'x.ind_type',
      'x.ind_value',
      'x.source',
      'x.findings',
      'x.first_seen',
      'x.last_seen',
      'x.scans',
      's.org_id',
      'o.name as org_name',
      'o.created_at as org_created',
      'x.server_id',
      's.name as server_name',
      's.created_at as server_created',
    ])
    .$if(org !== undefined, (q) => q.where('x.org_id', '=', org as number))
    .$if(f.since !== undefined, (q) => q.where('x.last_seen', '>=', f.since as string))
    .orderBy('x.last_seen', 'desc')
    .orderBy('x.server_id')
    .orderBy('x.key_sha')
    .limit(f.limit + 1)
    .execute();
  const found = await store.db
    .selectFrom('indicator_servers as x')
    .innerJoin('indicators as i', 'i.id', 'x.indicator_id')
    .innerJoin('servers as s', 's.id', 'x.server_id')
    .innerJoin('organisations as o', 'o.id', 's.org_id')
    .select([
      'i.kind',
      'i.value',
      'x.first_seen',
      'x.last_seen',
      'x.scans',
      's.org_id',
      'o.name as org_name',
      'o.created_at as org_created',
      'x.server_id',
      's.name as server_name',
      's.created_at as server_created',
    ])
    .$if(org !== undefined, (q) =>
      q.where('s.org_id', '=', org as number).where('x.org_id', '=', org as number),
    )
    .$if(f.since !== undefined, (q) => q.where('x.last_seen', '>=', f.since as string))
    .orderBy('x.last_seen', 'desc')
    .orderBy('x.server_id')
    .orderBy('x.indicator_id')
    .limit(f.limit + 1)
    .execute();
  const items: FleetSighting[] = [
    ...matched.slice(0, f.limit).map((r) => ({
      kind: 'matched' as const,
      ruleId: r.rule_id,
      type: r.ind_type,
      value: r.ind_value,
      source: r.source,
      findings: r.findings,
      ...place(r),
    })),
    ...found.slice(0, f.limit).map((r) => ({
      kind: 'found' as const,
      type: r.kind,
      value: r.value,
      ...place(r),
    })),
  ];
  return { items, truncated: matched.length > f.limit || found.length > f.limit };
}
