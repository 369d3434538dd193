// What a report says about which indicators were used together: the groups the campaign clustering links
// (pure). A group is an attacker session of the report (same address within 30 minutes, one ECP session,
// ...; see analysis/sessions.ts) or, for reports without a sessions section, the findings of one address.
// A webshell's name and hash are always one group: they are the same file.

import { createHash } from 'node:crypto';
import type { Finding } from '../core/finding.js';
import { normaliseAddress, normaliseHash } from '../core/indicator-norm.js';
import type { ScanReport } from '../core/report.js';
import { isPublicAddress } from '../core/ip.js';
import { indicatorKey, normTime, userAgentIndicator, webshellName } from './extract.js';

export interface SessionUse {
  /** The same indicators give the same key, so a rescan of a server adds no new group. */
  key: string;
  /** Indicator keys (`kind\0value`), sorted. */
  indicators: string[];
  first: string;
  last: string;
  /** Attack stages reached (context left out), sorted. */
  stages: string[];
  /** CVEs of the group's findings, sorted. */
  cves: string[];
}

interface Acc {
  indicators: Set<string>;
  first: string;
  last: string;
  stages: Set<string>;
  cves: Set<string>;
}

function address(ip: string): string | undefined {
  const a = normaliseAddress(ip);
  return a && isPublicAddress(a) ? indicatorKey('ip', a) : undefined;
}

/**
 * The groups of one report. Only indicators `extractIndicators` also yields are named (`known`), so that every
 * key has a row. Groups with the same indicators are merged.
 */
export function extractSessions(report: ScanReport, known: ReadonlySet<string>): SessionUse[] {
  const fallback = normTime(report.scan.startedAt) ?? new Date(0).toISOString();
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  const hashesOf = new Map<string, string[]>();
  for (const w of report.webshells) {
    const n = webshellName(w.path);
    hashesOf.set(n, [...(hashesOf.get(n) ?? []), normaliseHash(w.sha256)]);
  }
  const groups: Acc[] = [];
  const group = (first: string, last: string): Acc => {
    const g = {
      indicators: new Set<string>(),
      first,
      last,
      stages: new Set<string>(),
      cves: new Set<string>(),
    };
    groups.push(g);
    return g;
  };
  const addFinding = (g: Acc, f: Finding) => {
    if (f.stage !== 'context' && f.outcome !== 'context') g.stages.add(f.stage);
    for (const c of f.cves) g.cves.add(c.toUpperCase());
    const t = normTime(f.time);
    if (t && t < g.first) g.first = t;
    if (t && t > g.last) g.last = t;
  };
  const addShell = (g: Acc, nameOrUrl: string) => {
    const n = webshellName(nameOrUrl);
    if (!n) return;
    g.indicators.add(indicatorKey('webshell-name', n));
    for (const h of hashesOf.get(n) ?? []) g.indicators.add(indicatorKey('webshell-hash', h));
  };
  const sessions = report.sessions?.list;
  if (sessions) {
    for (const s of sessions) {
      const first = normTime(s.firstSeen) ?? fallback;
      const g = group(first, normTime(s.lastSeen) ?? first);
      for (const a of s.addresses) {
        const k = address(a);
        if (k) g.indicators.add(k);
      }
      for (const ua of s.userAgents) {
        const v = userAgentIndicator(ua);
        if (v) g.indicators.add(indicatorKey('user-agent', v));
      }
      for (const w of s.webshells) addShell(g, w);
      for (const id of s.findings) {
        const f = byId.get(id);
        if (f) addFinding(g, f);
      }
    }
  } else {
    // Older reports: the findings of one public address stand for its session.
    const byAddress = new Map<string, Acc>();
    for (const f of report.findings) {
      if (f.outcome === 'context') continue;
      const keys = f.sourceIps.map(address).filter((k): k is string => !!k);
      const t = normTime(f.time) ?? fallback;
      for (const k of keys) {
        let g = byAddress.get(k);
        if (!g) byAddress.set(k, (g = group(t, t)));
        g.indicators.add(k);
        const ua = userAgentIndicator(f.userAgent);
        if (ua) g.indicators.add(indicatorKey('user-agent', ua));
        addFinding(g, f);
        for (const w of report.webshells)
          if (w.accessedBy?.includes(f.id) || f.evidence.some((e) => e.path === w.path)) addShell(g, w.path);
      }
    }
  }
  // A webshell on disk: its file time, else the time of what wrote or used it, else that of the sessions
  // that requested it; the scan's own time only when nothing says when it was there.
  const sessionGroups = [...groups];
  for (const w of report.webshells) {
    const name = indicatorKey('webshell-name', webshellName(w.path));
    const used = (w.accessedBy ?? []).map((id) => byId.get(id)).filter((f): f is Finding => !!f);
    const writers = report.findings.filter((f) => f.evidence.some((e) => e.path === w.path));
    const times = [
      ...[...used, ...writers].map((f) => normTime(f.time)),
      ...sessionGroups.filter((g) => g.indicators.has(name)).flatMap((g) => [g.first, g.last]),
    ]
      .filter((t): t is string => !!t)
      .sort();
    const modified = normTime(w.modified);
    const g = group(modified ?? times[0] ?? fallback, modified ?? times[times.length - 1] ?? fallback);
    addShell(g, w.path);
    for (const f of [...used, ...writers]) addFinding(g, f);
  }
  const merged = new Map<string, SessionUse>();
  for (const g of groups) {
    const indicators = [...g.indicators].filter((k) => known.has(k)).sort();
    if (indicators.length === 0) continue;
    const key = createHash('sha256').update(indicators.join('\n')).digest('hex').slice(0, 32);
    const had = merged.get(key);
    if (had) {
      if (g.first < had.first) had.first = g.first;
      if (g.last > had.last) had.last = g.last;
      had.stages = [...new Set([...had.stages, ...g.stages])].sort();
      had.cves = [...new Set([...had.cves, ...g.cves])].sort();
      continue;
    }
    merged.set(key, {
      key,
      indicators,
      first: g.first,
      last: g.last,
      stages: [...g.stages].sort(),
      cves: [...g.cves].sort(),
    });
  }
  return [...merged.values()].sort((a, b) => a.key.localeCompare(b.key));
}
