// What was exposed: mailboxes reached through the SSRF, exports, the address book, credentials, archives, commands.

import type { Finding } from '../core/finding.js';
import type {
  Confidence,
  DataExposureSection,
  ExposedItem,
  ExposureKind,
  ScanReport,
  SessionsSection,
} from '../core/report.js';
import { commandEffects } from './commands.js';
import type { AttackEvent } from './events.js';
import { OUTCOME_RANK } from './events.js';
import { SERVICES, addEffect, fileExposure, ok } from './exposure-items.js';
import { cannotShow } from './exposure-limits.js';
import { rpsCatIdentity } from './request-info.js';

const RANK: Record<Confidence, number> = { possible: 0, likely: 1, seen: 2 };

export function exposureOf(
  report: ScanReport,
  events: readonly AttackEvent[],
  sessions: SessionsSection,
): DataExposureSection {
  const sessionOf = new Map<string, string>();
  for (const s of sessions.list) for (const id of s.findings) sessionOf.set(id, s.id);
  const items = new Map<string, ExposedItem>();
  const add = (
    kind: ExposureKind,
    target: string,
    description: string,
    confidence: Confidence,
    basis: string,
    fs: Finding[],
  ) => {
    const key = `${kind}\0${target.toLowerCase()}`;
    const item = items.get(key) ?? {
      kind,
      target,
      description,
      confidence,
      basis,
      sessions: [],
      findings: [],
      evidence: [],
    };
    if (RANK[confidence] > RANK[item.confidence]) Object.assign(item, { confidence, basis, description });
    for (const f of fs) {
      if (item.findings.includes(f.id)) continue;
      item.findings.push(f.id);
      const s = sessionOf.get(f.id);
      if (s && !item.sessions.includes(s)) item.sessions.push(s);
      if (f.time && (!item.firstSeen || f.time < item.firstSeen)) item.firstSeen = f.time;
      if (f.time && (!item.lastSeen || f.time > item.lastSeen)) item.lastSeen = f.time;
      const ev = f.evidence[0];
      // Several rules on one log line are one piece of evidence.
      if (
        ev &&
        item.evidence.length < 5 &&
        !item.evidence.some((e) => e.path === ev.path && e.line === ev.line)
      )
        item.evidence.push(ev);
    }
    items.set(key, item);
  };
  const posts = new Map<string, { url: string; n: number; fs: Finding[] }>();
  for (const e of events) {
    if (OUTCOME_RANK[e.outcome] < OUTCOME_RANK.attempt) continue;
    const fx = e.facts;
    const answered = ok(fx.status);
    const host = /@([^:/?#]+)/.exec(e.best.request?.anchorMailbox ?? '')?.[1];
    const svc = fx.backendPath ? SERVICES.find((s) => s.path.test(fx.backendPath as string)) : undefined;
    if (svc && (answered || OUTCOME_RANK[e.outcome] >= OUTCOME_RANK.success)) {
      const conf: Confidence = !answered ? 'possible' : svc.kind === 'identity' ? 'seen' : 'likely';
      const basis = answered
        ? svc.kind === 'identity'
          ? `the back end answered ${fx.status}`
          : `the back end answered ${fx.status}; what was read is in the request body, which is not logged`
        : 'the request reached the service; its answer is not in the logs read';
      add(
        svc.kind,
        host ? `${svc.what} (back end ${host})` : svc.what,
        svc.description,
        conf,
        basis,
        e.findings,
      );
    }
    if (fx.mailbox && answered)
      add(
        'mailbox',
        fx.mailbox,
        'A mailbox named in the request was reached.',
        'seen',
        `answered ${fx.status}`,
        e.findings,
      );
    const impersonated = rpsCatIdentity(fx.query ?? '');
    // A refused request (401, 403, ...) proves only that the account was named: no reset follows from it.
    const refused = fx.status !== undefined && fx.status >= 400 && fx.status < 500;
    if (impersonated && !refused)
      add(
        'identity',
        impersonated,
        'Remote PowerShell ran as this account (from the X-Rps-CAT token).',
        answered ? 'seen' : 'possible',
        answered ? `answered ${fx.status}` : 'the answer is not in the logs read',
        e.findings,
      );
    const cmd = fx.command;
    if (cmd && (answered || fx.status === undefined)) {
      add(
        'command',
        cmd.length > 300 ? cmd.slice(0, 300) + '…' : cmd,
        'A command the logs show being run.',
        'seen',
        fx.status ? `answered ${fx.status}` : 'logged as run',
        e.findings,
      );
      for (const x of commandEffects(cmd)) addEffect(x, e.findings, add);
    }
    if (e.stage === 'webshell-use' && fx.method === 'POST' && fx.url && answered) {
      const p = posts.get(fx.url.toLowerCase()) ?? { url: fx.url, n: 0, fs: [] };
      p.n++;
      p.fs.push(...e.findings);
      posts.set(fx.url.toLowerCase(), p);
    }
  }
  for (const { url, n, fs } of posts.values()) {
    add(
      'command',
      `POST requests to ${url}`,
      `${n} POST request(s) answered by the webshell: commands or files sent in the request body.`,
      'likely',
      'a webshell POST carries a command, but the body is not logged',
      fs,
    );
  }
  for (const f of report.findings) fileExposure(f, report, add);
  const order: ExposureKind[] = [
    'credentials',
    'identity',
    'mailbox-export',
    'mailbox',
    'address-book',
    'archive',
    'command',
  ];
  const list = [...items.values()].sort(
    (a, b) =>
      order.indexOf(a.kind) - order.indexOf(b.kind) ||
      RANK[b.confidence] - RANK[a.confidence] ||
      (a.firstSeen ?? '').localeCompare(b.firstSeen ?? ''),
  );
  return { items: list, cannotShow: cannotShow(report, events, list) };
}
