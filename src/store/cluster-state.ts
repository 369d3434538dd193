// The fleet's attacker clusters in one scope, recomputed from the session tables when a scan was added
// since the last computation (cached per store, scope and settings). Administrators cluster every
// organisation's sessions and see organisations as victims; a tenant clusters its own sessions only and sees
// its servers, so that nothing another tenant saw shapes, or shows in, its clusters.

import type { Store } from './db.js';
import { clusterIndicators, coOccurrence } from './clustering.js';
import type { GraphNode, SessionGroup } from './clustering.js';
import type { Noise } from './noise.js';
import { classifyNoise, DEFAULT_WIDESPREAD_ORGS, scannerMatcher, scannerTable } from './noise.js';
import type { IndicatorKind } from './schema.js';

export interface ClusterSettings {
  /** Fewest servers at which two indicators shared a session for them to link (default 1). */
  minWeight: number;
  /** Addresses and agents seen at this many organisations or more are background noise (default 10). */
  widespreadOrgs: number;
}

export const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = {
  minWeight: 1,
  widespreadOrgs: DEFAULT_WIDESPREAD_ORGS,
};

/** Where an indicator or cluster was seen: an organisation (administrators) or a server (tenants). */
interface VictimAgg {
  first: string;
  last: string;
  stages: Set<string>;
  /** The servers behind the victim (one for a server). */
  servers: Set<number>;
}

export interface IndicatorAgg {
  id: number;
  kind: IndicatorKind;
  value: string;
  victims: Set<number>;
  first: string;
  last: string;
}

export interface ClusterAgg {
  id: number;
  indicators: IndicatorAgg[];
  victims: Map<number, VictimAgg>;
  first: string;
  last: string;
  stages: Set<string>;
  cves: Set<string>;
  sessions: number;
}

export interface NoiseAgg extends IndicatorAgg {
  noise: Noise;
}

interface ClusterState {
  victimKind: 'organisation' | 'server';
  clusters: ClusterAgg[];
  /** Any member indicator's id → its cluster's id. */
  clusterOf: Map<number, number>;
  byId: Map<number, ClusterAgg>;
  noise: NoiseAgg[];
}

interface SessionRow {
  server_id: number;
  org_id: number;
  session_key: string;
  first_seen: string;
  last_seen: string;
  stages: string;
  cves: string;
}

const cache = new WeakMap<Store, Map<string, { version: string; state: Promise<ClusterState> }>>();

/** The clusters of a scope (`org` undefined: every organisation), computed again only after a new scan. */
export async function clusterState(
  store: Store,
  org: number | undefined,
  settings: ClusterSettings,
): Promise<ClusterState> {
  const version = await scanVersion(store, org);
  let perStore = cache.get(store);
  if (!perStore)
    cache.set(store, (perStore = new Map<string, { version: string; state: Promise<ClusterState> }>()));
  const key = `${org ?? 'all'}|${settings.minWeight}|${settings.widespreadOrgs}`;
  const hit = perStore.get(key);
  if (hit && hit.version === version) return hit.state;
  const state = computeClusters(store, org, settings);
  perStore.set(key, { version, state });
  state.catch(() => perStore.delete(key));
  return state;
}

/** Scans are never deleted, so the newest scan id says whether anything changed. */
async function scanVersion(store: Store, org: number | undefined): Promise<string> {
  const row = await store.db
    .selectFrom('scans')
    .select((eb) => eb.fn.max('id').as('v'))
    .$if(org !== undefined, (q) => q.where('org_id', '=', org as number))
    .executeTakeFirst();
  return String(row?.v ?? 0);
}

