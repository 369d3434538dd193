// What a scan report contributes to the fleet tables: finding rows, webshells and indicators (pure).

import { createHash } from 'node:crypto';
import type { Finding } from '../core/finding.js';
import { indicatorOf } from '../core/finding.js';
import { isPublicAddress } from '../core/ip.js';
import {
  normaliseAddress,
  normaliseFileName,
  normaliseHash,
  normaliseUserAgent,
} from '../core/indicator-norm.js';
import type { ScanReport } from '../core/report.js';
import type { IndicatorKind } from './schema.js';

export interface FindingRowData {
  finding_id: string;
  rule_id: string;
  severity: string;
  stage: string;
  outcome: string;
  sort_time: string;
  source_ip: string | null;
  data: string;
}

export interface IndicatorUse {
  kind: IndicatorKind;
  value: string;
  first: string;
  last: string;
  /** `ruleId\0stage` → the rule's title: what the indicator did. */
  rules: Map<string, string>;
}

/** UTC ISO-8601 with milliseconds, so that stored times compare as text; undefined when unreadable. */
export function normTime(t: string | undefined): string | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function findingRow(f: Finding, fallbackTime: string): FindingRowData {
  return {
    finding_id: f.id,
    rule_id: f.rule.id,
    severity: f.severity,
    stage: f.stage,
    outcome: f.outcome,
    sort_time: normTime(f.time) ?? fallbackTime,
    source_ip: f.sourceIps[0] ?? null,
    data: JSON.stringify(f),
  };
}

/** The key of an indicator in maps and session lists. */
export const indicatorKey = (kind: IndicatorKind, value: string) => `${kind}\0${value}`;

/** A public address in its one written form, or undefined for private or unreadable ones. */
function publicAddress(ip: string): string | undefined {
  const a = normaliseAddress(ip);
  return a && isPublicAddress(a) ? a : undefined;
}

/** A user agent as stored: one form for the `+`, comma and case variants logs write, bounded. */
export function userAgentIndicator(ua: string | undefined): string | undefined {
  const v = ua === undefined ? '' : normaliseUserAgent(ua);
  return v && v !== '-' ? v.slice(0, 512) : undefined;
}

/** A webshell's name from a path on disk or a URL requested (the query left out). */
export function webshellName(pathOrUrl: string): string {
  return normaliseFileName(pathOrUrl.replace(/[?#].*$/s, ''));
}

/**
 * Indicators of one report with the times and rules they appeared in, each in its one written form (see
 * core/indicator-norm.ts), so that one address, agent or webshell is one row however the logs wrote it.
 */
export function extractIndicators(report: ScanReport): IndicatorUse[] {
  const fallback = normTime(report.scan.startedAt) ?? new Date(0).toISOString();
  const found = new Map<string, IndicatorUse>();
  const add = (kind: IndicatorKind, value: string, time: string, f?: Finding) => {
    const k = indicatorKey(kind, value);
    let u = found.get(k);
    if (!u) found.set(k, (u = { kind, value, first: time, last: time, rules: new Map() }));
    if (time < u.first) u.first = time;
    if (time > u.last) u.last = time;
    if (f) u.rules.set(`${f.rule.id}\0${f.stage}`, f.rule.title);
  };
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  for (const f of report.findings) {
    const time = normTime(f.time) ?? fallback;
    for (const ip of f.sourceIps) {
      const a = publicAddress(ip);
      if (a) add('ip', a, time, f);
    }
    const ua = userAgentIndicator(f.userAgent);
    if (ua) add('user-agent', ua, time, f);
  }
  for (const w of report.webshells) {
    const time = normTime(w.modified) ?? fallback;
    const users = (w.accessedBy ?? []).map((id) => byId.get(id)).filter((f): f is Finding => !!f);
    const writers = report.findings.filter((f) => f.evidence.some((e) => e.path === w.path));
    for (const [kind, value] of [
      ['webshell-name', webshellName(w.path)],
      ['webshell-hash', normaliseHash(w.sha256)],
    ] as const) {
      // A webshell known by its name only (an agent's finding names the file, not its hash) has no hash row.
      if (!value) continue;
      add(kind, value, time);
      for (const f of [...writers, ...users]) add(kind, value, normTime(f.time) ?? time, f);
    }
  }
  // Webshells a session requested that the evidence does not hold on disk are still its indicators.
  for (const s of report.sessions?.list ?? []) {
    const time = normTime(s.firstSeen) ?? fallback;
    for (const w of s.webshells) {
      const name = webshellName(w);
      if (name) add('webshell-name', name, time);
    }
  }
  return [...found.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.value.localeCompare(b.value));
}

/** One indicator from a feed that a report's findings matched, with when and how often. */
export interface FeedMatch {
  keySha: string;
  /** The indicator's id as the finding's rule: an imported STIX id, or `ioc.<type>.<hash>`. */
  ruleId: string;
  type: string;
  value: string;
  /** The feed the first finding named. */
  source: string;
  first: string;
  last: string;
  findings: number;
}

/** Findings of indicator matches (they carry `indicatorType` and `indicator`), grouped per indicator. */
export function extractFeedMatches(report: ScanReport): FeedMatch[] {
  const fallback = normTime(report.scan.startedAt) ?? new Date(0).toISOString();
  const found = new Map<string, FeedMatch>();
  for (const f of report.findings) {
    const ind = indicatorOf(f);
    const type = ind?.type;
    const value = ind?.value;
    if (!type || !value) continue;
    const time = normTime(f.time) ?? fallback;
    const k = `${f.rule.id}\0${type}\0${value}`;
    const m = found.get(k);
    if (m) {
      m.findings++;
      if (time < m.first) m.first = time;
      if (time > m.last) m.last = time;
      continue;
    }
    const keySha = createHash('sha256').update(k).digest('hex');
    found.set(k, {
      keySha,
      ruleId: f.rule.id,
      type,
      value,
      source: f.rule.source,
      first: time,
      last: time,
      findings: 1,
    });
  }
  return [...found.values()].sort((a, b) => a.keySha.localeCompare(b.keySha));
}
