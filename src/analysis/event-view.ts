// The events section of the report: one entry per request with its lines from every log, probes and context grouped.

import type { Artifact } from '../core/artifact.js';
import type { Finding, Outcome } from '../core/finding.js';
import type { EventGroup, EventLine, EventsSection, RequestEvent } from '../core/report.js';
import type { AddressRoles } from './addresses.js';
import { clientAddresses, isBackEndEvidence } from './addresses.js';
import type { AttackEvent } from './events.js';
import { OUTCOME_RANK } from './events.js';
import { requestFacts } from './request-info.js';

/** Events listed one by one; past this the findings still hold everything. */
const EVENTS_CAP = 2000;
const LINES_PER_EVENT = 20;
/** Excerpts are repeated from the findings, so they are cut shorter here. */
export const EVENT_EXCERPT = 400;
const GROUP_SOURCES = 20;
const GROUP_REQUESTS = 5;
const GROUP_FINDINGS = 100;
const GROUP_EXAMPLE_LINES = 5;

const EVENTS_RULE =
  'Findings on the same request are one event: the same log line, the same front-end request id (the IIS ' +
  'cafeReqId equals the HttpProxy RequestId, and joins any row of another log that carries it, remote ' +
  'PowerShell included), or the back-end IIS line the request caused (see the sessions rule). Events are ' +
  'listed strongest first: compromise (webshells and post-exploitation), then exploitation that succeeded, ' +
  'then attempts, then what needs review, each in time order. Probes are grouped by the rule that matched ' +
  '(count, first and last time, client addresses), and context findings after them.';

/** Sort tiers: compromise, success, attempt, suspicious; probes and context are grouped instead. */
const TIER: Partial<Record<Outcome, number>> = { compromise: 0, success: 1, attempt: 2, suspicious: 3 };

export function eventsSection(
  events: readonly AttackEvent[],
  context: readonly Finding[],
  sessionOf: ReadonlyMap<number, string>,
  roles: AddressRoles,
  artifacts: readonly Artifact[],
): EventsSection {
  const familyOf = new Map(artifacts.map((a) => [a.path, a.family]));
  const logOf = (path: string, port: number | undefined, isFile: boolean) =>
    logName(path, port, familyOf.get(path), isFile, roles);
  const listed = events
    .filter((e) => TIER[e.outcome] !== undefined)
    .sort(
      (a, b) =>
        (TIER[a.outcome] as number) - (TIER[b.outcome] as number) ||
        (a.ms ?? Infinity) - (b.ms ?? Infinity) ||
        a.index - b.index,
    );
  const list = listed
    .slice(0, EVENTS_CAP)
    .map((e, i) => requestEvent(`E${i + 1}`, e, sessionOf.get(e.index), logOf));
  const probes = groups(
    'P',
    events.filter((e) => e.outcome === 'probe').map((e) => ({ best: e.best, findings: e.findings, e })),
    roles,
    logOf,
  );
  const ctx = groups(
    'C',
    context.map((f) => ({ best: f, findings: [f] })),
    roles,
    logOf,
  );
  return {
    rule: EVENTS_RULE,
    list,
    ...(listed.length > EVENTS_CAP ? { omitted: listed.length - EVENTS_CAP } : {}),
    probes,
    context: ctx,
  };
}

type LogOf = (path: string, port: number | undefined, isFile: boolean) => string;

function requestEvent(id: string, e: AttackEvent, session: string | undefined, logOf: LogOf): RequestEvent {
  const all = linesOf(e.findings, logOf);
  const times = e.findings
    .map((f) => f.time)
    .filter((t): t is string => !!t)
    .sort();
  const last = times[times.length - 1];
  const cves = [...new Set(e.findings.flatMap((f) => f.cves))].sort();
  return {
    id,
    ...(e.time ? { time: e.time } : {}),
    ...(last && last !== e.time ? { last } : {}),
    stage: e.stage,
    outcome: e.outcome,
    cves,
    summary: e.summary,
    requestIds: e.requestIds,
    addresses: [...e.publicAddresses, ...e.privateAddresses],
    ...(e.userAgent ? { userAgent: e.userAgent } : {}),
    ...(session ? { session } : {}),
    ...(e.webshell ? { webshell: e.webshell } : {}),
    findings: e.findings.map((f) => f.id),
    lines: all.slice(0, LINES_PER_EVENT),
    ...(all.length > LINES_PER_EVENT ? { linesOmitted: all.length - LINES_PER_EVENT } : {}),
  };
}

