// Campaign notifications: `campaign.new` when an attacker cluster of an organisation's own servers reaches
// two victims, `campaign.grown` when it reaches another. Each organisation is told from its own clusters
// (tenant scope: nothing another tenant saw shapes them, and only its servers are named); background noise
// never forms a cluster, so it never notifies. The ingest log (cluster-log.ts) says which servers changed
// since the organisation's last pass (`campaign_watch`); only the clusters their sessions touch are looked
// at, and `campaign_notices` remembers which servers each cluster was announced with, so a server is
// announced once per cluster, also across several server processes (the watch row is locked).

import { sql } from 'kysely';
import type { ClusterAgg } from './cluster-state.js';
import { clusterModel, DEFAULT_CLUSTER_SETTINGS } from './cluster-state.js';
import { latestChange } from './cluster-log.js';
import type { Store } from './db.js';
import { queueNotification } from './notifications.js';
import type { Tx } from './tx.js';
import { chunk, now, withTx } from './tx.js';

/** A cluster becomes a campaign, worth telling, when it has reached two servers of the organisation. */
export const CAMPAIGN_MIN_VICTIMS = 2;

const KIND_RANK: Record<string, number> = { 'webshell-hash': 0, 'webshell-name': 1, ip: 2, 'user-agent': 3 };

/** A cluster's name: its strongest indicator (webshells first, then the most used), as the dashboard does. */
export function campaignLabel(c: ClusterAgg): string {
  const best = [...c.indicators].sort(
    (a, b) =>
      (KIND_RANK[a.kind] ?? 9) - (KIND_RANK[b.kind] ?? 9) || b.victims.size - a.victims.size || a.id - b.id,
  )[0];
  return best ? `${best.kind} ${best.value}` : `cluster ${c.id}`;
}

