// The incident sections and report files on the compromised example (a full ProxyLogon intrusion), end to end.

import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { SCENARIOS } from '../../examples/lib/scenarios/index.js';
import { buildIncident } from '../analysis/incident.js';
import type { ScanReport } from '../core/report.js';
import { scan } from '../engine/scan.js';
import { writeReportFiles } from './report-files.js';

const SHELL =
  'Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/RedirSuiteServerProxy.aspx';

async function compromised(): Promise<ScanReport> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-incident-'));
  const s = SCENARIOS.compromised!({ seed: 1, scale: 1 });
  await s.tree.write(path.join(root, 'compromised'));
  const { report } = await scan(path.join(root, 'compromised'), { threads: 2 });
  // Until the engine writes the sections itself, build them here the way it will.
  if (!report.sessions) Object.assign(report, buildIncident(report));
  return report;
}

test('the compromised example: sessions, exposure, plan, schema and the three report files', async () => {
  const report = await compromised();
  const s = report.sessions!;
  const sessionOf = (ruleId: string) =>
    s.list.find((x) => x.findings.some((id) => report.findings.find((f) => f.id === id)?.rule.id === ruleId));
  // The ProxyLogon chain from 203.0.113.51 is one session, with the ECP Server log lines joined by canary.
  const chain = sessionOf('exhunt.proxylogon.ecp-session');
  assert.deepEqual(chain?.addresses, ['203.0.113.51']);
  assert.equal(chain, sessionOf('exhunt.proxylogon.ecp-vdir-script'));
  assert.equal(chain, sessionOf('exhunt.proxylogon.reset-vdir'));
  assert.deepEqual(
    chain?.stages.map((x) => x.stage),
    ['recon', 'exploit', 'webshell-write', 'webshell-use'],
  );
  assert.equal(chain?.ecpCanaries.length, 1);
  // The dump and the archive were made through the webshell by 139.162.202.236, in the same minutes.
  const dumpSession = sessionOf('exhunt.staged.lsass-dump');
  assert.deepEqual(dumpSession?.addresses, ['139.162.202.236']);
  assert.equal(sessionOf('exhunt.staged.archive'), dumpSession);
  assert.ok(
    s.links.some((l) => l.by === 'address' && l.value === '139.162.202.236' && l.sessions.length >= 2),
  );
  assert.ok(s.links.some((l) => l.by === 'webshell' && l.value === 'redirsuiteserverproxy.aspx'));
  assert.deepEqual(
    s.internalAddresses.map((a) => a.address),
    ['10.10.1.15'],
  );
  assert.ok(s.list.every((x) => !x.addresses.includes('10.10.1.15')));
  assert.deepEqual(
    s.unattributed.map((id) => report.findings.find((f) => f.id === id)?.rule.id),
    ['exhunt.proxylogon.oab-download-path'],
  );

  const items = report.dataExposure!.items;
  assert.ok(
    items.some(
      (i) => i.kind === 'credentials' && i.target === 'Windows/Temp/lsass.dmp' && i.confidence === 'seen',
    ),
  );
  assert.ok(items.some((i) => i.kind === 'archive' && i.target === 'ProgramData/it.zip'));
  assert.ok(items.some((i) => i.kind === 'command' && i.target === 'whoami'));

  const quarantine = report.remediation!.steps.find((x) => x.id === 'quarantine-files')!;
  for (const w of report.webshells)
    assert.ok(
      quarantine.targets.some((t) => t.evidencePath === w.path && t.sha256 === w.sha256),
      w.path,
    );
  assert.equal(report.remediation!.steps[0]?.id, 'preserve-evidence');

  const schema = JSON.parse(
    await readFile(new URL('../../../schema/report.schema.json', import.meta.url), 'utf8'),
  ) as object;
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  assert.equal(validate(JSON.parse(JSON.stringify(report))), true, JSON.stringify(validate.errors));

  const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-files-'));
  const files = {
    html: path.join(dir, 'r.html'),
    markdown: path.join(dir, 'r.md'),
    powershell: path.join(dir, 'fix.ps1'),
  };
  await writeReportFiles(report, files);
  const html = await readFile(files.html, 'utf8');
  assert.match(html, /<h1><span class="verdict">COMPROMISED<\/span>/);
  assert.match(await readFile(files.markdown, 'utf8'), /^# exhunt report: COMPROMISED/);
  const ps = await readFile(files.powershell, 'utf8');
  const sha = report.webshells.find((w) => w.path === SHELL)?.sha256 ?? '';
  assert.ok(ps.includes(`Move-ToQuarantine ($SystemDrive + '\\${SHELL.replace(/\//g, '\\')}') '${sha}'`));
  // The host the script may run on: the evidence's, else the one named on the command line.
  const expected = (text: string) => /\[string\]\$ExpectedHost = (.*),/.exec(text)?.[1];
  assert.equal(expected(ps), report.scan.host ? `'${report.scan.host.name}'` : "''");
  const named = path.join(dir, 'named.ps1');
  const { host: _host, ...noHost } = report.scan;
  await writeReportFiles({ ...report, scan: noHost }, { powershell: named, host: 'EX01' });
  assert.equal(expected(await readFile(named, 'utf8')), "'EX01'");
});
