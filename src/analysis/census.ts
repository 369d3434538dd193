// Who sends the front-end traffic: a sampled count per client address, and the addresses that speak for many.

import type { AddressRoles } from './addresses.js';

interface AddressStats {
  /** Front-end requests sampled from this address (IIS front-end sites and HttpProxy). */
  requests: number;
  /** Of those, IIS lines whose X-Forwarded-For names another client. */
  forwarded: number;
  /** Accounts that signed in from it (health mailboxes and machine accounts left out), capped. */
  users: Set<string>;
  /** User agents seen from it, capped. */
  agents: Set<string>;
}

export interface AddressCensus {
  requests: number;
  byAddress: Map<string, AddressStats>;
  /** The server's own addresses (IIS s-ip): its traffic to itself is no client's. */
  serverAddresses: Set<string>;
  files: number;
  bytes: number;
  /** Files whose #Fields name X-Forwarded-For. */
  forwardedFieldFiles: number;
}

/** Distinct values kept per address: enough to decide, bounded whatever the logs hold. */
const CENSUS_SET_CAP = 64;

export function emptyCensus(): AddressCensus {
  return { requests: 0, byAddress: new Map(), serverAddresses: new Set(), files: 0, bytes: 0, forwardedFieldFiles: 0 }; // prettier-ignore
}

/** `CORP\jane`, `jane@corp.example` and `JANE` are one account; health mailboxes and `HOST$` are none. */
function accountOf(user: string): string | undefined {
  const u = user.trim().toLowerCase();
  if (u === '' || u === '-' || u.endsWith('$') || u.includes('healthmailbox')) return undefined;
  return u.replace(/^.*\\/, '').replace(/@.*$/, '');
}

/** One sampled request, counted. */
export function countRequest(
  c: AddressCensus,
  r: { client: string; server?: string; user?: string; agent?: string; forwardedFor?: string },
): void {
  if (r.server) c.serverAddresses.add(r.server);
  c.requests++;
  let s = c.byAddress.get(r.client);
  if (!s) c.byAddress.set(r.client, (s = { requests: 0, forwarded: 0, users: new Set(), agents: new Set() }));
  s.requests++;
  const fwd = r.forwardedFor?.trim();
  if (fwd && fwd !== '-' && fwd !== r.client) s.forwarded++;
  const account = r.user ? accountOf(r.user) : undefined;
  if (account && s.users.size < CENSUS_SET_CAP) s.users.add(account);
  if (r.agent && r.agent !== '-' && s.agents.size < CENSUS_SET_CAP) s.agents.add(r.agent.toLowerCase());
}

/** Thresholds past which one address is taken to speak for many clients. */
export const SHARED = {
  /** Share of the sampled requests of all clients (the server's own traffic left out)... */
  share: 0.5,
  /** ...once at least this many were sampled. */
  minRequests: 100,
  /** Different accounts signing in from one address: a person uses one, a scanner at most one. */
  users: 3,
  /** Different user agents: a desktop shows a handful, a scanner a few. */
  agents: 12,
} as const;

/**
 * Addresses that carry other clients' requests (a reverse proxy, load balancer, NAT, terminal server),
 * with why: X-Forwarded-For on their lines, most of the traffic, several accounts, or many user agents.
 */
export function sharedAddresses(census: AddressCensus | undefined, roles: AddressRoles): Map<string, string> {
  const out = new Map<string, string>();
  if (!census) return out;
  const own = (ip: string) =>
    census.serverAddresses.has(ip) || roles.internal.has(ip) || ip === '127.0.0.1' || ip === '::1';
  let total = 0;
  for (const [ip, s] of census.byAddress) if (!own(ip)) total += s.requests;
  for (const [ip, s] of census.byAddress) {
    if (own(ip)) continue;
    const why: string[] = [];
    if (s.forwarded > 0)
      why.push(`${s.forwarded} of its ${s.requests} sampled requests carry X-Forwarded-For`);
    if (total >= SHARED.minRequests && s.requests / total >= SHARED.share)
      why.push(`it sent ${Math.round((100 * s.requests) / total)}% of the ${total} client requests sampled`);
    if (s.users.size >= SHARED.users) why.push(`${s.users.size} different accounts signed in from it`);
    if (s.agents.size >= SHARED.agents) why.push(`${s.agents.size} different user agents came from it`);
    if (why.length > 0) out.set(ip, why.join('; '));
  }
  return out;
}
