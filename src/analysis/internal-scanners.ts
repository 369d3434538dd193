// Internal vulnerability scanners: failed scanner checks that come only from internal addresses are set aside.

import type { Artifact } from '../core/artifact.js';
import type { Finding } from '../core/finding.js';
import type { AddressRoles } from './addresses.js';
import { addressRoles, isFrontEndEvidence } from './addresses.js';
import { buildEvents } from './events.js';
import type { AttackEvent } from './events.js';
import type { AddressCensus } from './census.js';
import { SHARED, sharedAddresses } from './census.js';
import { requestFacts } from './request-info.js';
import { SCANNER_CHECK_TAG } from '../core/rule-ids.js';

/** `details.setAside` of a finding set aside here: the stable marker the verdict explanation counts. */
export const INTERNAL_SCANNER = 'internal-scanner';
/** The tag of rules whose matches are what vulnerability scanners send (see rules/builtin/util.ts). */

export interface InternalScannerOptions {
  /** `--internal-attacks`: count internal sources like external ones (nothing is set aside). */
  internalAttacks?: boolean;
  /** Who sends the front-end traffic (sampled), to recognise proxies and load balancers. */
  census?: AddressCensus;
}

interface InternalScannerSummary {
  /** Requests (events) set aside, and their findings. */
  requests: number;
  findings: number;
  /** The internal addresses they came from. */
  addresses: string[];
}

/**
 * Ranges that count as internal for this rule. RFC 1918 and IPv6 unique-local (fc00::/7) are where
 * organisations number their own networks and put their scanners. Not counted: loopback and the server's
 * own address (a request the server sends itself is a webshell or implant at work, not a scanner), IPv4 and
 * IPv6 link-local (no router: not where scanners live, and what appears there is odd enough to keep), and
 * CGNAT 100.64.0.0/10 (RFC 6598: shared by an ISP's subscribers, and by VPN overlays; not the organisation's).
 */
export function internalRange(ip: string): string | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(ip.toLowerCase().replace(/^::ffff:/, ''));
  if (v4) {
    const a = Number(v4[1]);
    const b = Number(v4[2]);
    if (a === 10) return 'RFC 1918 10.0.0.0/8';
    if (a === 172 && b >= 16 && b <= 31) return 'RFC 1918 172.16.0.0/12';
    if (a === 192 && b === 168) return 'RFC 1918 192.168.0.0/16';
    return undefined;
  }
  return /^f[cd][0-9a-f]{2}:/i.test(ip) ? 'IPv6 unique-local fc00::/7' : undefined;
}

const RAISING = new Set(['probe', 'attempt']);

/** Matches that ride along with a scanner check on the same request: a known tool's user agent says who sent it, not what. */
function ridesAlong(f: Finding): boolean {
  return f.indicator?.type === 'user-agent';
}

function isScannerCheck(f: Finding): boolean {
  return f.rule.tags?.includes(SCANNER_CHECK_TAG) ?? false;
}

/** Every status the event's lines show; an attempt counts as failed only when all are errors. */
function failed(e: AttackEvent): boolean {
  const attempts = e.findings.filter((f) => f.outcome === 'attempt');
  if (attempts.length === 0) return true; // probes: nothing was sent that could exploit, whatever the answer
  const statuses = e.findings.map((f) => requestFacts(f).status).filter((s): s is number => !!s);
  return statuses.length > 0 && statuses.every((s) => s >= 400);
}

/**
 * The clients of a request: its addresses minus hops (the server itself, the front end seen by the back
 * end) and minus proxies (what a proxy forwards is someone else's request). `via` lists the proxies seen.
 */
function clientsOf(
  e: AttackEvent,
  roles: AddressRoles,
  shared: ReadonlyMap<string, string>,
): { clients: string[]; via: string[] } {
  const clients = new Set<string>();
  const via = new Set<string>();
  for (const f of e.findings) {
    for (const ip of f.sourceIps) {
      if (roles.internal.has(ip)) continue;
      if (shared.has(ip)) via.add(ip);
      else clients.add(ip);
    }
  }
  return { clients: [...clients], via: [...via] };
}

/** Proxies the findings themselves show: a front-end line that names several addresses was forwarded. */
function forwardersInFindings(findings: readonly Finding[], roles: AddressRoles): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of findings) {
    const ev = f.evidence[0];
    if (!ev || f.sourceIps.length < 2 || !isFrontEndEvidence(ev.path, f.request?.port, roles)) continue;
    const w3c = /^\d{4}-\d\d-\d\d \d/.test(ev.excerpt);
    // IIS: c-ip, then X-Forwarded-For. HttpProxy ClientIpAddress: the client first, then the proxies.
    const proxies = w3c ? f.sourceIps.slice(0, 1) : f.sourceIps.slice(1);
    const behind = w3c ? f.sourceIps.slice(1) : f.sourceIps.slice(0, 1);
    for (const ip of proxies)
      if (!out.has(ip))
        out.set(ip, `it forwarded a request for ${behind.join(', ')} (${ev.path}:${ev.line ?? ''})`);
  }
  return out;
}

/**
 * Sets aside, as `context`, the probes and failed attempts of requests that: come only from RFC 1918 or
 * unique-local addresses that are not a proxy and sent nothing but scanner checks; match only rules tagged as
 * scanner checks (a known tool's user agent may ride along); and failed (every status an error; probes by
 * nature). A success or compromise is never touched, whatever the address. Mutates the findings; returns
 * what was set aside.
 */
