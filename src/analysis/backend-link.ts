// Back-end lines of a proxied request joined to its front-end lines: one request, one event, all its lines.

import type { Finding, RequestSection } from '../core/finding.js';
import type { AddressRoles } from './addresses.js';
import { isBackEndEvidence, isFrontEndEvidence } from './addresses.js';
import { normaliseUserAgent } from './user-agent.js';
import type { RequestFacts } from './request-info.js';
import type { UnionFind } from '../core/union-find.js';

interface Side {
  root: number;
  /** Request end in ms (IIS: the logged second; HttpProxy: DateTime). */
  end: number;
  /** Request start in ms, when the logs tell it. */
  begin?: number;
  methods: Set<string>;
  paths: Set<string>;
  agents: Set<string>;
  clients: Set<string>;
}

/** Joins, in `uf`, each back-end-only group to the front-end group of the request it served. */
export function linkBackEnd(
  findings: readonly Finding[],
  facts: readonly RequestFacts[],
  uf: UnionFind,
  roles: AddressRoles,
): number {
  const back = new Map<number, Side>();
  const front = new Map<number, Side>();
  const mixed = new Set<number>();
  findings.forEach((f, i) => {
    const ev = f.evidence[0];
    if (!ev || ev.line === undefined || !f.time) return;
    const port = f.request?.port;
    const isBack = isBackEndEvidence(ev.path, port, roles);
    const isFront = !isBack && isFrontEndEvidence(ev.path, port, roles);
    if (!isBack && !isFront) return;
    const root = uf.find(i);
    const map = isBack ? back : front;
    if ((isBack ? front : back).has(root)) mixed.add(root);
    let side = map.get(root);
    const ms = Date.parse(f.time);
    if (Number.isNaN(ms)) return;
    if (!side) {
      side = { root, end: ms, methods: new Set(), paths: new Set(), agents: new Set(), clients: new Set() };
      map.set(root, side);
    }
    const fx = facts[i] as RequestFacts;
    // IIS logs whole seconds: the request ended somewhere in that second. An IIS line has time-taken, or at
    // least no fraction of a second and no begin time; HttpProxy and Rps_Http rows have milliseconds.
    const whole =
      f.request?.timeTaken !== undefined || (!f.request?.begin && /:\d\d(?:\.000)?Z$/.test(f.time));
    const end = whole ? ms + 999 : ms;
    if (end > side.end) side.end = end;
    const begin = beginOf(f.request, end);
    if (begin !== undefined && (side.begin === undefined || begin < side.begin)) side.begin = begin;
    if (fx.method) side.methods.add(fx.method.toUpperCase());
    if (fx.url) side.paths.add(normalisePath(fx.url));
    if (fx.backendPath) side.paths.add(normalisePath(fx.backendPath));
    if (f.userAgent) side.agents.add(normaliseUserAgent(f.userAgent));
    for (const ip of f.sourceIps) side.clients.add(ip);
  });
  const pairs: { b: Side; f: Side; d: number }[] = [];
  // Front ends by end time: a back-end line only looks at requests that ended at most an hour after it.
  const fronts = [...front.values()].filter((f) => !mixed.has(f.root)).sort((x, y) => x.end - y.end);
  for (const b of back.values()) {
    if (mixed.has(b.root)) continue;
    const bt = b.end - 999;
    for (let k = firstEndingAfter(fronts, bt - 1000); k < fronts.length; k++) {
      const f = fronts[k] as Side;
      if (f.end > bt + 1000 + MAX_REQUEST_MS) break;
      const from = Math.max(f.begin ?? f.end - 2000, f.end - MAX_REQUEST_MS) - 1000;
      if (bt < from || bt > f.end + 1000) continue;
      if (!overlapOrUnknown(b.methods, f.methods)) continue;
      if (!overlapOrUnknown(b.agents, f.agents)) continue;
      if ([...b.clients].some((ip) => f.clients.has(ip))) continue;
      if (![...b.paths].some((p) => [...f.paths].some((q) => servesPath(p, q)))) continue;
      pairs.push({ b, f, d: Math.abs(f.end - b.end) });
    }
  }
  pairs.sort((x, y) => x.d - y.d || x.b.root - y.b.root || x.f.root - y.f.root);
  const usedB = new Set<number>();
  const usedF = new Set<number>();
  let linked = 0;
  for (const { b, f } of pairs) {
    if (usedB.has(b.root) || usedF.has(f.root)) continue;
    usedB.add(b.root);
    usedF.add(f.root);
    uf.union(b.root, f.root);
    linked++;
  }
  return linked;
}

/** Longest request a back-end line is matched within; longer ones (an ActiveSync Ping) count as this long. */
const MAX_REQUEST_MS = 3_600_000;

function firstEndingAfter(sorted: readonly Side[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as Side).end < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function overlapOrUnknown(a: Set<string>, b: Set<string>): boolean {
  if (a.size === 0 || b.size === 0) return true;
  for (const x of a) if (b.has(x)) return true;
  return false;
}

export function normalisePath(p: string): string {
  let s = p;
  try {
    s = decodeURIComponent(p);
  } catch {
    // keep the raw path
  }
  return s.toLowerCase().replace(/\/+$/, '');
}

/**
 * Does the back-end path `be` serve the front-end path `fe`? The same path; the front end's ending (OWASSRF's
 * `/owa/x@y/powershell` → `/powershell`); or ActiveSync's back-end `/Proxy/` folder.
 */
export function servesPath(be: string, fe: string): boolean {
  if (be === fe) return true;
  if (be.length > 1 && be.startsWith('/') && fe.endsWith(be)) return true;
  return be.replace('/proxy/', '/') === fe;
}

/**
 * When the request began: HttpProxy's `BeginRequest=` (GenericInfo) or Rps_Http's StartTime, else IIS's
 * end second less its time-taken.
 */
function beginOf(q: RequestSection | undefined, end: number): number | undefined {
  if (q?.begin) {
    const t = Date.parse(q.begin);
    return Number.isNaN(t) ? undefined : t;
  }
  return q?.timeTaken !== undefined ? end - 999 - q.timeTaken : undefined;
}
