// Attacker clusters (pure): indicators used together in sessions, across servers, linked into connected
// components. Edge weight = how many servers saw the two indicators in one session; only edges at or above
// the threshold link, and background noise (see noise.ts) links nothing, so a scanner seen by two attackers'
// victims never makes them one.

import { UnionFind } from '../core/union-find.js';
import type { Noise } from './noise.js';
import type { IndicatorKind } from './schema.js';

export interface GraphNode {
  id: number;
  kind: IndicatorKind;
  value: string;
  /** Organisations of the fleet that saw it. */
  orgs: number;
}

interface GraphEdge {
  a: number;
  b: number;
  /** Servers at which the two were used in one session. */
  weight: number;
}

/** A session as the store keeps it: the server and the ids of the indicators used in it. */
export interface SessionGroup {
  server: number;
  indicators: readonly number[];
}

interface ClusterOptions {
  /** Fewest servers at which two indicators must share a session to link (default 1). */
  minWeight: number;
  noise: (n: GraphNode) => Noise | undefined;
}

interface Clustering {
  /** Each cluster's indicator ids, ascending; a cluster is named by its smallest id. Ordered by that id. */
  clusters: number[][];
  clusterOf: Map<number, number>;
  noise: Map<number, Noise>;
}

/**
 * Co-occurrence edges with their weight: a pair counts once per server however many sessions or scans of
 * that server repeat it, so a rescan proves nothing new.
 */
export function coOccurrence(sessions: Iterable<SessionGroup>): GraphEdge[] {
  // Sessions in server order: a pair counts again only when the server changes, so one number per edge
  // replaces a set of servers (a fleet of 100,000 servers has millions of edges).
  const list = [...sessions].sort((x, y) => x.server - y.server);
  const small = list.every((s) => s.indicators.every((id) => id < 2 ** 26));
  const seen = new Map<number | string, { a: number; b: number; weight: number; server: number }>();
  for (const s of list) {
    const ids = [...new Set(s.indicators)].sort((x, y) => x - y);
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) {
        const a = ids[i] as number;
        const b = ids[j] as number;
        const k = small ? a * 2 ** 26 + b : `${a},${b}`;
        const e = seen.get(k);
        if (!e) seen.set(k, { a, b, weight: 1, server: s.server });
        else if (e.server !== s.server) {
          e.weight++;
          e.server = s.server;
        }
      }
  }
  return [...seen.values()].map((e) => ({ a: e.a, b: e.b, weight: e.weight }));
}

/** Every indicator that is not noise belongs to exactly one cluster (alone when nothing links it). */
export function clusterIndicators(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  opts: ClusterOptions,
): Clustering {
  const noise = new Map<number, Noise>();
  const kept: GraphNode[] = [];
  for (const n of nodes) {
    const why = opts.noise(n);
    if (why) noise.set(n.id, why);
    else kept.push(n);
  }
  kept.sort((x, y) => x.id - y.id);
  const index = new Map(kept.map((n, i) => [n.id, i]));
  const uf = new UnionFind(kept.length);
  for (const e of edges) {
    if (e.weight < opts.minWeight) continue;
    const a = index.get(e.a);
    const b = index.get(e.b);
    if (a !== undefined && b !== undefined) uf.union(a, b);
  }
  const clusters: number[][] = [];
  const clusterOf = new Map<number, number>();
  // UnionFind keeps the smallest index as root, and indexes follow ids: groups come out named and ordered.
  for (const g of uf.groups().values()) {
    const ids = g.map((i) => (kept[i] as GraphNode).id);
    for (const id of ids) clusterOf.set(id, ids[0] as number);
    clusters.push(ids);
  }
  clusters.sort((x, y) => (x[0] as number) - (y[0] as number));
  return { clusters, clusterOf, noise };
}
