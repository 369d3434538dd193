// Attacker clusters kept up to date one ingest at a time (pure: the reading is cluster-state.ts's). The
// model holds every session of its scope and the clusters as they stand; an ingest replaces its server's
// sessions and the organisation counts of its indicators, and only the clusters those touch are computed
// again: their members and the new indicators form a region, whose sessions are linked afresh (union-find,
// or weighted co-occurrence when a link needs several servers) and whose clusters are aggregated again.
// Unions, merges and the split of a cluster whose indicator became noise are all the same step, so the
// result equals a full recompute (cluster-state.test.ts checks it against computeClusters on both
// databases). A full build is the same step with every indicator in the region.

import { UnionFind } from '../core/union-find.js';
import { coOccurrence } from './clustering.js';
import type { GraphNode } from './clustering.js';
import type { ClusterAgg, ClusterState, IndicatorAgg, NoiseAgg } from './cluster-types.js';
import type { Noise } from './noise.js';

/** A session as stored: its server and organisation, times, what it did and the indicators it used. */
export interface SessionFact {
  server: number;
  org: number;
  key: string;
  first: string;
  last: string;
  stages: string[];
  cves: string[];
  indicators: number[];
}

export interface ModelOptions {
  victimKind: 'organisation' | 'server';
  minWeight: number;
  noise: (n: GraphNode) => Noise | undefined;
}

/** What one `apply` changed: the clusters that are new or were computed again, and those gone. */
export interface ModelDelta {
  touched: number[];
  removed: number[];
}

/** The list's order: most victims, then most recent, then newest id. */
function listOrder(x: ClusterAgg, y: ClusterAgg): number {
  return y.victims.size - x.victims.size || (y.last < x.last ? -1 : y.last > x.last ? 1 : 0) || y.id - x.id;
}

export class ClusterModel {
  private readonly sessionsOf = new Map<number, SessionFact[]>();
  private readonly byIndicator = new Map<number, SessionFact[]>();
  private readonly nodes = new Map<number, GraphNode>();
  private readonly noiseOf = new Map<number, Noise>();
  private readonly clusterOf = new Map<number, number>();
  private readonly members = new Map<number, number[]>();
  private readonly indicatorAgg = new Map<number, IndicatorAgg>();
  private readonly byId = new Map<number, ClusterAgg>();
  private view: ClusterState | undefined;
  /** The clusters in list order, kept sorted across changes (a full sort of a large fleet's costs ~0.5 s). */
  private sorted: ClusterAgg[] = [];

  constructor(private readonly opts: ModelOptions) {}

  /** Whether the model holds this indicator (a change of its organisation count matters). */
  has(id: number): boolean {
    return this.nodes.has(id);
  }

  /** The sessions held for a server (to compare with what an ingest stored). */
  sessionsOfServer(server: number): readonly SessionFact[] {
    return this.sessionsOf.get(server) ?? [];
  }

  /**
   * Replaces the sessions of each server in `servers` (all of that server's sessions, as stored now) and
   * the given nodes (new indicators, or new organisation counts), then recomputes what they touch.
   */
  apply(servers: ReadonlyMap<number, SessionFact[]>, nodes: Iterable<GraphNode>): ModelDelta {
    const affected = new Set<number>();
    for (const [server, list] of servers) {
      for (const s of this.sessionsOf.get(server) ?? []) {
        for (const id of s.indicators) {
          affected.add(id);
          const l = this.byIndicator.get(id);
          if (l)
            this.byIndicator.set(
              id,
              l.filter((x) => x !== s),
            );
        }
      }
      if (list.length) this.sessionsOf.set(server, list);
      else this.sessionsOf.delete(server);
      for (const s of list)
        for (const id of new Set(s.indicators)) {
          affected.add(id);
          const l = this.byIndicator.get(id);
          if (l) l.push(s);
          else this.byIndicator.set(id, [s]);
        }
    }
    for (const n of nodes) {
      const known = this.nodes.has(n.id);
      const before = this.noiseOf.has(n.id);
      this.nodes.set(n.id, n);
      const why = this.opts.noise(n);
      if (why) this.noiseOf.set(n.id, why);
      else this.noiseOf.delete(n.id);
      // A new indicator, or one that crossed into background noise (which may split its cluster).
      if (!known || before !== (why !== undefined)) affected.add(n.id);
    }
    for (const id of affected) this.aggregateIndicator(id);
    const delta = this.recluster(affected);
    this.resort(delta);
    this.view = undefined;
    return delta;
  }