export function setAsideInternalScanners(
  findings: Finding[],
  artifacts: readonly Artifact[],
  opts: InternalScannerOptions = {},
): InternalScannerSummary {
  if (opts.internalAttacks) return { requests: 0, findings: 0, addresses: [] };
  const roles = addressRoles(findings, artifacts);
  const shared = new Map([...forwardersInFindings(findings, roles), ...sharedAddresses(opts.census, roles)]);
  const events = buildEvents(findings, roles);
  const sampled = opts.census?.requests ?? 0;
  const addresses = new Set<string>();
  let requests = 0;
  let count = 0;
  // An address that also sent something no scanner sends (an exploit step, a webshell request, a success)
  // is not a scanner: none of its requests is set aside.
  const scannerLike = (e: AttackEvent) => {
    if (e.findings.some((f) => f.outcome === 'success' || f.outcome === 'compromise')) return false;
    const raising = e.findings.filter((f) => RAISING.has(f.outcome));
    return raising.some(isScannerCheck) && raising.every((f) => isScannerCheck(f) || ridesAlong(f));
  };
  const attacker = new Map<string, string>();
  for (const e of events) {
    // Events hold no context findings; suspicious ones alone prove nothing about the address.
    if (scannerLike(e) || e.findings.every((f) => f.outcome === 'suspicious')) continue;
    for (const ip of clientsOf(e, roles, shared).clients)
      if (!attacker.has(ip)) attacker.set(ip, e.best.rule.title);
  }
  for (const e of events) {
    if (!scannerLike(e) || !failed(e)) continue;
    const raising = e.findings.filter((f) => RAISING.has(f.outcome));
    const { clients, via } = clientsOf(e, roles, shared);
    if (clients.some((ip) => !internalRange(ip))) continue; // a public (or CGNAT, link-local) client
    const seen = clients.find((ip) => attacker.has(ip));
    if (seen) {
      for (const f of raising) keep(f, 'kept: the address also attacked', `${seen} also sent a request no scanner sends (${attacker.get(seen) ?? ''})`); // prettier-ignore
      continue;
    }
    if (clients.length === 0) {
      // Only a proxy (or the server itself) is known: the real client may be anywhere.
      if (via.length > 0) for (const f of raising) keep(f, 'kept: behind a proxy', behindProxy(via, shared));
      continue;
    }
    if (sampled < SHARED.minRequests) {
      // Without the traffic around it, a proxy cannot be told from a scanner: keep it counted.
      for (const f of raising) keep(f, 'kept: too little traffic to tell', tooLittle(sampled));
      continue;
    }
    requests++;
    const key = e.best.id;
    for (const ip of clients) addresses.add(ip);
    for (const f of raising) {
      count++;
      const range = [...new Set(clients.map((ip) => internalRange(ip)))].join(', ');
      const proxied = via.length > 0 ? ` (forwarded by ${via.join(', ')})` : '';
      f.details = {
        ...(f.details ?? {}),
        setAside: INTERNAL_SCANNER,
        setAsideOutcome: f.outcome,
        internalSource: clients.join(' '),
        scannerRequest: key,
      };
      const note = `set aside as an internal scanner: a failed ${f.outcome} from ${clients.join(', ')}${proxied} (${range}), the kind of check vulnerability scanners send; a success is never set aside, and --internal-attacks counts it`;
      f.note = f.note ? `${f.note}; ${note}` : note;
      f.outcome = 'context';
    }
  }
  return { requests, findings: count, addresses: [...addresses].sort() };
}

function behindProxy(via: string[], shared: ReadonlyMap<string, string>): string {
  const why = via.map((ip) => `${ip}: ${shared.get(ip) ?? 'a proxy'}`).join('; ');
  return `it came through a proxy or load balancer (${why}), so the real client is unknown`;
}

function tooLittle(sampled: number): string {
  return `only ${sampled} front-end requests could be sampled, too few to tell an internal scanner from a proxy that hides outside clients`;
}

/** Says on the finding why a request that looks like an internal scanner's stays counted. */
function keep(f: Finding, decision: string, why: string): void {
  f.details = { ...(f.details ?? {}), internalScannerDecision: decision };
  const note = `not set aside as an internal scanner: ${why}`;
  f.note = f.note ? `${f.note}; ${note}` : note;
}

/** What the verdict explanation says about set-aside findings (counted from the findings' marker). */
export function internalScannerSummary(findings: readonly Finding[]): InternalScannerSummary {
  const marked = findings.filter((f) => f.details?.setAside === INTERNAL_SCANNER);
  return {
    requests: new Set(marked.map((f) => f.details?.scannerRequest ?? f.id)).size,
    findings: marked.length,
    addresses: [...new Set(marked.flatMap((f) => (f.details?.internalSource ?? '').split(' ')))]
      .filter((a) => a.length > 0)
      .sort(),
  };
}

/** `3 probes from internal scanners (10.1.2.3) were set aside as context; --internal-attacks counts them.` */
export function internalScannerSentence(s: InternalScannerSummary): string | undefined {
  if (s.requests === 0) return undefined;
  const n = s.requests === 1 ? '1 probe' : `${s.requests} probes`;
  const from = s.addresses.length > 0 ? ` (${s.addresses.slice(0, 5).join(', ')}${s.addresses.length > 5 ? ', …' : ''})` : ''; // prettier-ignore
  return `${n} from internal scanners${from} ${s.requests === 1 ? 'was' : 'were'} set aside as context; --internal-attacks counts ${s.requests === 1 ? 'it' : 'them'}.`;
}
