// OWASSRF (CVE-2022-41080 + CVE-2022-41082): PowerShell reached through OWA with a stolen password.

import { rpsRow } from '../benign/powershell.js';
import type { Env } from '../env.js';
import type { Timeline } from './timeline.js';

/** The public proof of concept's browser string (Sigma's OWASSRF PoC rule keys on it). */
export const OWASSRF_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/105.0.5195.54 Safari/537.36';

export function owassrf(env: Env, tl: Timeline, t: number, ip: string, victim: string, sid: string): void {
  const { rng, site } = env;
  const user = `${site.netbios}\\${victim}`;
  const stem = '/owa/mastermailbox%40outlook.com/powershell';
  env.book.add({
    t, taken: rng.int(200, 2500), rid: rng.guid(), method: 'POST', host: site.extHost, port: 443, stem, query: '',
    status: 200, cip: ip, ua: OWASSRF_UA, feUser: user, proto: 'Owa',
    px: { AuthenticationType: 'Forms', IsAuthenticated: 'true', AuthenticatedUser: user, AnchorMailbox: `Sid~${sid}`, RoutingHint: 'WindowsIdentity' },
    be: { stem: '/powershell', query: '', user },
  }); // prettier-ignore
  // The back end sees the attacker's browser string where a PowerShell client would be.
  rpsRow(env, t - 3, {
    user,
    cip: `${ip} ${site.ip}`,
    clientInfo: OWASSRF_UA,
    action: 'Command',
    command: 'Get-Mailbox',
    query: '',
  });
  tl.add(t, ip, 'owassrf:owa-powershell-200', stem);
}
