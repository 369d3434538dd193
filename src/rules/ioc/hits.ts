// What an indicator match means: the rule reference, stage, outcome and severity (the policy, in one place).

import type { Hit } from '../../core/detector.js';
import type { Outcome, RuleRef, Severity, Stage } from '../../core/finding.js';
import { valueRuleId } from './import-util.js';
import type { Indicator } from './types.js';
import { GATE, type Gate } from '../../core/rule-ids.js';

/**
 * The policy (documented in data/iocs/README.md):
 * - an address, user agent, URL or domain from a feed in a log is an `attempt`, whatever the status: a
 *   known-bad client being answered 200 shows it reached the server, not that an exploit worked; the
 *   status is noted in the details. Other rules decide success from the request itself;
 * - a file name, path or hash of a known webshell in a web-served folder is a `compromise`;
 * - a hash of a staged file is a `compromise` (its content is known-bad); a staged file's name alone
 *   follows the staged-file gate (compromise only when exploitation is shown elsewhere);
 * - indicators with a confidence below 50 (crawler user agents that attackers borrowed, say) are only
 *   `suspicious`, which never raises the verdict.
 */
export type MatchKind = 'address' | 'user-agent' | 'url' | 'domain' | 'file-name' | 'hash';

export interface MatchContext {
  kind: MatchKind;
  stage: Stage;
  /** Whole-file records: which kind of file was matched. */
  file?: 'web' | 'staged';
  time?: string | undefined;
  sourceIps?: string[];
  userAgent?: string | undefined;
  field: string;
  matched: string;
  status?: string;
  excerpt?: string;
}

export function ruleRefOf(ind: Indicator, level: Severity): RuleRef {
  const shown = ind.value.length > 120 ? ind.value.slice(0, 120) + '…' : ind.value;
  return {
    id: ind.meta.stixId ?? valueRuleId(ind.type, ind.value),
    title: `Indicator match: ${ind.type} ${shown}`,
    author: ind.meta.author,
    source: ind.meta.source,
    level,
    ...(ind.meta.references ? { references: ind.meta.references } : {}),
    ...(ind.meta.tags ? { tags: ind.meta.tags } : {}),
  };
}

/** An indicator past its `valid_until` at the time of the record no longer applies. */
export function applies(ind: Indicator, time: string | undefined): boolean {
  const until = ind.meta.validUntil;
  return !(until && time && time > until);
}

function judge(ind: Indicator, c: MatchContext): { outcome: Outcome; severity: Severity; gate?: Gate } {
  if ((ind.meta.confidence ?? 100) < 50) return { outcome: 'suspicious', severity: 'low' };
  if (c.kind === 'hash') return { outcome: 'compromise', severity: 'critical' };
  if (c.kind === 'file-name')
    return c.file === 'web'
      ? { outcome: 'compromise', severity: 'critical' }
      : { outcome: 'context', severity: 'high', gate: GATE.exploitation };
  return { outcome: 'attempt', severity: 'medium' };
}

/** One hit for the first feed that named the value; the others are listed in the details. */
export function indicatorHit(all: readonly Indicator[], c: MatchContext): Hit {
  const ind = all[0]!;
  const { outcome, severity, gate } = judge(ind, c);
  const details: Record<string, string> = {
    indicatorType: ind.type,
    indicator: ind.value,
    matchedField: c.field,
    matchedValue: c.matched,
    feed: ind.meta.source,
  };
  const others = [...new Set(all.slice(1).map((i) => i.meta.source))].filter((s) => s !== ind.meta.source);
  if (others.length > 0) details.alsoIn = others.join(', ');
  if (ind.note) details.note = ind.note;
  if (ind.meta.title) details.feedTitle = ind.meta.title;
  if (ind.meta.partial) details.partialPattern = 'the pattern has other conditions that were not checked';
  if (gate) details.gate = gate; // text copy for readers of 1.5 reports; analysis reads `gate`
  if (c.status) {
    details.httpStatus = c.status;
    if (/^2\d\d$/.test(c.status))
      details.statusNote =
        'the server answered with success; the indicator alone does not show an exploit worked';
  }
  return {
    rule: ruleRefOf(ind, severity),
    severity,
    cves: [],
    stage: c.stage,
    outcome,
    time: c.time,
    sourceIps: c.sourceIps ?? [],
    ...(c.userAgent ? { userAgent: c.userAgent } : {}),
    summary: `${ind.type} ${c.matched} in ${c.field} is on ${ind.meta.source}${c.status ? ` (status ${c.status})` : ''}`,
    indicator: {
      type: ind.type,
      value: ind.value,
      feed: ind.meta.source,
      field: c.field,
      matched: c.matched,
    },
    ...(gate ? { gate } : {}),
    details,
    ...(c.excerpt !== undefined ? { excerpt: c.excerpt } : {}),
  };
}
