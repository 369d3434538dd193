// Indicators at ingest: recorded per server and organisation, with the counters the campaign view reads.

import { sql } from 'kysely';
import type { IndicatorUse } from './extract.js';
import type { IndicatorKind } from './schema.js';
import type { Tx } from './tx.js';
import { chunk } from './tx.js';

/** For upserts: the earlier of the stored and the new first sighting, and the later of the last ones. */
export const earlier = (col: string) =>
  sql<string>`CASE WHEN excluded.first_seen < ${sql.ref(col)} THEN excluded.first_seen ELSE ${sql.ref(col)} END`;
export const later = (col: string) =>
  sql<string>`CASE WHEN excluded.last_seen > ${sql.ref(col)} THEN excluded.last_seen ELSE ${sql.ref(col)} END`;

/**
 * Of these ids or keys, those the same scan already counted (an agent's scan, stored batch by batch): they
 * update first and last sightings but add nothing to the counts. Marks the rest as counted.
 */
export type CountedBefore<K> = (keys: K[]) => Promise<ReadonlySet<K>>;

/**
 * Returns each indicator's id by its key (`kind\0value`).
 *
 * Counters stay exact without table locks. A brand-new indicator is inserted already counting this
 * organisation (INSERT … ON CONFLICT DO NOTHING RETURNING returns only rows this statement inserted); a
 * per-server or per-organisation upsert's RETURNING shows the row's count after the statement, which is 1
 * only for the transaction that inserted it. Concurrent inserts of one key wait for each other in both
 * databases, so exactly one ingest counts a new server or organisation.
 *
 * Shared indicator rows (a scanner's user agent seen by every tenant) are written only when something
 * changes (a new organisation, an earlier first or later last sighting), one row at a time in id order
 * just before commit: ingests of different tenants rarely wait for each other and never deadlock there.
 */