/** Reads the session tables of the scope and clusters them; exported for the benchmark. */
export async function computeClusters(
  store: Store,
  org: number | undefined,
  settings: ClusterSettings,
): Promise<ClusterState> {
  const sessions = await store.db
    .selectFrom('server_sessions')
    .select(['server_id', 'org_id', 'session_key', 'first_seen', 'last_seen', 'stages', 'cves'])
    .$if(org !== undefined, (q) => q.where('org_id', '=', org as number))
    .execute();
  const items = await store.db
    .selectFrom('server_session_indicators')
    .select(['server_id', 'session_key', 'indicator_id'])
    .$if(org !== undefined, (q) => q.where('org_id', '=', org as number))
    .execute();
  const sessionOf = new Map<string, { row: SessionRow; indicators: number[] }>();
  for (const r of sessions) sessionOf.set(`${r.server_id}\0${r.session_key}`, { row: r, indicators: [] });
  for (const i of items) sessionOf.get(`${i.server_id}\0${i.session_key}`)?.indicators.push(i.indicator_id);
  const ids = new Set(items.map((i) => i.indicator_id));
  const nodes = await loadNodes(store, org, ids);
  const groups: SessionGroup[] = [...sessionOf.values()].map((s) => ({
    server: s.row.server_id,
    indicators: s.indicators,
  }));
  const scanner = scannerMatcher(scannerTable());
  const result = clusterIndicators(nodes, coOccurrence(groups), {
    minWeight: settings.minWeight,
    noise: (n) => classifyNoise(n, { widespreadOrgs: settings.widespreadOrgs, scanner }),
  });
  const victimOf = (r: SessionRow) => (org === undefined ? r.org_id : r.server_id);
  const nodeOf = new Map(nodes.map((n) => [n.id, n]));
  const indicatorAgg = new Map<number, IndicatorAgg>();
  const byId = new Map<number, ClusterAgg>();
  for (const members of result.clusters) {
    const id = members[0] as number;
    byId.set(id, {
      id,
      indicators: [],
      victims: new Map(),
      first: '',
      last: '',
      stages: new Set(),
      cves: new Set(),
      sessions: 0,
    });
  }
  for (const { row, indicators } of sessionOf.values()) {
    const victim = victimOf(row);
    const touched = new Set<ClusterAgg>();
    for (const iid of indicators) {
      const n = nodeOf.get(iid);
      if (!n) continue;
      let a = indicatorAgg.get(iid);
      if (!a)
        indicatorAgg.set(
          iid,
          (a = {
            id: iid,
            kind: n.kind,
            value: n.value,
            victims: new Set(),
            first: row.first_seen,
            last: row.last_seen,
          }),
        );
      a.victims.add(victim);
      if (row.first_seen < a.first) a.first = row.first_seen;
      if (row.last_seen > a.last) a.last = row.last_seen;
      const cid = result.clusterOf.get(iid);
      const c = cid === undefined ? undefined : byId.get(cid);
      if (c) touched.add(c);
    }
    const stages = row.stages ? row.stages.split(',') : [];
    for (const c of touched) {
      c.sessions++;
      if (!c.first || row.first_seen < c.first) c.first = row.first_seen;
      if (!c.last || row.last_seen > c.last) c.last = row.last_seen;
      for (const s of stages) c.stages.add(s);
      if (row.cves) for (const cve of row.cves.split(',')) c.cves.add(cve);
      let v = c.victims.get(victim);
      if (!v)
        c.victims.set(
          victim,
          (v = { first: row.first_seen, last: row.last_seen, stages: new Set(), servers: new Set() }),
        );
      if (row.first_seen < v.first) v.first = row.first_seen;
      if (row.last_seen > v.last) v.last = row.last_seen;
      for (const s of stages) v.stages.add(s);
      v.servers.add(row.server_id);
    }
  }
  for (const members of result.clusters) {
    const c = byId.get(members[0] as number) as ClusterAgg;
    for (const iid of members) {
      const a = indicatorAgg.get(iid);
      if (a) c.indicators.push(a);
    }
  }
  const noise: NoiseAgg[] = [];
  for (const [iid, why] of result.noise) {
    const a = indicatorAgg.get(iid);
    if (a) noise.push({ ...a, noise: why });
  }
  noise.sort((x, y) => y.victims.size - x.victims.size || y.last.localeCompare(x.last) || x.id - y.id);
  // The order of the list: most victims, then most recent, then newest id.
  const clusters = [...byId.values()]
    .filter((c) => c.indicators.length > 0)
    .sort((x, y) => y.victims.size - x.victims.size || y.last.localeCompare(x.last) || y.id - x.id);
  return {
    victimKind: org === undefined ? 'organisation' : 'server',
    clusters,
    clusterOf: result.clusterOf,
    byId,
    noise,
  };
}

/**
 * The indicators of the sessions with how many organisations of the fleet saw each. A tenant's view reads
 * only its own indicators; the fleet-wide count decides only whether one is widespread noise, and is never
 * shown to a tenant.
 */
async function loadNodes(store: Store, org: number | undefined, ids: Set<number>): Promise<GraphNode[]> {
  const rows =
    org === undefined
      ? await store.db.selectFrom('indicators').select(['id', 'kind', 'value', 'org_count']).execute()
      : await store.db
          .selectFrom('indicator_orgs as o')
          .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
          .select(['i.id', 'i.kind', 'i.value', 'i.org_count'])
          .where('o.org_id', '=', org)
          .execute();
  return rows
    .filter((r) => ids.has(r.id))
    .map((r) => ({ id: r.id, kind: r.kind, value: r.value, orgs: r.org_count }));
}
