// The sessions section of the report: per session and for the server, first and last seen, stages, timelines, links.

import type { Finding, Outcome, Stage } from '../core/finding.js';
import { STAGES } from '../core/finding.js';
import type {
  AttackerSession,
  SessionLink,
  SessionsSection,
  StageReached,
  TimelineEvent,
} from '../core/report.js';
import type { AttackEvent } from './events.js';
import { OUTCOME_RANK, normaliseUserAgent } from './events.js';
import type { Grouping } from './sessions.js';
import { SESSION_RULE, shellName } from './sessions.js';

const SESSION_TIMELINE_CAP = 200;
const SERVER_TIMELINE_CAP = 300;

export function sessionsSection(
  events: readonly AttackEvent[],
  grouping: Grouping,
  internal: ReadonlyMap<string, string>,
): SessionsSection {
  const list: AttackerSession[] = grouping.sessions.map((g, n) =>
    makeSession(
      `S${n + 1}`,
      g.map((i) => events[i] as AttackEvent),
      grouping,
    ),
  );
  const sessionOf = new Map<number, string>();
  grouping.sessions.forEach((g, n) => g.forEach((i) => sessionOf.set(i, `S${n + 1}`)));
  const loose = grouping.unattributed.map((i) => events[i] as AttackEvent);
  const all = [...grouping.sessions.flat(), ...grouping.unattributed].map((i) => events[i] as AttackEvent);
  const milestones = new Set<AttackEvent>(loose);
  for (const g of grouping.sessions)
    for (const e of firstOfEachStage(g.map((i) => events[i] as AttackEvent))) milestones.add(e);
  const serverTimeline = [...milestones]
    .sort(byTime)
    .map((e) => toTimeline(e, sessionOf.get(e.index), grouping));
  const stages = stagesReached(
    all.flatMap((e) => e.findings.map((f) => [f, sessionOf.get(e.index)] as const)),
  );
  const span = spanOf(all);
  return {
    rule: SESSION_RULE,
    internalAddresses: [...internal].map(([address, reason]) => ({ address, reason })),
    server: {
      ...span,
      stages,
      timeline: serverTimeline.slice(0, SERVER_TIMELINE_CAP),
      ...(serverTimeline.length > SERVER_TIMELINE_CAP
        ? { timelineOmitted: serverTimeline.length - SERVER_TIMELINE_CAP }
        : {}),
    },
    list,
    links: linksOf(list),
    unattributed: loose.flatMap((e) => e.findings.map((f) => f.id)),
  };
}

function makeSession(id: string, evs: AttackEvent[], grouping: Grouping): AttackerSession {
  const findings = evs.flatMap((e) => e.findings);
  const uas = new Map<string, string>();
  for (const e of evs)
    if (e.userAgent && !uas.has(normaliseUserAgent(e.userAgent)))
      uas.set(normaliseUserAgent(e.userAgent), e.userAgent);
  const outcome = findings.reduce<Outcome>(
    (m, f) => (OUTCOME_RANK[f.outcome] > OUTCOME_RANK[m] ? f.outcome : m),
    'suspicious',
  );
  const timeline = capTimeline(evs, SESSION_TIMELINE_CAP);
  return {
    id,
    addresses: uniq(evs.flatMap((e) => [...e.publicAddresses, ...e.privateAddresses])),
    userAgents: [...uas.values()].slice(0, 10),
    webshells: uniq(evs.map((e) => e.webshell).filter((w): w is string => !!w)).slice(0, 20),
    ...spanOf(evs),
    outcome,
    stages: stagesReached(findings.map((f) => [f, undefined] as const)),
    findings: findings.map((f) => f.id),
    requestIds: uniq(evs.flatMap((e) => e.requestIds)).slice(0, 200),
    ecpCanaries: uniq(evs.flatMap((e) => e.canaries)),
    timeline: timeline.map((e) => toTimeline(e, undefined, grouping)),
    ...(timeline.length < evs.length ? { timelineOmitted: evs.length - timeline.length } : {}),
  };
}

