// Internal vulnerability scanners: failed scanner checks that come only from internal addresses are set aside.

import type { Finding } from '../core/finding.js';
import type { AddressCensus } from './census.js';

/**
 * `setAside.by` (and its text copy `details.setAside`) of a finding set aside here: the stable marker the
 * verdict explanation counts.
 */
export const INTERNAL_SCANNER = 'internal-scanner';
/** The tag of rules whose matches are what vulnerability scanners send (see rules/builtin/util.ts). */

export interface InternalScannerOptions {
  /** `--internal-attacks`: count internal sources like external ones (nothing is set aside). */
  internalAttacks?: boolean;
  /** Who sends the front-end traffic (sampled), to recognise proxies and load balancers. */
  census?: AddressCensus;
}

export interface InternalScannerSummary {
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

/** What the verdict explanation says about set-aside findings (counted from the findings' marker). */
export function internalScannerSummary(findings: readonly Finding[]): InternalScannerSummary {
  const marked = findings.filter((f) => f.setAside?.by === INTERNAL_SCANNER);
  return {
    requests: new Set(marked.map((f) => f.setAside?.request ?? f.id)).size,
    findings: marked.length,
    addresses: [...new Set(marked.flatMap((f) => f.setAside?.sources ?? []))]
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
