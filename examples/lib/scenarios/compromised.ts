// ProxyLogon to webshell, 2021-03-03, on an unpatched Exchange 2016 CU19, patched on 03-08; helsecert-like.

import { adminEcpSession } from '../benign/ecp.js';
import { minidump, storedZip } from '../binaries.js';
import { CHOPPER_ONE_LINER, oabConfigDump } from '../attacks/files.js';
import { CHOPPER_URL, proxyLogon, SHELL_KEY } from '../attacks/proxylogon.js';
import { localhostProbe, shellNameSweep } from '../attacks/scans.js';
import { chopperCommand, shellRequest } from '../attacks/webshell.js';
import { build } from '../site.js';
import { utc } from '../time.js';
import { IIS_FIELDS_XFF } from '../w3c.js';
import { EOMT_RULES, wwwrootWebConfig } from '../webfiles.js';
import { finish, makeWorld } from './common.js';
import type { Scenario, ScenarioOptions } from './common.js';

export const COMPROMISED = {
  vulnerable: build('15.01.2176.002'),
  patched: build('15.01.2176.009'),
  patchAt: utc('2021-03-08T22:20:00.000'),
  eomtAt: utc('2021-03-08T21:40:12.000'),
  exploitIp: '203.0.113.51',
  /** helsecert's webshell user and webshell-name scanner (public incident facts). */
  shellIp: '139.162.202.236',
  sweepIp: '67.205.176.9',
  antSwordIp: '203.0.113.77',
  serverPublicIp: '198.18.7.25',
  shellPath: 'FrontEnd/HttpProxy/owa/auth/RedirSuiteServerProxy.aspx',
} as const;

const CHROME65 =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/65.0.2345 Safari/537.36';
const CHROME88 =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/88.0.4324.182 Safari/537.36';