/** The newest change of an organisation, or 0. */
async function lastOrgChange(store: Store, orgId: number): Promise<number> {
  const row = await store.db
    .selectFrom('cluster_changes')
    .select((eb) => eb.fn.max('seq').as('v'))
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

/** The organisation's watch row, created (not a baseline: its clusters are all news) and locked. */
async function lockWatch(trx: Tx, store: Store, orgId: number): Promise<{ seq: number; baseline: number }> {
  await trx
    .insertInto('campaign_watch')
    .values({ org_id: orgId, seq: 0, baseline: 0 })
    .onConflict((oc) => oc.column('org_id').doNothing())
    .execute();
  const row = await trx
    .selectFrom('campaign_watch')
    .select(['seq', 'baseline'])
    .where('org_id', '=', orgId)
    .$if(store.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirstOrThrow();
  return { seq: Number(row.seq), baseline: row.baseline };
}

/** Queues what the organisation's changed servers did to its clusters; returns how many events. */
export async function noteCampaigns(store: Store, orgId: number): Promise<number> {
  const upTo = await lastOrgChange(store, orgId);
  if (upTo === 0) return 0;
  const quick = await store.db
    .selectFrom('campaign_watch')
    .select('seq')
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  if (quick && Number(quick.seq) >= upTo) return 0;
  // Up to date with at least `upTo` (it reads the log's end after this point).
  const model = await clusterModel(store, orgId, DEFAULT_CLUSTER_SETTINGS);
  const state = model.state();
  return withTx(store, async (trx) => {
    const watch = await lockWatch(trx, store, orgId);
    if (watch.seq >= upTo) return 0;
    const changed = await trx
      .selectFrom('cluster_changes')
      .select('server_id')
      .distinct()
      .where('org_id', '=', orgId)
      .where('seq', '>', watch.seq)
      .where('seq', '<=', upTo)
      .execute();
    const touched = new Set<number>();
    if (watch.baseline) for (const c of state.clusters) touched.add(c.id);
    for (const r of changed)
      for (const s of model.sessionsOfServer(Number(r.server_id)))
        for (const id of s.indicators) {
          const cid = state.clusterOf.get(id);
          if (cid !== undefined) touched.add(cid);
        }
    let queued = 0;
    for (const cid of [...touched].sort((a, b) => a - b)) {
      const c = state.byId.get(cid);
      if (!c || c.victims.size < CAMPAIGN_MIN_VICTIMS) continue;
      queued += await noteCluster(trx, orgId, c, watch.baseline === 1);
    }
    await trx
      .updateTable('campaign_watch')
      .set({ seq: upTo, baseline: 0 })
      .where('org_id', '=', orgId)
      .execute();
    return queued;
  });
}

/** One cluster: its announced servers moved to its current id, the new ones recorded and told. */
async function noteCluster(trx: Tx, orgId: number, c: ClusterAgg, silent: boolean): Promise<number> {
  const members = c.indicators.map((i) => i.id);
  const announced = new Set<number>();
  for (const part of chunk(members, 1)) {
    const rows = await trx
      .selectFrom('campaign_notices')
      .select('server_id')
      .where('org_id', '=', orgId)
      .where('cluster_id', 'in', part)
      .execute();
    for (const r of rows) announced.add(Number(r.server_id));
  }
  const fresh = [...c.victims.keys()].filter((s) => !announced.has(s)).sort((a, b) => a - b);
  if (fresh.length === 0) return 0;
  // Merged clusters keep one set of notices, under the id the cluster has now.
  for (const part of chunk(members, 1))
    await trx
      .deleteFrom('campaign_notices')
      .where('org_id', '=', orgId)
      .where('cluster_id', 'in', part)
      .execute();
  const at = now();
  const rows = [...announced, ...fresh].map((s) => ({ org_id: orgId, cluster_id: c.id, server_id: s, created_at: at })); // prettier-ignore
  for (const part of chunk(rows, 4)) await trx.insertInto('campaign_notices').values(part).execute();
  if (silent) return 0;
  const servers = new Map<number, { name: string; verdict: string | null }>();
  for (const part of chunk(fresh, 1)) {
    const found = await trx
      .selectFrom('servers')
      .select(['id', 'name', 'latest_verdict'])
      .where('org_id', '=', orgId) // the organisation's own servers only, whatever the cluster holds
      .where('id', 'in', part)
      .execute();
    for (const r of found) servers.set(Number(r.id), { name: r.name, verdict: r.latest_verdict });
  }
  const newVictims = fresh
    .filter((s) => servers.has(s))
    .map((s) => {
      const v = c.victims.get(s);
      const srv = servers.get(s) as { name: string; verdict: string | null };
      return { server: { id: s, name: srv.name }, verdict: srv.verdict, firstSeen: v?.first ?? null };
    })
    .sort((a, b) => String(a.firstSeen).localeCompare(String(b.firstSeen)) || a.server.id - b.server.id);
  if (newVictims.length === 0) return 0;
  const event = announced.size === 0 ? 'campaign.new' : 'campaign.grown';
  await queueNotification(trx, orgId, event, {
    campaign: {
      id: c.id,
      label: campaignLabel(c),
      victims: c.victims.size,
      indicators: c.indicators.length,
      firstSeen: c.first,
      lastSeen: c.last,
      stages: [...c.stages].sort(),
      cves: [...c.cves].sort(),
    },
    newVictims,
  });
  return 1;
}

/**
 * Every organisation with changes after `after` (the log's position a caller last passed), told in turn;
 * returns the log position reached and how many events were queued.
 */
export async function noteAllCampaigns(
  store: Store,
  after: number,
): Promise<{ seq: number; queued: number }> {
  const upTo = await latestChange(store.db);
  if (upTo <= after) return { seq: after, queued: 0 };
  const orgs = await store.db
    .selectFrom('cluster_changes')
    .select('org_id')
    .distinct()
    .where('seq', '>', after)
    .where('seq', '<=', upTo)
    .execute();
  let queued = 0;
  for (const o of orgs) queued += await noteCampaigns(store, Number(o.org_id));
  return { seq: upTo, queued };
}

/** Where a new dispatcher starts reading the log: the least advanced organisation (none yet: 0). */
export async function campaignCursor(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('organisations as o')
    .leftJoin('campaign_watch as w', 'w.org_id', 'o.id')
    .select(sql<number | null>`min(coalesce(w.seq, 0))`.as('v'))
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}
