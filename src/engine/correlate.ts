// Sigma after reading: correlations over base-rule matches from every thread, generate: false, applicability.

import { roleFields, sourceKind } from '../core/fields.js';
import { createHash } from 'node:crypto';
import type { Hit } from '../core/detector.js';
import type { EventSection, Evidence, Finding, Severity } from '../core/finding.js';
import { SEVERITY_ORDER } from '../core/finding.js';
import type { Problem } from '../core/problem.js';
import type { LogRecord } from '../core/record.js';
import type { RuleStats } from '../core/report.js';
import {
  createCorrelator,
  FactsBuilder,
  logsourceText,
  notApplicableRules,
  ruleRef,
  stageFromTags,
  suppressedRules,
  THIRD_PARTY_OUTCOME,
} from '../rules/sigma/index.js';
import type { CorrelationHit, NotApplicable } from '../rules/sigma/index.js';
import type { SigmaMatchers } from './sigma.js';
import { skippedOf, takeCorrelationMark } from './sigma.js';

/** One base-rule match a correlation may count: primitive data, cheap to send between threads. */
export interface CorrelationEvent {
  ruleId: string;
  time?: string;
  line: number;
  /** Sigma field → value, for the fields the correlations naming this rule group or measure by. */
  values: Record<string, string | null>;
}

/** What reading one artifact adds for Sigma, beside its findings. */
export interface SigmaSidecar {
  /** EVTX only: channel → event IDs seen (canonical), so the report can say which rules could not apply. */
  channels?: Record<string, string[]>;
  correlationEvents?: CorrelationEvent[];
  /** Correlation events past the per-artifact cap, not kept. */
  correlationDropped?: number;
}

const MAX_EVENTS_PER_ARTIFACT = 200_000;
const MAX_IDS_PER_CHANNEL = 512;

/** Collects the sidecar while one artifact is read: `record` for every record, `hit` for every hit. */
export function createSigmaSidecar(): {
  record(r: LogRecord): void;
  hit(h: Hit, r: LogRecord): void;
  result(): SigmaSidecar;
} {
  const channels = new Map<string, Set<string>>();
  const events: CorrelationEvent[] = [];
  let dropped = 0;
  return {
    record(r) {
      if (sourceKind(r.source) !== 'event-log') return;
      const ch = r.get('Channel');
      if (typeof ch !== 'string') return;
      let ids = channels.get(ch);
      if (!ids) channels.set(ch, (ids = new Set()));
      const id = r.get('EventID');
      if ((typeof id === 'number' || typeof id === 'string') && ids.size < MAX_IDS_PER_CHANNEL)
        ids.add(String(id));
    },
    hit(h, r) {
      const values = takeCorrelationMark(h);
      if (!values) return;
      if (events.length >= MAX_EVENTS_PER_ARTIFACT) dropped++;
      else events.push({ ruleId: h.rule.id, line: r.line, values, ...(r.time ? { time: r.time } : {}) });
    },
    result() {
      const out: SigmaSidecar = {};
      if (channels.size > 0)
        out.channels = Object.fromEntries([...channels].map(([c, ids]) => [c, [...ids]]));
      if (events.length > 0) out.correlationEvents = events;
      if (dropped > 0) out.correlationDropped = dropped;
      return out;
    },
  };
}

/** The parts of an artifact's result this step reads (and, for suppressed rules, its findings it edits). */
interface ResultLike extends SigmaSidecar {
  artifact: { path: string; source: string; records: number };
  findings: Finding[];
}

interface SigmaOutcome {
  /** Correlation findings, to join the others before analysis. */
  findings: Finding[];
  problems: Problem[];
  stats: Omit<RuleStats, 'detectors'>;
}

const MAX_EVIDENCE = 20;

/**
 * Runs the correlations over every artifact's base-rule matches (in time order, across files and
 * threads), removes the findings of rules that only feed correlations (`generate: false`), and says
 * which rules the evidence could not satisfy.
 */
export function finishSigma(sigma: SigmaMatchers, results: ResultLike[]): SigmaOutcome {
  const { packs } = sigma;
  const problems: Problem[] = [];
  const facts = new FactsBuilder();
  for (const r of results) {
    if (r.artifact.records > 0) facts.sources.add(r.artifact.source);
    for (const [ch, ids] of Object.entries(r.channels ?? {})) {
      facts.event(ch, undefined);
      for (const id of ids) facts.event(ch, id);
    }
  }
  const na = notApplicableRules(packs.plan, facts.facts()).filter(
    (n) => packs.compiled.has(n.rule.id) || packs.plan.notApplicable.includes(n.rule),
  );
  // A correlation all of whose rules cannot apply cannot apply either (repeated for chains).
  const naIds = new Set(na.map((n) => n.rule.id));
  const idOf = (ref: string): string => packs.rules.find((r) => r.id === ref || r.name === ref)?.id ?? ref;
  const naCorrelations: typeof packs.correlations = [];
  for (let changed = true; changed;) {
    changed = false;
    for (const c of packs.correlations) {
      if (naIds.has(c.id) || !c.rules.every((ref) => naIds.has(idOf(ref)) || naIds.has(ref))) continue;
      naIds.add(c.id);
      if (c.name) naIds.add(c.name);
      naCorrelations.push(c);
      changed = true;
    }
  }

  const findings = correlate(sigma, results, problems);
  const suppressed = suppressedRules(packs.correlations, packs.rules);
  if (suppressed.size > 0)
    for (const r of results) r.findings = r.findings.filter((f) => !suppressed.has(f.rule.id));

  const list = [
    ...na.map(toListed),
    ...naCorrelations.map((c) => ({
      id: c.id,
      title: c.title,
      path: c.path,
      logsource: 'correlation',
      reason: `every rule it correlates is not applicable (${c.rules.join(', ')})`,
    })),
  ];
  return {
    findings: findings.filter((f) => !suppressed.has(f.rule.id)),
    problems,
    stats: {
      loaded: sigma.stats.loaded,
      skipped: skippedOf(packs.errors),
      notApplicable: list.length,
      notApplicableRules: list,
    },
  };
}