export function compromised(opts: ScenarioOptions): Scenario {
  const C = COMPROMISED;
  const w = makeWorld({
    name: 'compromised',
    from: utc('2021-03-01T00:00:00'),
    to: utc('2021-03-10T00:00:00'),
    history: {
      builds: [
        { from: 0, build: C.vulnerable },
        { from: C.patchAt, build: C.patched },
      ],
      restarts: [C.patchAt],
      // The security update stops IIS and the Exchange services while it installs.
      down: [[C.patchAt - 33 * 60_000, C.patchAt]],
      feFields: [{ from: C.patchAt, fields: IIS_FIELDS_XFF }],
      rollHours: 4,
    },
    installed: utc('2021-01-16T20:12:40'),
    opts,
  });
  const { attackEnv: env, tree, tl, site } = w;

  localhostProbe(env, tl, utc('2021-03-02T23:41:07.318'), '192.0.2.44', 200);

  const { written } = proxyLogon(env, tl, utc('2021-03-03T06:49:42.162'), {
    ip: C.exploitIp,
    stem: '/ecp/y.js',
    at: [0, 1537, 4048, 9381, 11672, 26400],
    vdirGuid: site.oabVdirGuid,
  });
  const shellStem = '/owa/auth/RedirSuiteServerProxy.aspx';
  const dump = oabConfigDump(site, C.vulnerable, CHOPPER_URL, '3/3/2021 6:49:53 AM');
  tree.add(`${site.installRel}/${C.shellPath}`, dump, written);
  tl.add(written, C.exploitIp, 'file:webshell-oab-dump', `${site.installRel}/${C.shellPath}`);

  const hit = (t: string, ip: string, ua: string, method: 'GET' | 'POST', note: string, extra = {}) =>
    shellRequest(env, tl, { t: utc(t), ip, ua, method, stem: shellStem, note, ...extra });
  hit('2021-03-03T06:50:21.307', C.exploitIp, 'python-requests/2.25.1', 'GET', 'check');

  // CVE-2021-26858: an OAB download aimed outside ClientAccess\OAB; it failed, so no file landed there.
  const oabT = utc('2021-03-04T02:15:41.377');
  const badPath = 'C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\log.aspx';
  env.book.oab.push({ t: oabT, pid: 7312, tid: 41, level: 'Warning', oab: site.oabGuid, msg: `Download failed and temporary file '${badPath}' needs to be removed.` }); // prettier-ignore
  tl.add(oabT, '', 'oab:download-outside-oab', badPath);

  hit('2021-03-05T03:06:27.696', C.shellIp, CHROME65, 'GET', 'check', { taken: 133 });
  hit('2021-03-05T03:07:02.114', C.shellIp, CHROME65, 'POST', 'command', { taken: 412 });
  hit('2021-03-05T03:07:45.583', C.shellIp, CHROME65, 'POST', 'command', { taken: 388 });
  hit('2021-03-05T03:08:13.020', C.shellIp, CHROME65, 'GET', 'command:whoami', {
    query: chopperCommand(SHELL_KEY, 'whoami'),
  });
  hit('2021-03-05T03:10:31.870', C.shellIp, CHROME65, 'POST', 'write:discover.aspx', { taken: 251 });
  tree.add('inetpub/wwwroot/aspnet_client/discover.aspx', CHOPPER_ONE_LINER, utc('2021-03-05T03:10:31.802'));
  tl.add(
    utc('2021-03-05T03:10:31.802'),
    C.shellIp,
    'file:chopper',
    'inetpub/wwwroot/aspnet_client/discover.aspx',
  );
  hit('2021-03-05T03:12:14.641', C.shellIp, CHROME65, 'POST', 'lsass-dump', { taken: 5200 });
  const dumpT = utc('2021-03-05T03:12:14.020');
  const lsass = minidump(env.rng, 6144, dumpT);
  tree.add('Windows/Temp/lsass.dmp', lsass, dumpT);
  tl.add(dumpT, C.shellIp, 'file:lsass-dump', 'Windows/Temp/lsass.dmp');
  hit('2021-03-05T03:15:51.832', C.shellIp, CHROME65, 'POST', 'archive', { taken: 11_800 });
  const zipT = utc('2021-03-05T03:15:51.790');
  tree.add(
    'ProgramData/it.zip',
    storedZip([{ name: 'lsass.dmp', data: lsass.subarray(0, 1024), mtime: dumpT }]),
    zipT,
  );
  tl.add(zipT, C.shellIp, 'file:staged-archive', 'ProgramData/it.zip');
  hit('2021-03-05T08:11:58.846', C.shellIp, CHROME65, 'GET', 'check', { taken: 33 });

  for (const t of ['2021-03-05T03:22:18.455', '2021-03-05T03:22:40.981', '2021-03-07T14:03:09.117']) {
    shellRequest(env, tl, { t: utc(t), ip: C.antSwordIp, ua: 'antSword/v2.1', method: 'POST', stem: '/aspnet_client/discover.aspx', note: 'chopper' }); // prettier-ignore
  }

  localhostProbe(env, tl, utc('2021-03-06T09:12:51.004'), '192.0.2.101', 200);
  const hosts = [C.serverPublicIp, site.extHost, site.autodHost];
  shellNameSweep(env, tl, utc('2021-03-06T17:27:44.124'), C.sweepIp, CHROME88, hosts, (p) =>
    p === shellStem ? 200 : 302,
  );

  tree.add('inetpub/wwwroot/web.config', wwwrootWebConfig(EOMT_RULES), C.eomtAt);
  tl.add(C.eomtAt, '', 'mitigation:eomt-rules', 'inetpub/wwwroot/web.config');
  tl.add(C.patchAt, '', 'patch:build', C.patched.long);

  hit('2021-03-09T02:55:13.675', C.shellIp, CHROME65, 'GET', 'check-after-patch', { taken: 96 });

  // After the incident an admin puts the OAB URL back: a legitimate Set-OabVirtualDirectory in the same log.
  const admin = w.env.users[0];
  if (admin) {
    const cmd = `Set-OabVirtualDirectory.ExternalUrl='https://${site.extHost}/OAB'.Identity='${site.server}\\OAB (Default Web Site)'`;
    const t = adminEcpSession(env, admin, utc('2021-03-09T10:30:02.000'), {
      schema: 'OABVirtualDirectory',
      cmd,
    });
    tl.add(t - 5, admin.desk, 'benign:admin-set-oab-url', cmd);
  }
  return finish(w, 'compromised');
}
