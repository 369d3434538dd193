// Which victim first, and why: a server's triage score as the sum of weighted reasons, each reason in words
// that the API and the dashboard show unchanged. Pure: the store gathers the inputs and keeps the result.

/** What the latest scan of a server showed, as far as triage cares (kept per server at ingest). */
export interface TriageEvidence {
  /** The latest scan's verdict; null when the server has no scan yet. */
  verdict: string | null;
  /** When the latest scan finished (UTC ISO-8601); null when there is none. */
  scannedAt: string | null;
  /** Webshells the latest scan found on disk: how many, and the first few paths. */
  webshells: { count: number; paths: string[] };
  /** Credential dumps seen or likely (LSASS read or dumped, ntds.dit, procdump, registry hives). */
  credentials: { count: number; targets: string[] };
  /** Data the attacker reached or took, by kind, with the first few targets. */
  data: { mailboxes: number; exports: number; addressBook: number; targets: string[] };
  /** The newest attempt, exploitation or compromise (probes are left out: the whole internet probes). */
  lastActivity: string | null;
  /** CVEs the build is vulnerable to and no effective mitigation covers. */
  openCves: string[];
  /** CVEs the build is vulnerable to that an effective mitigation covers (said, not weighed). */
  mitigatedCves: string[];
  build: string | null;
}

export interface TriageInputs extends TriageEvidence {
  /** Remediation steps open or in progress. */
  openSteps: number;
}

export interface TriageSettings {
  /** Attacker activity this recent counts as "active" (days). */
  activeDays: number;
  /** A latest scan older than this is stale (days). */
  staleDays: number;
}

export const DEFAULT_TRIAGE: TriageSettings = { activeDays: 7, staleDays: 14 };

export const TRIAGE_CODES = [
  'webshell-on-disk',
  'credential-dump',
  'attacker-active',
  'verdict',
  'data-exposure',
  'exposure-open',
  'remediation-open',
  'scan-age',
] as const;
export type TriageCode = (typeof TRIAGE_CODES)[number];

/** One reason a server is where it is in the order: the same words in the API and the dashboard. */
export interface TriageReason {
  code: TriageCode;
  weight: number;
  /** Short, for the list (`Webshell on disk at the latest scan`). */
  text: string;
  /** The facts behind it (paths, times, CVEs); may hold attacker-controlled text: escape when shown. */
  detail: string;
}

export interface Triage {
  score: number;
  /** Heaviest first. */
  reasons: TriageReason[];
  /** The tie-break: the newest attacker activity, or null. */
  lastActivity: string | null;
  /** When a reason that depends on the clock changes next (UTC ISO-8601), or null if none will. */
  until: string | null;
}

/**
 * The weights, in the order a responder acts: an attacker's foothold and stolen credentials before an
 * attacker still active, before what was read, before holes still open and housekeeping.
 */
export const TRIAGE_WEIGHTS = {
  webshell: 40,
  credentials: 35,
  active: 30,
  verdict: { compromised: 25, exploited: 20, attempted: 5, inconclusive: 5 } as Record<string, number>,
  data: { exports: 25, mailboxes: 20, addressBook: 10 },
  exposure: 15,
  /** Per open step, up to `stepsMax`. */
  step: 2,
  stepsMax: 10,
  stale: 5,
} as const;