function toListed(n: NotApplicable): NonNullable<RuleStats['notApplicableRules']>[number] {
  return {
    id: n.rule.id,
    title: n.rule.title,
    path: n.rule.path,
    logsource: logsourceText(n.rule.logsource),
    reason: n.reason,
  };
}

function correlate(sigma: SigmaMatchers, results: ResultLike[], problems: Problem[]): Finding[] {
  const { packs } = sigma;
  if (packs.correlations.length === 0) return [];
  const correlator = createCorrelator(packs.correlations, { rules: packs.rules });
  // Base-rule findings by (rule, file, record), to cite as the correlation's evidence.
  const byEvent = new Map<string, Finding>();
  for (const r of results) {
    for (const f of r.findings)
      if (packs.correlationFields.has(f.rule.id))
        byEvent.set(`${f.rule.id}\0${r.artifact.path}\0${f.evidence[0]?.line ?? 0}`, f);
    for (const e of r.correlationEvents ?? []) {
      const rec: LogRecord = {
        source: r.artifact.source,
        line: e.line,
        time: e.time,
        get: () => undefined,
        text: () => '',
        fieldNames: () => [],
      };
      correlator.onMatch(e.ruleId, rec, (f) => e.values[f] ?? undefined, {
        path: r.artifact.path,
        line: e.line,
      });
    }
    if (r.correlationDropped)
      problems.push({
        code: 'limit.correlation-events',
        message: `${r.correlationDropped} base-rule matches not counted by correlations (per-file cap ${MAX_EVENTS_PER_ARTIFACT})`,
        path: r.artifact.path,
        severity: 'limit',
      });
  }
  const hits = correlator.finish();
  if (correlator.stats.noTime > 0)
    problems.push({
      code: 'sigma.correlation-no-time',
      message: `${correlator.stats.noTime} base-rule matches had no time and were not correlated`,
      severity: 'warning',
    });
  const made = new Map<string, Finding>();
  return hits.map((h) => {
    const f = toFinding(h, byEvent, made);
    made.set(`${h.correlation.id}\0${h.lastTime}`, f);
    return f;
  });
}

function toFinding(h: CorrelationHit, byEvent: Map<string, Finding>, made: Map<string, Finding>): Finding {
  const c = h.correlation;
  const evidence: Evidence[] = [];
  const sources: Finding[] = [];
  for (const e of h.events) {
    if (evidence.length >= MAX_EVIDENCE) break;
    const ref = e.ref as { path: string; line: number } | undefined;
    if (!ref) {
      // A chained correlation: cite the evidence of the correlation finding it builds on.
      const inner = made.get(`${e.ruleId}\0${e.time}`);
      if (inner) evidence.push(...inner.evidence.slice(0, 3));
      continue;
    }
    const f = byEvent.get(`${e.ruleId}\0${ref.path}\0${ref.line}`);
    if (f) sources.push(f);
    evidence.push(
      f?.evidence[0] ?? {
        path: ref.path,
        line: ref.line,
        excerpt: `matched rule ${e.ruleId} (the match itself was past the per-rule finding cap)`,
      },
    );
  }
  const group = Object.entries(h.group)
    .map(([k, v]) => `${k}=${v ?? '(none)'}`)
    .join(', ');
  const details: Record<string, string> = {
    correlation: c.type,
    value: String(h.value),
    events: String(h.events.length),
  };
  for (const [k, v] of Object.entries(h.group)) details[k] = v ?? '';
  const event = groupEvent(h.group);
  if (h.fieldValue !== undefined) details.fieldValue = h.fieldValue ?? '';
  const severity: Severity =
    c.level ??
    sources.reduce<Severity>(
      (s, f) => (SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[s] ? f.severity : s),
      'medium',
    );
  const stage = stageFromTags(c.tags);
  return {
    id: createHash('sha256').update([c.id, group, h.firstTime].join('\0')).digest('hex').slice(0, 16),
    rule: ruleRef(c),
    severity,
    cves: [...new Set(sources.flatMap((f) => f.cves))],
    stage: stage === 'context' && sources[0] ? sources[0].stage : stage,
    outcome: THIRD_PARTY_OUTCOME,
    time: h.firstTime,
    sourceIps: [...new Set(sources.flatMap((f) => f.sourceIps))].slice(0, 20),
    evidence: evidence.length > 0 ? evidence : [{ path: '', excerpt: `${c.title} (${group})` }],
    summary: `${c.title}: ${c.type} ${h.value}${group ? ` for ${group}` : ''} between ${h.firstTime} and ${h.lastTime}`,
    ...(event ? { event } : {}),
    details,
  };
}

/** The event section of a correlation grouped by a service, task or account field (by the EVTX roles). */
export function groupEvent(
  group: Readonly<Record<string, string | null | undefined>>,
): EventSection | undefined {
  const out: EventSection = {};
  const pick = (role: 'service' | 'taskName' | 'targetUser') => {
    for (const name of roleFields('evtx', role)) {
      const v = group[name];
      if (v) return v;
    }
    return undefined;
  };
  const service = pick('service');
  if (service) out.service = service;
  const task = pick('taskName');
  if (task) out.taskName = task;
  const user = pick('targetUser');
  if (user) out.targetUser = user;
  return Object.keys(out).length > 0 ? out : undefined;
}
