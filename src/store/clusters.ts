// The campaign view as attackers: clusters of indicators used together, each with its victims and their
// verdicts, first and last seen, techniques (stages, CVEs), and the background noise set apart.

import { VERDICT_RANK } from '../core/report.js';
import type { ClusterAgg, ClusterSettings, IndicatorAgg, NoiseAgg } from './cluster-state.js';
import { clusterState, DEFAULT_CLUSTER_SETTINGS } from './cluster-state.js';
import type { Store } from './db.js';
import type { NoiseReason } from './noise.js';
import { decodeCursor, limitOf } from './page.js';
import type { Page, PageArgs } from './page.js';
import type { IndicatorKind } from './schema.js';
import type { Scope } from './scope.js';
import { orgFilter } from './scope.js';
import { chunk } from './tx.js';
import type {
  ClusterDetail,
  ClusterIndicator,
  ClusterPage,
  ClusterSummary,
  NoiseIndicator,
} from '../core/views.js';
export type {
  ClusterDetail,
  ClusterIndicator,
  ClusterPage,
  ClusterSummary,
  ClusterVictim,
  NoiseIndicator,
} from '../core/views.js';

interface ClusterFilter extends PageArgs, Partial<ClusterSettings> {
  /** Fewest victims for a cluster to be listed (default 1). */
  min?: number;
}

/** By string: a stored verdict is text. */
const RANK: Readonly<Record<string, number>> = VERDICT_RANK;
const KIND_RANK: Record<IndicatorKind, number> = {
  'webshell-hash': 0,
  'webshell-name': 1,
  ip: 2,
  'user-agent': 3,
};

function worst(verdicts: (string | null)[]): string | null {
  let w: string | null = null;
  for (const v of verdicts) if (v !== null && (w === null || (RANK[v] ?? 0) > (RANK[w] ?? 0))) w = v;
  return w;
}

function settingsOf(f: Partial<ClusterSettings>): ClusterSettings {
  return {
    minWeight: Math.max(1, Math.trunc(f.minWeight ?? DEFAULT_CLUSTER_SETTINGS.minWeight)),
    widespreadOrgs: Math.max(2, Math.trunc(f.widespreadOrgs ?? DEFAULT_CLUSTER_SETTINGS.widespreadOrgs)),
  };
}

const indicatorView = (a: IndicatorAgg): ClusterIndicator => ({
  id: a.id,
  kind: a.kind,
  value: a.value,
  victims: a.victims.size,
  firstSeen: a.first,
  lastSeen: a.last,
});

const noiseView = (n: NoiseAgg): NoiseIndicator => ({
  ...indicatorView(n),
  reason: n.noise.reason,
  detail: n.noise.detail,
});

/** Names and verdicts of the victims on a page: organisations or servers, read by id in the caller's scope. */
async function victimFacts(
  store: Store,
  org: number | undefined,
  clusters: ClusterAgg[],
): Promise<{ names: Map<number, string>; verdicts: Map<number, string | null> }> {
  const victimIds = [...new Set(clusters.flatMap((c) => [...c.victims.keys()]))];
  const serverIds = [
    ...new Set(clusters.flatMap((c) => [...c.victims.values()].flatMap((v) => [...v.servers]))),
  ];
  const names = new Map<number, string>();
  const verdicts = new Map<number, string | null>();
  for (const part of chunk(serverIds, 1)) {
    const rows = await store.db
      .selectFrom('servers')
      .select(['id', 'name', 'latest_verdict'])
      .where('id', 'in', part)
      .$if(org !== undefined, (q) => q.where('org_id', '=', org as number))
      .execute();
    for (const r of rows) {
      verdicts.set(r.id, r.latest_verdict);
      if (org !== undefined) names.set(r.id, r.name);
    }
  }
  if (org === undefined)
    for (const part of chunk(victimIds, 1)) {
      const rows = await store.db
        .selectFrom('organisations')
        .select(['id', 'name'])
        .where('id', 'in', part)
        .execute();
      for (const r of rows) names.set(r.id, r.name);
    }
  return { names, verdicts };
}