const DAY_MS = 24 * 3600 * 1000;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The first few items of a list, and how many more. */
function few(items: string[], total: number): string {
  const more = total - items.length;
  return items.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

function days(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

export function scoreTriage(i: TriageInputs, s: TriageSettings, now: string): Triage {
  const W = TRIAGE_WEIGHTS;
  const nowMs = Date.parse(now);
  const reasons: TriageReason[] = [];
  const until: number[] = [];
  if (i.webshells.count > 0)
    reasons.push({
      code: 'webshell-on-disk',
      weight: W.webshell,
      text: 'Webshell on disk at the latest scan',
      detail: `${plural(i.webshells.count, 'file')}: ${few(i.webshells.paths, i.webshells.count)}`,
    });
  if (i.credentials.count > 0)
    reasons.push({
      code: 'credential-dump',
      weight: W.credentials,
      text: 'Credentials dumped',
      detail: `${plural(i.credentials.count, 'dump')}: ${few(i.credentials.targets, i.credentials.count)}`,
    });
  if (i.lastActivity) {
    const last = Date.parse(i.lastActivity);
    const ago = nowMs - last;
    if (ago < s.activeDays * DAY_MS) {
      until.push(last + s.activeDays * DAY_MS);
      reasons.push({
        code: 'attacker-active',
        weight: W.active,
        text: `Attacker active in the last ${plural(s.activeDays, 'day')}`,
        detail: `last attacker activity ${i.lastActivity}${ago >= 0 ? ` (${plural(days(ago), 'day')} ago)` : ' (after now: check the clocks)'}`,
      });
    }
  }
  const verdictWeight = i.verdict ? W.verdict[i.verdict] : undefined;
  if (i.verdict && verdictWeight)
    reasons.push({
      code: 'verdict',
      weight: verdictWeight,
      text: `Verdict: ${i.verdict}`,
      detail:
        i.verdict === 'inconclusive'
          ? 'the latest scan could not rule an attack out'
          : `the latest scan's verdict is ${i.verdict}`,
    });
  const d = i.data;
  if (d.exports + d.mailboxes + d.addressBook > 0) {
    const parts: string[] = [];
    if (d.exports) parts.push(plural(d.exports, 'mailbox export'));
    if (d.mailboxes) parts.push('mailboxes reached');
    if (d.addressBook) parts.push('the address book read');
    reasons.push({
      code: 'data-exposure',
      weight: d.exports ? W.data.exports : d.mailboxes ? W.data.mailboxes : W.data.addressBook,
      text: `Data exposed: ${parts.join(', ')}`,
      detail: few(d.targets, d.exports + d.mailboxes + d.addressBook),
    });
  }
  if (i.openCves.length > 0)
    reasons.push({
      code: 'exposure-open',
      weight: W.exposure,
      text: 'Still exposed: vulnerable build, no mitigation',
      detail:
        `${i.build ?? 'the build'} is vulnerable to ${i.openCves.join(', ')}` +
        (i.mitigatedCves.length ? `; mitigated: ${i.mitigatedCves.join(', ')}` : ''),
    });
  if (i.openSteps > 0)
    reasons.push({
      code: 'remediation-open',
      weight: Math.min(W.stepsMax, W.step * i.openSteps),
      text: `${plural(i.openSteps, 'remediation step')} open`,
      detail: `${plural(i.openSteps, 'step')} of the checklist not done or set aside`,
    });
  if (!i.scannedAt)
    reasons.push({
      code: 'scan-age',
      weight: W.stale,
      text: 'Not scanned yet',
      detail: 'no scan of this server has been stored',
    });
  else {
    const scanned = Date.parse(i.scannedAt);
    if (nowMs - scanned >= s.staleDays * DAY_MS)
      reasons.push({
        code: 'scan-age',
        weight: W.stale,
        text: `Latest scan is ${plural(days(nowMs - scanned), 'day')} old`,
        detail: `scanned ${i.scannedAt}; older than ${plural(s.staleDays, 'day')}: rescan to see the server as it is now`,
      });
    else until.push(scanned + s.staleDays * DAY_MS);
  }
  // Heaviest first; equal weights keep the order above (the order a responder acts in).
  reasons.sort((a, b) => b.weight - a.weight);
  return {
    score: reasons.reduce((n, r) => n + r.weight, 0),
    reasons,
    lastActivity: i.lastActivity,
    until: until.length ? new Date(Math.min(...until)).toISOString() : null,
  };
}

/** The order in words, for the dashboard's "why this order" and the API's `order` field. */
export function triageOrderText(s: TriageSettings): string {
  const W = TRIAGE_WEIGHTS;
  return (
    'Highest triage score first. The score adds up the reasons shown on each server: ' +
    `a webshell still on disk at the latest scan (${W.webshell}), credentials dumped (${W.credentials}), ` +
    `attacker activity in the last ${plural(s.activeDays, 'day')} (${W.active}), the verdict ` +
    `(compromised ${W.verdict.compromised}, exploited ${W.verdict.exploited}, attempted or inconclusive ${W.verdict.attempted}), ` +
    `data exposed (mailbox exports ${W.data.exports}, mailboxes reached ${W.data.mailboxes}, the address book ${W.data.addressBook}), ` +
    `a vulnerable build with no mitigation (${W.exposure}), open remediation steps (${W.step} each, up to ${W.stepsMax}) ` +
    `and a latest scan older than ${plural(s.staleDays, 'day')} or none (${W.stale}). ` +
    'Equal scores: the most recent attacker activity first, then the server added last.'
  );
}
