// A fully patched server in an ordinary week, with the benign look-alikes detections must leave alone: among
// them its own vulnerability scanner and the archives of its security and backup products.

import { adminEcpSession } from '../benign/ecp.js';
import { autodiscoverV2 } from '../benign/mobile.js';
import { adminShell } from '../benign/powershell.js';
import { oabRun } from '../benign/oab.js';
import { vulnerabilityScan } from '../attacks/scans.js';
import { build } from '../site.js';
import { utc } from '../time.js';
import { addVendorFiles } from '../vendor-files.js';
import { EOMT2_RULES, wwwrootWebConfig } from '../webfiles.js';
import { finish, makeWorld } from './common.js';
import type { Scenario, ScenarioOptions } from './common.js';

/** December 2022 on Exchange 2016 CU23 with the November 2022 SU (fixed for all four campaigns). */
export const CLEAN = {
  build: build('15.01.2507.016'),
  eomtV2At: utc('2022-10-04T12:02:31'),
  /** The week the copy covers. */
  from: utc('2022-12-05T00:00:00'),
  to: utc('2022-12-12T00:00:00'),
  /** The organisation's vulnerability scanner, on the IT subnet (RFC 1918), and when its weekly run starts. */
  scannerIp: '10.10.5.40',
  scanAt: utc('2022-12-07T01:30:12.406'),
} as const;

const SCANNER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:102.0) Gecko/20100101 Firefox/102.0';

export function clean(opts: ScenarioOptions): Scenario {
  const w = makeWorld({
    name: 'clean',
    from: CLEAN.from,
    to: CLEAN.to,
    history: { builds: [{ from: 0, build: CLEAN.build }], restarts: [], feFields: [], rollHours: 4 },
    installed: utc('2022-11-10T21:14:52'),
    opts,
  });
  const { attackEnv: env, tree, tl, site } = w;
  // EOMTv2's ProxyNotShell rule, left in place after the SU: mentions autodiscover and powershell, harmless.
  tree.add('inetpub/wwwroot/web.config', wwwrootWebConfig(EOMT2_RULES), CLEAN.eomtV2At);
  tl.add(CLEAN.eomtV2At, '', 'lookalike:eomtv2-rule', 'inetpub/wwwroot/web.config');

  const [admin, , user] = w.env.users;
  if (admin && user) {
    const cmd = `Set-OabVirtualDirectory.ExternalUrl='https://${site.extHost}/OAB'.Identity='${site.server}\\OAB (Default Web Site)'`;
    const t = adminEcpSession(env, admin, utc('2022-12-07T10:14:33.000'), {
      schema: 'OABVirtualDirectory',
      cmd,
    });
    tl.add(t - 5, admin.desk, 'lookalike:admin-set-oab-url', cmd);
    // Remote PowerShell from the admin's desk: /powershell on port 80, ClientInfo `Microsoft WinRM Client`.
    adminShell(env, admin, utc('2022-12-06T09:20:00.000'));
    tl.add(utc('2022-12-06T09:20:00.000'), admin.desk, 'lookalike:admin-remote-powershell', '/powershell');
    // Autodiscover V2 carries the address in the query (`%40`) or the path (`@`), never with /powershell.
    const v2 = [
      ['2022-12-06T08:12:09.311', 0, 'ActiveSync'],
      ['2022-12-08T16:40:55.020', 2, 'Ews'],
    ] as const;
    for (const [t, form, proto] of v2) {
      autodiscoverV2(env, user, utc(t), form, proto);
      const where =
        form === 2
          ? `/autodiscover/autodiscover.json/v1.0/${user.upn}?Protocol=${proto}&RedirectCount=1`
          : `/autodiscover/autodiscover.json?Email=${encodeURIComponent(user.upn)}&Protocol=${proto}&RedirectCount=1`;
      tl.add(utc(t), user.phone ? user.away : user.desk, 'lookalike:autodiscover-v2', where);
    }
  }
  oabRun(env, utc('2022-12-06T02:07:12.000'), true);
  tl.add(utc('2022-12-06T02:07:12.000'), '', 'lookalike:oab-download-failed-in-temp', `${site.install}ClientAccess\\OAB\\Temp\\...`); // prettier-ignore
  tl.add(utc('2022-12-05T00:00:00'), '127.0.0.1', 'lookalike:health-probes', 'AMProbe/Local/ClientAccess, MSEXCHMON, Exchange BackEnd Probes'); // prettier-ignore
  // Every check refused on the patched build: context ("internal scanner"), not an attempt.
  const end = vulnerabilityScan(env, tl, CLEAN.scanAt, CLEAN.scannerIp, SCANNER_UA);
  tl.add(end, CLEAN.scannerIp, 'lookalike:internal-scanner', 'ProxyLogon, ProxyShell and webshell-name checks, all refused'); // prettier-ignore
  for (const f of addVendorFiles(tree, env.rng.fork('vendors'), site.server, CLEAN.from))
    tl.add(tree.files.get(f.path)?.mtime ?? 0, '', `lookalike:vendor-${f.kind}`, f.path);
  return finish(w, 'clean');
}
