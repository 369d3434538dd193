// Findings become events: every finding on the same request (one log line, one request id, its back-end line) is one event.

import type { Finding, Outcome, Stage } from '../core/finding.js';
import { SEVERITY_ORDER, STAGES } from '../core/finding.js';
import type { AddressRoles } from './addresses.js';
import { clientAddresses } from './addresses.js';
import type { RequestFacts } from './request-info.js';
import { requestFacts } from './request-info.js';
import { UnionFind } from '../core/union-find.js';
import { linkBackEnd } from './backend-link.js';

export const OUTCOME_RANK: Record<Outcome, number> = {
  context: 0,
  suspicious: 1,
  probe: 2,
  attempt: 3,
  success: 4,
  compromise: 5,
};

export interface AttackEvent {
  index: number;
  time?: string;
  ms?: number;
  findings: Finding[];
  /** The finding that best describes the event (strongest outcome, then the most specific rule). */
  best: Finding;
  facts: RequestFacts;
  stage: Stage;
  outcome: Outcome;
  publicAddresses: string[];
  privateAddresses: string[];
  userAgent?: string;
  requestIds: string[];
  canaries: string[];
  /** URL of the webshell requested, or path of the webshell file written. */
  webshell?: string;
  summary: string;
}

export { normaliseUserAgent } from './user-agent.js';

function better(a: Finding, b: Finding): Finding {
  const d =
    OUTCOME_RANK[a.outcome] - OUTCOME_RANK[b.outcome] ||
    Number(a.details !== undefined) - Number(b.details !== undefined) ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage);
  return d >= 0 ? a : b;
}

/** Findings of attacker activity (everything but `context`) grouped into events, in time order. */
export function buildEvents(findings: readonly Finding[], roles: AddressRoles): AttackEvent[] {
  const active = findings.filter((f) => f.outcome !== 'context');
  const facts = active.map(requestFacts);
  const known = new Set(facts.flatMap((x) => x.requestIds));
  const uf = new UnionFind(active.length);
  const firstBy = new Map<string, number>();
  const join = (key: string, i: number) => {
    const j = firstBy.get(key);
    if (j === undefined) firstBy.set(key, i);
    else uf.union(j, i);
  };
  active.forEach((f, i) => {
    const ev = f.evidence[0];
    if (ev) join(`ev:${ev.path}:${ev.line ?? ''}`, i);
    const fx = facts[i] as RequestFacts;
    for (const id of new Set([...fx.requestIds, ...fx.guids.filter((g) => known.has(g))]))
      join(`id:${id}`, i);
  });
  // The back end logs no front-end request id: its lines join by method, path, user agent and time.
  linkBackEnd(active, facts, uf, roles);
  const events: AttackEvent[] = [];
  for (const members of uf.groups().values()) {
    const fs = members.map((i) => active[i] as Finding);
    const fxs = members.map((i) => facts[i] as RequestFacts);
    events.push(makeEvent(fs, fxs, known, roles));
  }
  events.sort((a, b) => (a.ms ?? Infinity) - (b.ms ?? Infinity) || a.summary.localeCompare(b.summary));
  events.forEach((e, i) => (e.index = i));
  return events;
}

function makeEvent(fs: Finding[], fxs: RequestFacts[], known: Set<string>, roles: AddressRoles): AttackEvent {
  const best = fs.reduce(better);
  const bestFacts = fxs[fs.indexOf(best)] as RequestFacts;
  const times = fs.map((f) => f.time).filter((t): t is string => !!t);
  const time = times.sort()[0];
  const pub = new Set<string>();
  const priv = new Set<string>();
  for (const f of fs) {
    const a = clientAddresses(f, roles);
    a.public.forEach((x) => pub.add(x));
    a.private.forEach((x) => priv.add(x));
  }
  const merged: RequestFacts = { ...bestFacts };
  for (const fx of fxs) {
    merged.url ??= fx.url;
    merged.method ??= fx.method;
    merged.query ??= fx.query;
    merged.status ??= fx.status;
    merged.backendPath ??= fx.backendPath;
    merged.mailbox ??= fx.mailbox;
    merged.command ??= fx.command;
    merged.canary ??= fx.canary;
  }
  const ids = new Set(fxs.flatMap((x) => [...x.requestIds, ...x.guids.filter((g) => known.has(g))]));
  const ua = fs.find((f) => f.userAgent)?.userAgent;
  const shellFile = fs.find((f) => f.stage === 'webshell-write' && f.file?.path);
  const webshell =
    shellFile?.file?.path ?? (fs.some((f) => f.stage === 'webshell-use') ? merged.url : undefined);
  return {
    index: 0,
    ...(time ? { time, ms: Date.parse(time) } : {}),
    findings: fs,
    best,
    facts: merged,
    stage: best.stage,
    outcome: best.outcome,
    publicAddresses: [...pub],
    privateAddresses: [...priv],
    ...(ua ? { userAgent: ua } : {}),
    requestIds: [...ids],
    canaries: [...new Set(fxs.map((x) => x.canary).filter((c): c is string => !!c))],
    ...(webshell ? { webshell } : {}),
    summary: summarise(best, merged),
  };
}

function summarise(best: Finding, fx: RequestFacts): string {
  let s: string;
  if (best.details && best.summary) s = best.summary;
  else if (fx.url)
    s = `${best.rule.title}: ${fx.method ?? ''} ${fx.url}${fx.query ? `?${fx.query}` : ''}${fx.status ? ` (${fx.status})` : ''}`;
  else s = best.summary ?? best.rule.title;
  return s.length > 300 ? s.slice(0, 300) + '…' : s;
}
