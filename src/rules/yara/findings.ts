// YARA matches as hits and findings: the rule's author travels with every match, stage and outcome by policy.

import { createHash } from 'node:crypto';
import type { Hit } from '../../core/detector.js';
import type { Finding, Outcome, RuleRef, Severity, Stage } from '../../core/finding.js';
import { OUTCOMES as OUTCOME_LIST, SEVERITIES as SEVERITY_LIST, STAGES } from '../../core/finding.js';
import type { MetaValue, YaraMatch } from './types.js';
import { GATE, type Gate } from '../../core/rule-ids.js';

const OUTCOMES: readonly string[] = OUTCOME_LIST;
const SEVERITIES: readonly string[] = SEVERITY_LIST;

export interface YaraFileContext {
  /** Source id of the scanned artifact: `web-file`, `staged-file`, ... */
  source: string;
  modified?: string;
}

const str = (v: MetaValue | undefined) =>
  typeof v === 'string' ? v : v === undefined ? undefined : String(v);

function severityOf(meta: Record<string, MetaValue>): Severity {
  const named = str(meta.severity ?? meta.level)?.toLowerCase();
  if (named && SEVERITIES.includes(named)) return named as Severity;
  const score = Number(meta.score);
  if (Number.isFinite(score))
    return score >= 80 ? 'critical' : score >= 60 ? 'high' : score >= 40 ? 'medium' : 'low';
  return 'medium';
}

/**
 * The policy (README in rules/yara): a rule may state `stage` and `outcome` in its meta (ours do). Else a
 * match on a script in a web-served folder is a `compromise` when the rule is high or critical (score 60
 * and up), `suspicious` otherwise. Matches on staged dumps and archives, content or listing, are context
 * behind the staged-file gate, like the staged files themselves.
 */
function judge(
  m: YaraMatch,
  ctx: YaraFileContext,
  severity: Severity,
): { stage: Stage; outcome: Outcome; gate?: Gate } {
  const metaStage = str(m.meta.stage);
  const metaOutcome = str(m.meta.outcome);
  const staged = ctx.source === 'staged-file' || m.target === 'listing';
  const stage: Stage =
    metaStage && (STAGES as readonly string[]).includes(metaStage)
      ? (metaStage as Stage)
      : staged
        ? 'collection'
        : 'webshell-write';
  if (staged) return { stage, outcome: 'context', gate: GATE.exploitation };
  if (metaOutcome && OUTCOMES.includes(metaOutcome)) return { stage, outcome: metaOutcome as Outcome };
  const strong = severity === 'high' || severity === 'critical';
  return { stage, outcome: ctx.source === 'web-file' && strong ? 'compromise' : 'suspicious' };
}

export function yaraRuleRef(m: YaraMatch, level: Severity): RuleRef {
  const refs = [m.meta.reference, m.meta.references, m.meta.url]
    .map(str)
    .filter((x): x is string => !!x && /^https?:\/\//.test(x));
  return {
    id: `yara.${m.namespace}.${m.rule}`,
    title: str(m.meta.description) ?? m.rule,
    author: str(m.meta.author) ?? 'unknown',
    source: m.source,
    level,
    ...(refs.length > 0 ? { references: refs } : {}),
    ...(m.tags.length > 0 ? { tags: m.tags } : {}),
  };
}

/** Matched bytes are attacker data: control characters are dotted out of the excerpt. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** Matched strings as a short, printable excerpt; the file itself stays in the evidence. */
function excerptOf(m: YaraMatch): string {
  const shown = m.strings
    .slice(0, 8)
    .map((s) => `${s.id}@0x${s.offset.toString(16)}${s.data ? `: ${s.data.slice(0, 120)}` : ''}`);
  return `${m.target === 'listing' ? 'archive listing ' : ''}${shown.join('  ')}`.replace(CONTROL, '.');
}

export function yaraHit(m: YaraMatch, ctx: YaraFileContext): Hit {
  const severity = severityOf(m.meta);
  const { stage, outcome, gate } = judge(m, ctx, severity);
  const cves = (str(m.meta.cve) ?? '').match(/CVE-\d{4}-\d{4,7}/gi) ?? [];
  return {
    rule: yaraRuleRef(m, severity),
    severity,
    cves: cves.map((c) => c.toUpperCase()),
    stage,
    outcome,
    time: ctx.modified,
    sourceIps: [],
    summary: `${m.path}${m.target === 'listing' ? ' (archive listing)' : ''}: YARA ${m.namespace}.${m.rule}`,
    ...(gate ? { gate } : {}),
    file: { path: m.path },
    details: {
      path: m.path,
      yaraRule: m.rule,
      yaraNamespace: m.namespace,
      target: m.target,
      strings: [...new Set(m.strings.map((s) => s.id))].join(' '),
      ...(gate ? { gate } : {}),
    },
    excerpt: excerptOf(m),
  };
}

/** Findings for the matches on one file, with ids stable across scans (rule, path, target). */
export function yaraFindings(matches: readonly YaraMatch[], ctx: YaraFileContext): Finding[] {
  return matches.map((m) => {
    const { excerpt, ...hit } = yaraHit(m, ctx);
    const f: Finding = {
      ...hit,
      id: createHash('sha256')
        .update([hit.rule.id, m.path, 0, m.target].join('\0'))
        .digest('hex')
        .slice(0, 16),
      evidence: [{ path: m.path, excerpt: excerpt ?? '' }],
    };
    if (f.time === undefined) delete f.time;
    return f;
  });
}
