// Scanning that leaves traces but changes nothing: localhost SSRF checks and webshell-name sweeps.

import type { Env } from '../env.js';
import { proxyShellAttempts } from './proxyshell.js';
import type { Timeline } from './timeline.js';

export const NMAP_UA = 'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)';

/**
 * Microsoft's 2021 nmap check sends `X-BEResource=localhost/owa/auth/logon.aspx?~3` to `/owa/auth/x.js`; the
 * HttpProxy Owa log records that cookie as a `ServerInfo~localhost/...` AnchorMailbox.
 */
export function localhostProbe(env: Env, tl: Timeline, t: number, ip: string, status: number): void {
  const anchor = 'ServerInfo~localhost/owa/auth/logon.aspx?';
  env.book.add({
    t, taken: env.rng.int(8, 40), rid: env.rng.guid(), method: 'GET', host: env.site.extHost, port: 443,
    stem: '/owa/auth/x.js', query: '', status, cip: ip, ua: NMAP_UA, proto: 'Owa',
    px: { AnchorMailbox: anchor, RoutingHint: 'X-BEResource-Cookie', TargetServer: 'localhost', ErrorCode: status >= 500 ? 'ServerNotFound' : '' },
  }); // prettier-ignore
  tl.add(t, ip, 'scan:serverinfo-localhost', anchor);
}

/** Names from the March 2021 sweeps (helsecert's OWA log shows this exact list). */
export const SHELL_NAMES = [
  '/owa/auth/Current/themes/errorFS.aspx',
  '/owa/auth/RedirSuiteServerProxy.aspx',
  '/owa/auth/ErrorAA.aspx',
  '/owa/auth/OutlookEN.aspx',
  '/owa/auth/zntwv.aspx',
  '/owa/auth/Current/scripts/premium/fexppw.aspx',
  '/owa/auth/getpp.aspx',
  '/owa/auth/Err0r.aspx',
  '/owa/auth/Currentthemes/resources/win.ashx',
];

/**
 * A sweep for known webshell names, each asked for under three Host names as the scanner in helsecert's
 * report did. `status(path)` gives the answer: 200 where a shell exists.
 */
export function shellNameSweep(
  env: Env,
  tl: Timeline,
  t0: number,
  ip: string,
  ua: string,
  hosts: readonly string[],
  status: (path: string) => number,
): number {
  let t = t0;
  for (const stem of SHELL_NAMES) {
    for (const host of hosts) {
      t += env.rng.int(20, 700);
      const s = status(stem);
      env.book.add({
        t, taken: env.rng.int(15, 140), rid: env.rng.guid(), method: 'GET', host, port: 443, stem, query: '',
        status: s, win32: s === 404 ? 2 : 0, cip: ip, ua, proto: 'Owa', owaEncoding: s === 200,
      }); // prettier-ignore
    }
    tl.add(t, ip, `scan:shell-name:${status(stem)}`, stem);
  }
  return t;
}

/**
 * A vulnerability scanner's Exchange checks against a patched server, every one refused: the ProxyLogon
 * autodiscover SSRF check (the AnchorMailbox target Test-ProxyLogon leaves out as a scanner's), Microsoft's
 * `ServerInfo~localhost` check, the ProxyShell autodiscover path confusion and a sweep for webshell names.
 * Run from a private address it is an internal scanner; from a public one, someone probing the server.
 * Returns when the last request was sent.
 */
export function vulnerabilityScan(env: Env, tl: Timeline, t0: number, ip: string, ua: string): number {
  const { rng, site } = env;
  let t = t0;
  // Public checkers send the SSRF cookie to a static file and stop at autodiscover; patched, it fails.
  const anchor = `ServerInfo~a]@${site.fqdn}:444/autodiscover/autodiscover.xml?#`;
  env.book.add({
    t, taken: rng.int(5, 30), rid: rng.guid(), method: 'POST', host: site.extHost, port: 443,
    stem: '/ecp/x.js', query: '', status: 500, cip: ip, ua, proto: 'Ecp',
    px: { AnchorMailbox: anchor, RoutingHint: 'X-BEResource-Cookie', AuthenticationType: '', IsAuthenticated: 'false', ErrorCode: 'ServerNotFound' },
  }); // prettier-ignore
  tl.add(t, ip, 'scan:serverinfo-autodiscover', anchor);
  t += rng.int(400, 2500);
  localhostProbe(env, tl, t, ip, 500);
  t = proxyShellAttempts(env, tl, t + rng.int(400, 2500), ip, ua, site.mailDomain);
  return shellNameSweep(env, tl, t + rng.int(400, 2500), ip, ua, [site.extHost], () => 404);
}
