// A patched server that was only scanned: localhost SSRF checks, webshell-name sweeps and ProxyShell 401s.

import { proxyShellAttempts } from '../attacks/proxyshell.js';
import { localhostProbe, shellNameSweep, vulnerabilityScan } from '../attacks/scans.js';
import { build } from '../site.js';
import { utc } from '../time.js';
import { wwwrootWebConfig } from '../webfiles.js';
import { finish, makeWorld } from './common.js';
import type { Scenario, ScenarioOptions } from './common.js';

/**
 * August 2021, when ProxyShell scanning began, on Exchange 2016 CU19 with the May 2021 SU: fixed for
 * ProxyLogon and ProxyShell alike, so every attempt fails.
 */
export const PROBED = {
  build: build('15.01.2176.014'),
  serverPublicIp: '198.18.7.25',
  /** A public address running the same checks as the clean server's internal scanner: it stays a probe. */
  scannerIp: '192.0.2.210',
} as const;

const CHROME88 =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/88.0.4324.182 Safari/537.36';

export function probed(opts: ScenarioOptions): Scenario {
  const w = makeWorld({
    name: 'probed',
    from: utc('2021-08-09T00:00:00'),
    to: utc('2021-08-16T00:00:00'),
    history: { builds: [{ from: 0, build: PROBED.build }], restarts: [], feFields: [], rollHours: 4 },
    installed: utc('2021-05-12T19:40:05'),
    opts,
  });
  const { attackEnv: env, tree, tl, site } = w;
  tree.add('inetpub/wwwroot/web.config', wwwrootWebConfig([]), utc('2021-01-16T20:14:00'));

  localhostProbe(env, tl, utc('2021-08-09T14:02:10.512'), '192.0.2.101', 500);
  localhostProbe(env, tl, utc('2021-08-11T03:33:52.090'), '192.0.2.130', 500);
  shellNameSweep(env, tl, utc('2021-08-10T03:14:22.871'), '192.0.2.66', CHROME88, [PROBED.serverPublicIp, site.extHost], () => 404); // prettier-ignore
  proxyShellAttempts(
    env,
    tl,
    utc('2021-08-12T21:33:05.240'),
    '192.0.2.23',
    'python-requests/2.26.0',
    'evil.example',
  );
  proxyShellAttempts(
    env,
    tl,
    utc('2021-08-13T08:47:30.006'),
    '192.0.2.87',
    'Mozilla/5.0 zgrab/0.x',
    'xyz.example',
  );
  vulnerabilityScan(env, tl, utc('2021-08-14T02:11:40.118'), PROBED.scannerIp, CHROME88);
  return finish(w, 'probed');
}
