// Pass: failed scanner checks that come only from internal addresses are set aside as an internal scanner's.

import type { Finding } from '../../core/finding.js';
import { SCANNER_CHECK_TAG } from '../../core/rule-ids.js';
import type { AddressRoles } from '../addresses.js';
import { addressRoles, isFrontEndEvidence } from '../addresses.js';
import { SHARED, sharedAddresses } from '../census.js';
import { buildEvents } from '../events.js';
import type { AttackEvent } from '../events.js';
import { INTERNAL_SCANNER, internalRange } from '../internal-scanners.js';
import { requestFacts } from '../request-info.js';
import { Draft } from './adjustment.js';
import type { Pass } from './pass.js';

const NAME = 'internal-scanners';
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
function forwardersInFindings(
  findings: readonly Readonly<Finding>[],
  roles: AddressRoles,
): Map<string, string> {
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
 * nature). A success or compromise is never touched, whatever the address. A request that looks like a
 * scanner's but stays counted says why (`details.internalScannerDecision`).
 */
export const internalScannersPass: Pass = {
  name: NAME,
  does: 'failed scanner checks from internal addresses that are not a proxy and never attacked are set aside as context',
  run({ findings, artifacts, internal: opts }) {
    if (opts.internalAttacks) return [];
    const d = new Draft(NAME);
    const roles = addressRoles(findings, artifacts);
    const shared = new Map([
      ...forwardersInFindings(findings, roles),
      ...sharedAddresses(opts.census, roles),
    ]);
    const events = buildEvents(findings, roles);
    const sampled = opts.census?.requests ?? 0;
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
    // Each finding is in one event: what one event decides, no other event reads.
    const keep = (f: Readonly<Finding>, decision: string, why: string) => {
      d.setDetails(f, { internalScannerDecision: decision }, decision);
      d.addNote(f, `not set aside as an internal scanner: ${why}`, decision);
    };
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
        if (via.length > 0)
          for (const f of raising) keep(f, 'kept: behind a proxy', behindProxy(via, shared));
        continue;
      }
      if (sampled < SHARED.minRequests) {
        // Without the traffic around it, a proxy cannot be told from a scanner: keep it counted.
        for (const f of raising) keep(f, 'kept: too little traffic to tell', tooLittle(sampled));
        continue;
      }
      const range = [...new Set(clients.map((ip) => internalRange(ip)))].join(', ');
      const proxied = via.length > 0 ? ` (forwarded by ${via.join(', ')})` : '';
      for (const f of raising) {
        const why = `a failed ${f.outcome} from an internal scanner (${clients.join(', ')})`;
        d.setDetails(
          f,
          {
            setAside: INTERNAL_SCANNER,
            setAsideOutcome: f.outcome,
            internalSource: clients.join(' '),
            scannerRequest: e.best.id,
          },
          why,
        );
        d.addNote(f, `set aside as an internal scanner: a failed ${f.outcome} from ${clients.join(', ')}${proxied} (${range}), the kind of check vulnerability scanners send; a success is never set aside, and --internal-attacks counts it`, why); // prettier-ignore
        d.setOutcome(f, 'context', why);
      }
    }
    return d.adjustments;
  },
};

function behindProxy(via: string[], shared: ReadonlyMap<string, string>): string {
  const why = via.map((ip) => `${ip}: ${shared.get(ip) ?? 'a proxy'}`).join('; ');
  return `it came through a proxy or load balancer (${why}), so the real client is unknown`;
}

function tooLittle(sampled: number): string {
  return `only ${sampled} front-end requests could be sampled, too few to tell an internal scanner from a proxy that hides outside clients`;
}