/** Every piece of evidence of the findings, one line each, in time order (the same place cited once). */
function linesOf(findings: readonly Finding[], logOf: LogOf): EventLine[] {
  const seen = new Set<string>();
  const out: EventLine[] = [];
  for (const f of findings)
    for (const ev of f.evidence) {
      const key = `${ev.path}\0${ev.line ?? ev.offset ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        finding: f.id,
        log: logOf(ev.path, f.request?.port, ev.line === undefined),
        path: ev.path,
        ...(ev.line !== undefined ? { line: ev.line } : {}),
        ...(f.time ? { time: f.time } : {}),
        rule: { id: f.rule.id, title: f.rule.title, author: f.rule.author },
        excerpt: ev.excerpt.length > EVENT_EXCERPT ? ev.excerpt.slice(0, EVENT_EXCERPT) + '…' : ev.excerpt,
      });
    }
  // Front end before back end when the times tie: the order the request travelled.
  return out
    .map((l, i) => ({ l, i }))
    .sort(
      (a, b) =>
        (a.l.time ?? '\uffff').localeCompare(b.l.time ?? '\uffff') ||
        LOG_ORDER(a.l.log) - LOG_ORDER(b.l.log) ||
        a.i - b.i,
    )
    .map((x) => x.l);
}

function LOG_ORDER(log: string): number {
  if (log === 'front-end IIS') return 0;
  if (log.startsWith('HttpProxy')) return 1;
  if (log === 'back-end IIS') return 2;
  if (log.startsWith('remote PowerShell')) return 3;
  return 4;
}

/** The log a line came from, in the words a responder uses. */
function logName(
  path: string,
  port: number | undefined,
  family: string | undefined,
  isFile: boolean,
  roles: AddressRoles,
): string {
  const fam = family ?? familyFromPath(path);
  if (fam.startsWith('IIS') || /(^|\/)W3SVC\d+\//i.test(path))
    return isBackEndEvidence(path, port, roles) ? 'back-end IIS' : 'front-end IIS';
  if (fam.startsWith('HttpProxy')) return fam.replace('/', ' ');
  if (/Rps_Http/i.test(fam)) return 'remote PowerShell (Rps_Http)';
  if (/Rps_Cmdlet/i.test(fam)) return 'remote PowerShell (Rps_Cmdlet)';
  if (fam === 'ECP/Server') return 'ECP server log';
  if (fam.startsWith('EVTX/')) return `event log ${fam.slice(5)}`;
  if (isFile) return 'file';
  return fam || 'log';
}

/** The family from the path alone, for findings whose artifact the report does not list (tests, old reports). */
function familyFromPath(path: string): string {
  const p = path.toLowerCase();
  const site = /(?:^|\/)(w3svc\d+)\//.exec(p)?.[1];
  if (site) return `IIS/${site.toUpperCase()}`;
  const hp = /(?:^|\/)httpproxy\/([^/]+)\//i.exec(path)?.[1];
  if (hp) return `HttpProxy/${hp}`;
  if (p.includes('httpproxy')) return 'HttpProxy';
  if (/rps_http/.test(p)) return 'CmdletInfra/Rps_Http';
  if (/rps_cmdlet/.test(p)) return 'CmdletInfra/Rps_Cmdlet';
  if (p.includes('/ecp/server/')) return 'ECP/Server';
  if (p.endsWith('.evtx')) return `EVTX/${path.slice(path.lastIndexOf('/') + 1, -5)}`;
  return '';
}

interface Member {
  best: Finding;
  findings: readonly Finding[];
  e?: AttackEvent;
}

/** Members grouped by their best finding's rule: the largest group first, then the earliest. */
function groups(prefix: string, members: readonly Member[], roles: AddressRoles, logOf: LogOf): EventGroup[] {
  const by = new Map<string, Member[]>();
  for (const m of members) {
    const g = by.get(m.best.rule.id);
    if (g) g.push(m);
    else by.set(m.best.rule.id, [m]);
  }
  const out = [...by.values()].map((ms) => group(ms, roles, logOf));
  out.sort(
    (a, b) =>
      b.count - a.count ||
      (a.first ?? '\uffff').localeCompare(b.first ?? '\uffff') ||
      a.rule.id.localeCompare(b.rule.id),
  );
  out.forEach((g, i) => (g.id = `${prefix}${i + 1}`));
  return out;
}

function group(ms: readonly Member[], roles: AddressRoles, logOf: LogOf): EventGroup {
  const best = (ms[0] as Member).best;
  const findings = ms.flatMap((m) => m.findings);
  let first: string | undefined;
  let last: string | undefined;
  for (const f of findings)
    if (f.time) {
      if (!first || f.time < first) first = f.time;
      if (!last || f.time > last) last = f.time;
    }
  const sources = new Map<string, number>();
  const requests = new Map<string, number>();
  let outcome = best.outcome;
  for (const m of ms) {
    const addrs = m.e
      ? [...m.e.publicAddresses, ...m.e.privateAddresses]
      : (() => {
          const a = clientAddresses(m.best, roles);
          return [...a.public, ...a.private];
        })();
    for (const a of new Set(addrs)) sources.set(a, (sources.get(a) ?? 0) + 1);
    const fx = m.e?.facts ?? requestFacts(m.best);
    if (fx.url) {
      const r = `${fx.method ?? ''} ${fx.url}`.trim();
      requests.set(r, (requests.get(r) ?? 0) + 1);
    }
    if (OUTCOME_RANK[m.best.outcome] > OUTCOME_RANK[outcome]) outcome = m.best.outcome;
  }
  const earliest = [...ms].sort((a, b) =>
    (a.best.time ?? '\uffff').localeCompare(b.best.time ?? '\uffff'),
  )[0];
  return {
    id: '',
    rule: { id: best.rule.id, title: best.rule.title, author: best.rule.author },
    stage: best.stage,
    outcome,
    count: ms.length,
    findingCount: findings.length,
    ...(first ? { first } : {}),
    ...(last ? { last } : {}),
    sources: top(sources, GROUP_SOURCES).map(([a]) => a),
    sourceCount: sources.size,
    requests: top(requests, GROUP_REQUESTS).map(([value, count]) => ({ value, count })),
    example: earliest ? linesOf(earliest.findings, logOf).slice(0, GROUP_EXAMPLE_LINES) : [],
    findings: findings.slice(0, GROUP_FINDINGS).map((f) => f.id),
  };
}

function top(m: ReadonlyMap<string, number>, n: number): [string, number][] {
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n);
}