function summary(
  c: ClusterAgg,
  kind: 'organisation' | 'server',
  facts: { names: Map<number, string>; verdicts: Map<number, string | null> },
  limits: { indicators: number; victims: number },
): ClusterSummary {
  const victims = [...c.victims]
    .map(([id, v]) => ({
      kind,
      id,
      name: facts.names.get(id) ?? `#${id}`,
      verdict: worst([...v.servers].map((s) => facts.verdicts.get(s) ?? null)),
      firstSeen: v.first,
      lastSeen: v.last,
      servers: v.servers.size,
      stages: [...v.stages].sort(),
    }))
    .sort((a, b) => a.firstSeen.localeCompare(b.firstSeen) || a.id - b.id);
  const indicators = c.indicators
    .map(indicatorView)
    .sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || b.victims - a.victims || a.id - b.id);
  return {
    id: c.id,
    indicatorCount: indicators.length,
    indicators: indicators.slice(0, limits.indicators),
    victimCount: victims.length,
    victims: victims.slice(0, limits.victims),
    firstSeen: c.first,
    lastSeen: c.last,
    stages: [...c.stages].sort(),
    cves: [...c.cves].sort(),
    verdict: worst(victims.map((v) => v.verdict)),
    sessions: c.sessions,
  };
}

/** Clusters with the most victims first (then the most recent); the background noise in brief. */
export async function listClusters(store: Store, scope: Scope, f: ClusterFilter): Promise<ClusterPage> {
  const org = orgFilter(scope);
  const state = await clusterState(store, org, settingsOf(f));
  const limit = limitOf(f);
  const min = Math.max(1, f.min ?? 1);
  const after = decodeCursor(f.cursor, ['n', 's', 'n']);
  const past = (c: ClusterAgg) => {
    if (!after) return true;
    const [n, t, id] = after as [number, string, number];
    const v = c.victims.size;
    return v < n || (v === n && (c.last < t || (c.last === t && c.id < id)));
  };
  const rows: ClusterAgg[] = [];
  for (const c of state.clusters) {
    if (c.victims.size < min || !past(c)) continue;
    rows.push(c);
    if (rows.length > limit) break;
  }
  const more = rows.length > limit;
  const kept = rows.slice(0, limit);
  const facts = await victimFacts(store, org, kept);
  const last = kept[kept.length - 1];
  return {
    items: kept.map((c) => summary(c, state.victimKind, facts, { indicators: 8, victims: 10 })),
    next:
      more && last
        ? Buffer.from(JSON.stringify([last.victims.size, last.last, last.id])).toString('base64url')
        : null,
    noise: { indicators: state.noise.length, top: state.noise.slice(0, 20).map(noiseView) },
  };
}

/** The cluster holding indicator `id` (any member), with every victim, indicator and the timeline. */
export async function getCluster(
  store: Store,
  scope: Scope,
  id: number,
  f: Partial<ClusterSettings> = {},
): Promise<ClusterDetail | undefined> {
  const org = orgFilter(scope);
  const state = await clusterState(store, org, settingsOf(f));
  const cid = state.clusterOf.get(id);
  const c = cid === undefined ? undefined : state.byId.get(cid);
  if (!c || c.indicators.length === 0) return undefined;
  const facts = await victimFacts(store, org, [c]);
  const s = summary(c, state.victimKind, facts, { indicators: Infinity, victims: Infinity });
  return {
    ...s,
    timeline: s.victims.map((v) => ({
      time: v.firstSeen,
      victim: { kind: v.kind, id: v.id, name: v.name },
      verdict: v.verdict,
      stages: v.stages,
    })),
  };
}

/** Background noise, most victims first; offset paging over the computed list. */
export async function listNoise(
  store: Store,
  scope: Scope,
  f: PageArgs & Partial<ClusterSettings> & { reason?: NoiseReason },
): Promise<Page<NoiseIndicator>> {
  const state = await clusterState(store, orgFilter(scope), settingsOf(f));
  const limit = limitOf(f);
  const [offset = 0] = (decodeCursor(f.cursor, ['n']) ?? []) as number[];
  const all = f.reason ? state.noise.filter((n) => n.noise.reason === f.reason) : state.noise;
  const items = all.slice(offset, offset + limit).map(noiseView);
  const more = offset + limit < all.length;
  return { items, next: more ? Buffer.from(JSON.stringify([offset + limit])).toString('base64url') : null };
}
