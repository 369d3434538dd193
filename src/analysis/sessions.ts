// Attacker sessions: events grouped by address and time, joined across logs by ECP canary, user agent and time.

import type { JoinedBy } from '../core/report.js';
import type { AttackEvent } from './events.js';
import { OUTCOME_RANK, normaliseUserAgent } from './events.js';
import { UnionFind } from '../core/union-find.js';

export interface SessionOptions {
  /** Inactivity that ends a session of one address (default 30 minutes). */
  gapMs: number;
  /** Window within which an event without address joins a session with the same user agent (default 10 s). */
  userAgentWindowMs: number;
  /** Window within which a file written or a dump joins the nearest exploiting session (default 2 minutes). */
  timeWindowMs: number;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = {
  gapMs: 30 * 60_000,
  userAgentWindowMs: 10_000,
  timeWindowMs: 120_000,
};

export const SESSION_RULE =
  'Findings on the same request are one event: the same log line, the same front-end request id ' +
  '(the IIS cafeReqId equals the HttpProxy RequestId, and is matched in any other row that carries it), ' +
  'or the back-end line (W3SVC2, port 444) the request caused, which logs no id: the same method, the path ' +
  'the front end asked the back end for, the same user agent, logged while the front-end request ran. ' +
  'Events from one public address form a session while the gap between them stays under 30 minutes. ' +
  'A private address (RFC 1918, CGNAT, loopback, IPv6 ULA or link-local) may be a proxy shared by many ' +
  'clients, so it groups only together with the same user agent. The server’s own address (s-ip) and the ' +
  'front end seen as the client of the back-end site (W3SVC2) never group anything. Events of one ECP ' +
  'session (msExchEcpCanary) join one session whatever their address. An event without a usable address ' +
  'joins the session with the same user agent within 10 seconds; failing that, a file written, a dump or ' +
  'another success joins the nearest session that shows exploitation within 2 minutes; otherwise it stays ' +
  'unattributed. Sessions sharing an address, user agent or webshell name are listed as linked.';

export interface Grouping {
  /** Sessions as lists of event indexes, in order of first activity. */
  sessions: number[][];
  unattributed: number[];
  joinedBy: Map<number, JoinedBy>;
}

export function groupEvents(
  events: readonly AttackEvent[],
  opts: SessionOptions = DEFAULT_SESSION_OPTIONS,
): Grouping {
  const uf = new UnionFind(events.length);
  const joinedBy = new Map<number, JoinedBy>();
  const keyed = new Set<number>();
  // Addresses, with the gap rule: events come in time order, so the previous event of a key is the last one.
  const last = new Map<string, AttackEvent>();
  for (const e of events) {
    const keys = e.publicAddresses.length
      ? e.publicAddresses.map((a) => `a:${a}`)
      : e.privateAddresses.map((a) => `p:${a}|${normaliseUserAgent(e.userAgent ?? '')}`);
    for (const k of keys) {
      const prev = last.get(k);
      if (prev && gap(prev, e) <= opts.gapMs) uf.union(prev.index, e.index);
      last.set(k, e);
    }
    if (keys.length > 0) {
      keyed.add(e.index);
      joinedBy.set(e.index, 'address');
    }
  }
  // One ECP session is one attacker session, whichever addresses its requests came from.
  const byCanary = new Map<string, number>();
  for (const e of events)
    for (const c of e.canaries) {
      const first = byCanary.get(c);
      if (first === undefined) byCanary.set(c, e.index);
      else uf.union(first, e.index);
      if (!joinedBy.has(e.index)) joinedBy.set(e.index, 'ecp-canary');
    }
  // Roots and ranks are taken before events without address join, so those joins cannot change them.
  const anchoredRoots = new Set([...keyed].map((k) => uf.find(k)));
  const rootOf = new Map(events.map((e) => [e.index, uf.find(e.index)]));
  const groupRank = new Map<number, number>();
  for (const k of keyed) {
    const r = rootOf.get(k) as number;
    groupRank.set(r, Math.max(groupRank.get(r) ?? 0, OUTCOME_RANK[(events[k] as AttackEvent).outcome]));
  }
  const timed = [...keyed].map((k) => events[k] as AttackEvent).filter((k) => k.ms !== undefined);
  const exploiting = (k: AttackEvent) =>
    (groupRank.get(rootOf.get(k.index) as number) ?? 0) >= OUTCOME_RANK.success;
  const placed = new Set(keyed);
  for (const e of events) {
    if (keyed.has(e.index) || anchoredRoots.has(rootOf.get(e.index) as number)) continue;
    const ua = e.userAgent ? normaliseUserAgent(e.userAgent) : undefined;
    const byUa = ua
      ? nearest(e, timed, opts.userAgentWindowMs, (k) => normaliseUserAgent(k.userAgent ?? '') === ua)
      : undefined;
    if (byUa) {
      uf.union(byUa.index, e.index);
      joinedBy.set(e.index, 'user-agent-time');
      placed.add(e.index);
      continue;
    }
    if (OUTCOME_RANK[e.outcome] >= OUTCOME_RANK.success) {
      const sameShell = (k: AttackEvent) =>
        exploiting(k) && !!e.webshell && !!k.webshell && shellName(k.webshell) === shellName(e.webshell);
      const byTime =
        nearest(e, timed, opts.timeWindowMs, sameShell) ?? nearest(e, timed, opts.timeWindowMs, exploiting);
      if (byTime) {
        uf.union(byTime.index, e.index);
        joinedBy.set(e.index, 'time');
        placed.add(e.index);
      }
    }
  }
  // A group is a session when one of its events was placed; events of one ECP session travel together.
  const sessions: number[][] = [];
  const unattributed: number[] = [];
  for (const g of uf.groups().values()) {
    if (g.some((i) => placed.has(i))) sessions.push(g);
    else unattributed.push(...g);
  }
  sessions.sort((a, b) => (a[0] as number) - (b[0] as number));
  unattributed.sort((a, b) => a - b);
  return { sessions, unattributed, joinedBy };
}

function gap(a: AttackEvent, b: AttackEvent): number {
  if (a.ms === undefined || b.ms === undefined) return Infinity;
  return Math.abs(b.ms - a.ms);
}

/** The event of `timed` (sorted by time) nearest to `e` within the window that passes the test. */
function nearest(
  e: AttackEvent,
  timed: readonly AttackEvent[],
  windowMs: number,
  test: (k: AttackEvent) => boolean,
): AttackEvent | undefined {
  if (e.ms === undefined) return undefined;
  const from = e.ms - windowMs;
  let lo = 0;
  let hi = timed.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (((timed[mid] as AttackEvent).ms as number) < from) lo = mid + 1;
    else hi = mid;
  }
  let best: AttackEvent | undefined;
  for (let i = lo; i < timed.length; i++) {
    const c = timed[i] as AttackEvent;
    if ((c.ms as number) > e.ms + windowMs) break;
    if (test(c) && (!best || gap(c, e) < gap(best, e))) best = c;
  }
  return best;
}

/** A webshell's file name, lower-cased: what links a path on disk to a URL in the logs. */
export function shellName(pathOrUrl: string): string {
  const p = pathOrUrl.toLowerCase().replace(/\\/g, '/');
  return p.slice(p.lastIndexOf('/') + 1);
}
