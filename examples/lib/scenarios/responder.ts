// The compromised server as a responder brings it: Test-ProxyLogon's output folder and logs exported with
// Export-Csv, no system drive. Every file is computed from the compromised scenario's own logs.

import { exportExchangeLog, exportW3cLog, testProxyLogon } from '../test-proxylogon.js';
import { utc } from '../time.js';
import { Tree } from '../tree.js';
import { makeSite } from '../site.js';
import { Rng } from '../rng.js';
import { compromised } from './compromised.js';
import type { Scenario, ScenarioOptions } from './common.js';
import { SITE_SEED } from './common.js';

export const RESPONDER = {
  /** Test-ProxyLogon run on the server on 03-08, before EOMT and the security update that evening. */
  runAt: utc('2021-03-08T20:15:31.000'),
  out: 'Test-ProxyLogonLogs',
  /** The ECP Server day with the script in ExternalUrl, and the IIS day with the webshell's commands. */
  ecpDay: '20210303',
  iisDay: '210305',
  exports: 'Exports',
} as const;

export function responder(opts: ScenarioOptions): Scenario {
  const R = RESPONDER;
  const server = compromised(opts);
  const site = makeSite(new Rng(SITE_SEED));
  const tree = new Tree();
  testProxyLogon(server.tree, site, { at: R.runAt, out: R.out, collect: true }, tree);
  const logging = `${site.installRel}/Logging`;
  const ecp = server.tree.paths().filter((p) => p.startsWith(`${logging}/ECP/Server/ECPServer${R.ecpDay}-`));
  for (const p of ecp) {
    const name = p.slice(p.lastIndexOf('/') + 1).replace(/\.LOG$/i, '.csv');
    tree.add(`${R.exports}/${name}`, exportExchangeLog(server.tree.text(p) ?? ''), R.runAt + 240_000);
  }
  const iis = `inetpub/logs/LogFiles/W3SVC1/u_ex${R.iisDay}.log`;
  const text = server.tree.text(iis);
  if (text === undefined) throw new Error(`no ${iis} in the compromised tree`);
  tree.add(`${R.exports}/W3SVC1/u_ex${R.iisDay}.csv`, exportW3cLog(text), R.runAt + 300_000);
  const until = new Date(R.runAt).toISOString();
  return { name: 'responder', tree, timeline: server.timeline.filter((s) => s.time < until) };
}
