// One event read from several files (a log, its export, Test-ProxyLogon's copy of its rows) is one finding.

import type { Finding, Outcome } from '../core/finding.js';
import { SEVERITY_ORDER } from '../core/finding.js';
import { requestFacts } from './request-info.js';

/** Where a file stands as a witness: an original log first, then copies of it, then rows a tool picked. */
interface Copyhood {
  path: string;
  /** The source that parsed it, when it holds another source's records (see `SourceDef.dataOf`). */
  reader?: string;
  family: string;
}

/** Lower is closer to the original: 0 a log where the server wrote it, 3 Test-ProxyLogon's rows. */
export function copyRank(c: Copyhood): number {
  if (c.family.startsWith('Test-ProxyLogon/')) return 3;
  if (c.reader) return 2;
  return /(^|\/)collectedlogfiles\//i.test(c.path) ? 1 : 0;
}

const RANK: Record<Outcome, number> = {
  context: 0,
  suspicious: 1,
  probe: 2,
  attempt: 3,
  success: 4,
  compromise: 5,
};

/** The request ids a finding names: its request id, and the GUIDs of its record's fields (RequestId, cafeReqId). */
function idsOf(f: Finding): Set<string> {
  return new Set(requestFacts(f).guids);
}

/** Everything the rule extracted, for lines that carry no id. */
function identity(f: Finding): string {
  const d = f.details ?? {};
  return JSON.stringify([
    f.summary ?? '',
    Object.keys(d)
      .sort()
      .map((k) => [k, d[k]]),
  ]);
}

/**
 * Two findings of one rule at one time are one event when their lines name a common request id (an export
 * keeps RequestId, a copy keeps the whole line), or, when neither names any, when the rule extracted the
 * same from both.
 */
function sameEvent(a: Finding, b: Finding): boolean {
  const ia = idsOf(a);
  const ib = idsOf(b);
  if (ia.size > 0 && ib.size > 0) return [...ia].some((x) => ib.has(x));
  return ia.size === 0 && ib.size === 0 && identity(a) === identity(b);
}

const pathOf = (f: Finding) => f.evidence[0]?.path ?? '';

/**
 * Merges the findings of one event read from several files into the one from the file closest to the
 * original (by `rank`), which keeps every file's evidence and the strongest outcome any of them showed.
 * Only log records merge (never files on disk), and two different lines only when one of the files is a
 * copy or an export (two original logs are two witnesses). Within one file nothing is merged: two lines are two events even when they look alike (IIS times have
 * whole seconds). Findings without a time are never merged: nothing says they are one event.
 */
export function mergeDuplicates(findings: readonly Finding[], rank: (path: string) => number): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    // Files on disk (webshells, dumps) are never one event with another file, whatever their times say.
    if (!f.time || f.evidence[0]?.line === undefined) continue;
    const key = `${f.rule.id}\0${f.time}`;
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  const gone = new Set<Finding>();
  for (const group of groups.values()) {
    if (group.length < 2 || new Set(group.map(pathOf)).size < 2) continue;
    const order = [...group].sort(
      (a, b) =>
        rank(pathOf(a)) - rank(pathOf(b)) ||
        pathOf(a).localeCompare(pathOf(b)) ||
        (a.evidence[0]?.line ?? 0) - (b.evidence[0]?.line ?? 0),
    );
    const kept: { f: Finding; paths: Set<string> }[] = [];
    for (const f of order) {
      const p = pathOf(f);
      const open = kept.filter((k) => !k.paths.has(p));
      const excerpt = f.evidence[0]?.excerpt;
      // The same line twice is one event; two different lines only when one of the files is a copy or export.
      const into =
        open.find((k) => k.f.evidence[0]?.excerpt === excerpt) ??
        open.find((k) => (rank(pathOf(k.f)) > 0 || rank(p) > 0) && sameEvent(k.f, f));
      if (!into) {
        kept.push({ f, paths: new Set([p]) });
        continue;
      }
      absorb(into.f, f);
      into.paths.add(p);
      gone.add(f);
    }
  }
  return gone.size === 0 ? [...findings] : findings.filter((f) => !gone.has(f));
}

function absorb(into: Finding, f: Finding): void {
  for (const e of f.evidence)
    if (!into.evidence.some((x) => x.path === e.path && x.line === e.line)) into.evidence.push(e);
  if (RANK[f.outcome] > RANK[into.outcome]) into.outcome = f.outcome;
  if (SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[into.severity]) into.severity = f.severity;
  for (const ip of f.sourceIps) if (!into.sourceIps.includes(ip)) into.sourceIps.push(ip);
  if (!into.userAgent && f.userAgent) into.userAgent = f.userAgent;
}