  /** The clusters computed again leave the list and go back in at their place; a large change sorts anew. */
  private resort(delta: ModelDelta): void {
    const changed = new Set([...delta.touched, ...delta.removed]);
    const fresh = delta.touched
      .map((id) => this.byId.get(id))
      .filter((c): c is ClusterAgg => !!c && c.indicators.length > 0);
    if (this.sorted.length === 0 || fresh.length > 1000) {
      this.sorted = [...this.byId.values()].filter((c) => c.indicators.length > 0).sort(listOrder);
      return;
    }
    this.sorted = this.sorted.filter((c) => !changed.has(c.id));
    for (const c of fresh) {
      let lo = 0;
      let hi = this.sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (listOrder(this.sorted[mid] as ClusterAgg, c) < 0) lo = mid + 1;
        else hi = mid;
      }
      this.sorted.splice(lo, 0, c);
    }
  }

  /** The clusters as the campaign views read them, built once per change. */
  state(): ClusterState {
    if (this.view) return this.view;
    const noise: NoiseAgg[] = [];
    for (const [id, why] of this.noiseOf) {
      const a = this.indicatorAgg.get(id);
      if (a) noise.push({ ...a, noise: why });
    }
    noise.sort((x, y) => y.victims.size - x.victims.size || y.last.localeCompare(x.last) || x.id - y.id);
    return (this.view = {
      victimKind: this.opts.victimKind,
      // Never changed in place (resort makes a new array), so a caller paging through it keeps its list.
      clusters: this.sorted,
      clusterOf: this.clusterOf,
      byId: this.byId,
      noise,
    });
  }

  private victimOf(s: SessionFact): number {
    return this.opts.victimKind === 'organisation' ? s.org : s.server;
  }

  /** An indicator's victims and times from every session that used it (kept in place: clusters share it). */
  private aggregateIndicator(id: number): void {
    const n = this.nodes.get(id);
    const list = this.byIndicator.get(id) ?? [];
    if (!n || list.length === 0) {
      this.indicatorAgg.delete(id);
      return;
    }
    let a = this.indicatorAgg.get(id);
    if (!a) this.indicatorAgg.set(id, (a = { id, kind: n.kind, value: n.value, victims: new Set(), first: '', last: '' })); // prettier-ignore
    a.victims.clear();
    a.first = '';
    a.last = '';
    for (const s of list) {
      a.victims.add(this.victimOf(s));
      if (!a.first || s.first < a.first) a.first = s.first;
      if (!a.last || s.last > a.last) a.last = s.last;
    }
  }

  /** The clusters of every affected indicator, and the new indicators, computed again as one region. */
  private recluster(affected: Set<number>): ModelDelta {
    const region = new Set<number>();
    const removed: number[] = [];
    for (const id of affected) {
      region.add(id);
      const cid = this.clusterOf.get(id);
      if (cid === undefined || !this.members.has(cid)) continue;
      for (const m of this.members.get(cid) ?? []) {
        region.add(m);
        this.clusterOf.delete(m);
      }
      this.members.delete(cid);
      this.byId.delete(cid);
      removed.push(cid);
    }
    const kept = [...region]
      .filter((id) => this.nodes.has(id) && !this.noiseOf.has(id) && this.byIndicator.get(id)?.length)
      .sort((a, b) => a - b);
    const index = new Map(kept.map((id, i) => [id, i]));
    const sessions = new Set<SessionFact>();
    for (const id of kept) for (const s of this.byIndicator.get(id) ?? []) sessions.add(s);
    const uf = new UnionFind(kept.length);
    if (this.opts.minWeight <= 1) {
      // Any shared session links: each session's indicators in the region become one.
      for (const s of sessions) {
        let first = -1;
        for (const id of s.indicators) {
          const i = index.get(id);
          if (i === undefined) continue;
          if (first < 0) first = i;
          else uf.union(first, i);
        }
      }
    } else {
      const groups = [...sessions].map((s) => ({ server: s.server, indicators: s.indicators }));
      for (const e of coOccurrence(groups)) {
        if (e.weight < this.opts.minWeight) continue;
        const a = index.get(e.a);
        const b = index.get(e.b);
        if (a !== undefined && b !== undefined) uf.union(a, b);
      }
    }
    const touched: number[] = [];
    for (const g of uf.groups().values()) {
      const ids = g.map((i) => kept[i] as number);
      const cid = ids[0] as number;
      for (const id of ids) this.clusterOf.set(id, cid);
      this.members.set(cid, ids);
      this.byId.set(cid, {
        id: cid,
        indicators: ids.map((id) => this.indicatorAgg.get(id)).filter((a): a is IndicatorAgg => !!a),
        victims: new Map(),
        first: '',
        last: '',
        stages: new Set(),
        cves: new Set(),
        sessions: 0,
      });
      touched.push(cid);
    }
    const fresh = new Set(touched);
    for (const s of sessions) this.addSession(s, fresh);
    return { touched, removed: removed.filter((id) => !this.byId.has(id)) };
  }

  /** A session's share of the region's clusters it touched (once each), as computeClusters counts it. */
  private addSession(s: SessionFact, only: ReadonlySet<number>): void {
    const touched = new Set<ClusterAgg>();
    for (const id of s.indicators) {
      const cid = this.clusterOf.get(id);
      // Clusters outside the region keep what this (unchanged) session gave them already.
      const c = cid === undefined || !only.has(cid) ? undefined : this.byId.get(cid);
      if (c) touched.add(c);
    }
    const victim = this.victimOf(s);
    for (const c of touched) {
      c.sessions++;
      if (!c.first || s.first < c.first) c.first = s.first;
      if (!c.last || s.last > c.last) c.last = s.last;
      for (const x of s.stages) c.stages.add(x);
      for (const x of s.cves) c.cves.add(x);
      let v = c.victims.get(victim);
      if (!v) c.victims.set(victim, (v = { first: s.first, last: s.last, stages: new Set(), servers: new Set() })); // prettier-ignore
      if (s.first < v.first) v.first = s.first;
      if (s.last > v.last) v.last = s.last;
      for (const x of s.stages) v.stages.add(x);
      v.servers.add(s.server);
    }
  }
}
