// Which addresses name an attacker and which are hops inside the network (the server itself, proxies).

import type { Artifact } from '../core/artifact.js';
import type { Finding } from '../core/finding.js';
import { isPrivateAddress } from '../core/ip.js';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The server's own address a finding's request names (IIS `s-ip`), when it is an address. */
export function serverAddressOf(f: Pick<Finding, 'request'>): string | undefined {
  const ip = f.request?.serverIp;
  return ip && (IPV4.test(ip) || /^[0-9a-f:]+:[0-9a-f:.]*$/i.test(ip)) ? ip : undefined;
}

export interface AddressRoles {
  /** Addresses that are never an attacker's: the server's own, and the front end as the back end's client. */
  internal: Map<string, string>;
  /** Evidence paths of the Exchange Back End site's logs (W3SVC2, port 444). */
  backEnd: ReadonlySet<string>;
  /** Evidence paths of the logs that see the client's request: front-end IIS sites and HttpProxy. */
  frontEnd: ReadonlySet<string>;
}

/**
 * A line of the Exchange Back End site: its client is a front end, never the requester. `port` is the
 * finding's `request.port` (IIS `s-port`), which tells logs collected without their site folder.
 */
export function isBackEndEvidence(path: string, port: number | undefined, roles: AddressRoles): boolean {
  if (roles.backEnd.has(path) || /(^|\/)W3SVC2\//i.test(path)) return true;
  return port === 444;
}

/** A line of a log that saw the client's own request (front-end IIS or HttpProxy), not a back-end hop. */
export function isFrontEndEvidence(path: string, port: number | undefined, roles: AddressRoles): boolean {
  if (isBackEndEvidence(path, port, roles)) return false;
  return roles.frontEnd.has(path) || /(^|\/)(W3SVC\d+|HttpProxy)\//i.test(path);
}

/**
 * Internal addresses, with the reason: the client of every request in a back-end log (the Exchange Back End
 * site only ever hears from a front end), the server's own address (`s-ip` of the IIS lines) and loopback.
 */
export function addressRoles(findings: readonly Finding[], artifacts: readonly Artifact[]): AddressRoles {
  const backEnd = new Set(artifacts.filter((a) => /W3SVC2$/i.test(a.family)).map((a) => a.path));
  const frontEnd = new Set(
    artifacts
      .filter((a) => (a.source === 'iis-w3c' && !backEnd.has(a.path)) || a.source === 'httpproxy')
      .map((a) => a.path),
  );
  const internal = new Map<string, string>();
  const add = (ip: string, why: string) => {
    if (!internal.has(ip)) internal.set(ip, why);
  };
  for (const f of findings) {
    for (const ev of f.evidence) {
      if (backEnd.has(ev.path) || /\/W3SVC2\//i.test(ev.path))
        for (const ip of f.sourceIps)
          add(ip, 'client of the Exchange Back End site (the front end proxying a request)');
    }
    const own = serverAddressOf(f);
    if (own) add(own, "the server's own address (s-ip in the IIS logs)");
    for (const ip of f.sourceIps) if (ip === '127.0.0.1' || ip === '::1') add(ip, 'loopback');
  }
  return { internal, backEnd, frontEnd };
}

/** The finding's addresses that can name a client: public ones first, then private ones that are not hops. */
export function clientAddresses(f: Finding, roles: AddressRoles): { public: string[]; private: string[] } {
  const pub: string[] = [];
  const priv: string[] = [];
  for (const ip of f.sourceIps) {
    if (roles.internal.has(ip)) continue;
    (isPrivateAddress(ip) ? priv : pub).push(ip);
  }
  return { public: pub, private: priv };
}
