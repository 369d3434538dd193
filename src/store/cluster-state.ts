// The fleet's attacker clusters in one scope: a model per store, scope and settings, built from the session
// tables on first use and then brought up to date from the ingest log (cluster-log.ts) on each read. Administrators cluster every
// organisation's sessions and see organisations as victims; a tenant clusters its own sessions only and sees
// its servers, so that nothing another tenant saw shapes, or shows in, its clusters.

import type { ClusterChange } from './cluster-log.js';
import { changesAfter, latestChange } from './cluster-log.js';
import { ClusterModel } from './cluster-model.js';
import type { SessionFact } from './cluster-model.js';
import type { Store } from './db.js';
import { clusterIndicators, coOccurrence } from './clustering.js';
import type { GraphNode, SessionGroup } from './clustering.js';
import { chunk } from './tx.js';
import { classifyNoise, DEFAULT_WIDESPREAD_ORGS, scannerMatcher, scannerTable } from './noise.js';
import type { ClusterAgg, ClusterSettings, ClusterState, IndicatorAgg, NoiseAgg } from './cluster-types.js';
export type {
  ClusterAgg,
  ClusterSettings,
  ClusterState,
  IndicatorAgg,
  NoiseAgg,
  VictimAgg,
} from './cluster-types.js';

export const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = {
  minWeight: 1,
  widespreadOrgs: DEFAULT_WIDESPREAD_ORGS,
};

interface SessionRow {
  server_id: number;
  org_id: number;
  session_key: string;
  first_seen: string;
  last_seen: string;
  stages: string;
  cves: string;
}

interface Cached {
  /** The last cluster change applied. */
  seq: number;
  model: ClusterModel;
  /** Updates run one after another: each applies the log from where the last stopped. */
  busy: Promise<unknown>;
}

const cache = new WeakMap<Store, Map<string, Promise<Cached>>>();

/**
 * The clusters of a scope (`org` undefined: every organisation), brought up to date with the ingests
 * since the last call (see cluster-model.ts); the first call in a process builds them from every session.
 */
export async function clusterState(
  store: Store,
  org: number | undefined,
  settings: ClusterSettings,
): Promise<ClusterState> {
  return (await clusterModel(store, org, settings)).state();
}

/** The up-to-date model of a scope (the campaign notifications read which clusters an ingest touched). */
export async function clusterModel(
  store: Store,
  org: number | undefined,
  settings: ClusterSettings,
): Promise<ClusterModel> {
  let perStore = cache.get(store);
  if (!perStore) cache.set(store, (perStore = new Map<string, Promise<Cached>>()));
  const key = `${org ?? 'all'}|${settings.minWeight}|${settings.widespreadOrgs}`;
  let entry = perStore.get(key);
  if (!entry) {
    entry = buildModel(store, org, settings);
    perStore.set(key, entry);
    entry.catch(() => perStore.delete(key));
  }
  const c = await entry;
  const run = c.busy.then(async () => {
    const upTo = await latestChange(store.db);
    if (upTo > c.seq) {
      await applyChanges(store, org, c.model, await changesAfter(store.db, c.seq, upTo));
      c.seq = upTo;
    }
  });
  c.busy = run.catch(() => undefined);
  await run;
  return c.model;
}

function newModel(org: number | undefined, settings: ClusterSettings): ClusterModel {
  const scanner = scannerMatcher(scannerTable());
  return new ClusterModel({
    victimKind: org === undefined ? 'organisation' : 'server',
    minWeight: settings.minWeight,
    noise: (n) => classifyNoise(n, { widespreadOrgs: settings.widespreadOrgs, scanner }),
  });
}

/** Every session of the scope into a new model; the log's position is read first, so nothing is missed. */
async function buildModel(store: Store, org: number | undefined, settings: ClusterSettings): Promise<Cached> {
  const seq = await latestChange(store.db);
  const servers = await readSessions(store, org, undefined);
  const ids = new Set<number>();
  for (const list of servers.values()) for (const s of list) for (const id of s.indicators) ids.add(id);
  const model = newModel(org, settings);
  model.apply(servers, await loadNodes(store, org, ids));
  return { seq, model, busy: Promise.resolve() };
}

/** Sessions with their indicators, grouped by server: the scope's, or only those of `serverIds`. */
async function readSessions(
  store: Store,
  org: number | undefined,
  serverIds: number[] | undefined,
): Promise<Map<number, SessionFact[]>> {
  const out = new Map<number, SessionFact[]>();
  const parts = serverIds ? chunk(serverIds, 1) : [undefined];
  for (const part of parts) {
    const sessions = await store.db
      .selectFrom('server_sessions')
      .select(['server_id', 'org_id', 'session_key', 'first_seen', 'last_seen', 'stages', 'cves'])
      .$if(org !== undefined, (q) => q.where('org_id', '=', org as number))
      .$if(part !== undefined, (q) => q.where('server_id', 'in', part as number[]))
      .execute();
    const items = await store.db
      .selectFrom('server_session_indicators')
      .select(['server_id', 'session_key', 'indicator_id'])
      .$if(org !== undefined, (q) => q.where('org_id', '=', org as number))
      .$if(part !== undefined, (q) => q.where('server_id', 'in', part as number[]))
      .execute();
    const byKey = new Map<string, SessionFact>();
    for (const r of sessions) {
      const f: SessionFact = {
        server: Number(r.server_id),
        org: Number(r.org_id),
        key: r.session_key,
        first: r.first_seen,
        last: r.last_seen,
        stages: r.stages ? r.stages.split(',') : [],
        cves: r.cves ? r.cves.split(',') : [],
        indicators: [],
      };
      byKey.set(`${f.server}\0${f.key}`, f);
      const list = out.get(f.server);
      if (list) list.push(f);
      else out.set(f.server, [f]);
    }
    for (const i of items)
      byKey.get(`${i.server_id}\0${i.session_key}`)?.indicators.push(Number(i.indicator_id));
  }
  for (const id of serverIds ?? []) if (!out.has(id)) out.set(id, []);
  return out;
}

/**
 * The log's changes into the model: the scope's changed servers' sessions read again, and the indicators
 * those ingests recorded read again where the model holds them (another tenant's ingest can make one
 * widespread noise).
 */
async function applyChanges(
  store: Store,
  org: number | undefined,
  model: ClusterModel,
  changes: ClusterChange[],
): Promise<void> {
  if (changes.length === 0) return;
  const serverIds = [
    ...new Set(changes.filter((c) => org === undefined || c.orgId === org).map((c) => c.serverId)),
  ];
  const servers = serverIds.length ? await readSessions(store, org, serverIds) : new Map<number, SessionFact[]>(); // prettier-ignore
  const ids = new Set<number>();
  for (const c of changes) for (const id of c.indicators) if (model.has(id)) ids.add(id);
  for (const list of servers.values())
    for (const s of list) for (const id of s.indicators) if (!model.has(id)) ids.add(id);
  const nodes: GraphNode[] = [];
  for (const part of chunk([...ids], 1)) {
    const rows = await store.db
      .selectFrom('indicators')
      .select(['id', 'kind', 'value', 'org_count'])
      .where('id', 'in', part)
      .execute();
    for (const r of rows) nodes.push({ id: Number(r.id), kind: r.kind, value: r.value, orgs: r.org_count });
  }
  model.apply(servers, nodes);
}

/**
 * The reference: reads the session tables of the scope and clusters them all at once, independently of the
 * model (the incremental model is tested against it; the benchmark times it).
 */
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