/** All events when they fit; otherwise the milestones and every success or compromise first, then the earliest. */
function capTimeline(evs: AttackEvent[], cap: number): AttackEvent[] {
  if (evs.length <= cap) return evs;
  const keep = new Set<AttackEvent>(firstOfEachStage(evs));
  for (const e of evs) if (keep.size < cap && OUTCOME_RANK[e.outcome] >= OUTCOME_RANK.success) keep.add(e);
  for (const e of evs) if (keep.size < cap) keep.add(e);
  return [...keep].sort(byTime);
}

function firstOfEachStage(evs: AttackEvent[]): AttackEvent[] {
  const seen = new Map<Stage, AttackEvent>();
  for (const e of [...evs].sort(byTime)) if (!seen.has(e.stage)) seen.set(e.stage, e);
  const first = [...evs].sort(byTime)[0];
  return first ? uniq([first, ...seen.values()]) : [];
}

function toTimeline(e: AttackEvent, session: string | undefined, grouping: Grouping): TimelineEvent {
  const joined = grouping.joinedBy.get(e.index);
  return {
    ...(e.time ? { time: e.time } : {}),
    stage: e.stage,
    outcome: e.outcome,
    summary: e.summary,
    findings: e.findings.map((f) => f.id),
    ...(session ? { session } : {}),
    ...(joined ? { joinedBy: joined } : {}),
  };
}

function stagesReached(pairs: readonly (readonly [Finding, string | undefined])[]): StageReached[] {
  const by = new Map<Stage, StageReached>();
  for (const [f, session] of pairs) {
    if (f.stage === 'context' || f.outcome === 'context') continue;
    let s = by.get(f.stage);
    if (!s) by.set(f.stage, (s = { stage: f.stage, outcome: f.outcome, findings: 0 }));
    s.findings++;
    if (OUTCOME_RANK[f.outcome] > OUTCOME_RANK[s.outcome]) s.outcome = f.outcome;
    if (f.time && (!s.firstSeen || f.time < s.firstSeen)) s.firstSeen = f.time;
    if (f.time && (!s.lastSeen || f.time > s.lastSeen)) s.lastSeen = f.time;
    if (session) s.sessions = uniq([...(s.sessions ?? []), session]);
  }
  return STAGES.filter((st) => by.has(st)).map((st) => by.get(st) as StageReached);
}

function linksOf(list: readonly AttackerSession[]): SessionLink[] {
  const by = new Map<string, SessionLink>();
  const add = (kind: SessionLink['by'], key: string, value: string, session: string) => {
    const k = `${kind}\0${key}`;
    const l = by.get(k) ?? { by: kind, value, sessions: [] };
    if (!l.sessions.includes(session)) l.sessions.push(session);
    by.set(k, l);
  };
  for (const s of list) {
    for (const a of s.addresses) add('address', a, a, s.id);
    for (const ua of s.userAgents) add('user-agent', normaliseUserAgent(ua), ua, s.id);
    for (const w of s.webshells) add('webshell', shellName(w), shellName(w), s.id);
  }
  return [...by.values()]
    .filter((l) => l.sessions.length > 1)
    .sort(
      (a, b) =>
        b.sessions.length - a.sessions.length || a.by.localeCompare(b.by) || a.value.localeCompare(b.value),
    );
}

function spanOf(evs: readonly AttackEvent[]): { firstSeen?: string; lastSeen?: string } {
  const times = evs
    .flatMap((e) => e.findings.map((f) => f.time))
    .filter((t): t is string => !!t)
    .sort();
  const first = times[0];
  const last = times[times.length - 1];
  return { ...(first ? { firstSeen: first } : {}), ...(last ? { lastSeen: last } : {}) };
}

const byTime = (a: AttackEvent, b: AttackEvent) =>
  (a.ms ?? Infinity) - (b.ms ?? Infinity) || a.index - b.index;

function uniq<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