export async function recordIndicators(
  trx: Tx,
  orgId: number,
  serverId: number,
  uses: IndicatorUse[],
  countedBefore?: CountedBefore<number>,
): Promise<Map<string, number>> {
  if (uses.length === 0) return new Map();
  const key = (kind: string, value: string) => `${kind}\0${value}`;
  // Most indicators exist already: look them up first, insert only the rest.
  const current = await lookup(trx, uses);
  const idOf = new Map([...current].map(([k, v]) => [k, v.id]));
  const missing = uses.filter((u) => !current.has(key(u.kind, u.value)));
  const created = new Set<string>();
  for (const part of chunk(missing, 5)) {
    const rows = await trx
      .insertInto('indicators')
      .values(
        part.map((u) => ({
          kind: u.kind,
          value: u.value,
          first_seen: u.first,
          last_seen: u.last,
          org_count: 1,
        })),
      )
      .onConflict((oc) => oc.columns(['kind', 'value']).doNothing())
      .returning(['id', 'kind', 'value'])
      .execute();
    for (const r of rows) {
      created.add(key(r.kind, r.value));
      idOf.set(key(r.kind, r.value), r.id);
    }
  }
  // Inserted meanwhile by a concurrent ingest (ours did nothing): read them like the others.
  const raced = missing.filter((u) => !created.has(key(u.kind, u.value)));
  for (const [k, v] of await lookup(trx, raced)) {
    current.set(k, v);
    idOf.set(k, v.id);
  }
  const items = uses
    .map((u) => ({ u, id: idOf.get(key(u.kind, u.value)) as number }))
    .sort((a, b) => a.id - b.id);
  // Counted by this scan before: the rows exist already (this server's and organisation's), counts stay.
  const again = countedBefore ? await countedBefore(items.map((i) => i.id)) : new Set<number>();
  const add = (id: number) => (again.has(id) ? 0 : 1);
  const newServer = new Set<number>();
  for (const part of chunk(items, 6)) {
    const rows = await trx
      .insertInto('indicator_servers')
      .values(
        part.map(({ u, id }) => ({
          indicator_id: id,
          server_id: serverId,
          org_id: orgId,
          first_seen: u.first,
          last_seen: u.last,
          scans: add(id),
        })),
      )
      .onConflict((oc) =>
        oc.columns(['indicator_id', 'server_id']).doUpdateSet({
          first_seen: earlier('indicator_servers.first_seen'),
          last_seen: later('indicator_servers.last_seen'),
          scans: sql<number>`indicator_servers.scans + excluded.scans`,
        }),
      )
      .returning(['indicator_id', 'scans'])
      .execute();
    for (const r of rows) if (r.scans === 1 && !again.has(r.indicator_id)) newServer.add(r.indicator_id);
  }
  const newOrg = new Set<number>();
  for (const part of chunk(items, 6)) {
    const rows = await trx
      .insertInto('indicator_orgs')
      .values(
        part.map(({ u, id }) => ({
          indicator_id: id,
          org_id: orgId,
          first_seen: u.first,
          last_seen: u.last,
          server_count: newServer.has(id) ? 1 : 0,
          sightings: add(id),
        })),
      )
      .onConflict((oc) =>
        oc.columns(['indicator_id', 'org_id']).doUpdateSet({
          first_seen: earlier('indicator_orgs.first_seen'),
          last_seen: later('indicator_orgs.last_seen'),
          server_count: sql<number>`indicator_orgs.server_count + excluded.server_count`,
          sightings: sql<number>`indicator_orgs.sightings + excluded.sightings`,
        }),
      )
      .returning(['indicator_id', 'sightings'])
      .execute();
    for (const r of rows) if (r.sightings === 1 && !again.has(r.indicator_id)) newOrg.add(r.indicator_id);
  }
  const rules = items.flatMap(({ u, id }) =>
    [...u.rules].map(([k, title]) => {
      const [ruleId = '', stage = ''] = k.split('\0');
      return { indicator_id: id, org_id: orgId, rule_id: ruleId, stage, rule_title: title };
    }),
  );
  for (const part of chunk(rules, 5)) {
    // Only a rule new to this organisation can be new across all of them.
    const fresh = await trx
      .insertInto('indicator_rules')
      .values(part)
      .onConflict((oc) => oc.columns(['indicator_id', 'org_id', 'rule_id', 'stage']).doNothing())
      .returning(['indicator_id', 'rule_id', 'stage', 'rule_title'])
      .execute();
    if (fresh.length)
      await trx
        .insertInto('indicator_activity')
        .values(fresh)
        .onConflict((oc) => oc.columns(['indicator_id', 'rule_id', 'stage']).doNothing())
        .execute();
  }
  for (const { u, id } of items) {
    const cur = current.get(key(u.kind, u.value));
    if (!cur) continue; // created by this ingest, already right
    const orgs = newOrg.has(id) ? 1 : 0;
    if (!orgs && u.first >= cur.first && u.last <= cur.last) continue;
    await trx
      .updateTable('indicators')
      .set({
        org_count: sql<number>`org_count + ${orgs}`,
        first_seen: sql<string>`CASE WHEN ${u.first} < first_seen THEN ${u.first} ELSE first_seen END`,
        last_seen: sql<string>`CASE WHEN ${u.last} > last_seen THEN ${u.last} ELSE last_seen END`,
      })
      .where('id', '=', id)
      .execute();
  }
  return idOf;
}

/** Indicator rows by kind and value, in one statement (the (kind, value) unique index answers each kind). */
async function lookup(
  trx: Tx,
  uses: IndicatorUse[],
): Promise<Map<string, { id: number; first: string; last: string }>> {
  const out = new Map<string, { id: number; first: string; last: string }>();
  for (const part of chunk(uses, 2)) {
    const kinds = new Map<IndicatorKind, string[]>();
    for (const u of part) kinds.set(u.kind, [...(kinds.get(u.kind) ?? []), u.value]);
    const rows = await trx
      .selectFrom('indicators')
      .select(['id', 'kind', 'value', 'first_seen', 'last_seen'])
      .where((eb) =>
        eb.or([...kinds].map(([kind, values]) => eb.and([eb('kind', '=', kind), eb('value', 'in', values)]))),
      )
      .execute();
    for (const r of rows)
      out.set(`${r.kind}\0${r.value}`, { id: r.id, first: r.first_seen, last: r.last_seen });
  }
  return out;
}
