// Golden end-to-end runs of `exhunt scan` on the generated example trees: verdicts and the attack's key evidence.

import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import test from 'node:test';
import { SCENARIOS } from '../../examples/lib/scenarios/index.js';
import type { Finding } from '../core/finding.js';
import type { ScanReport } from '../core/report.js';
import { main } from './main.js';

const INSTALL = 'Program Files/Microsoft/Exchange Server/V15';

async function scanJson(target: string): Promise<{ code: number; report: ScanReport }> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (c: Buffer) => parts.push(c));
  const code = await main(['scan', target, '--json', '-', '--threads', '2'], {
    out,
    err: new PassThrough(),
    outIsTty: false,
    errIsTty: false,
  });
  return { code, report: JSON.parse(Buffer.concat(parts).toString()) as ScanReport };
}

async function generate(name: string, zip = false): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), `exhunt-golden-${name}-`));
  const s = SCENARIOS[name]!({ seed: 1, scale: 1 });
  await s.tree.write(path.join(root, name));
  if (!zip) return path.join(root, name);
  const file = path.join(root, `${name}.zip`);
  await s.tree.zip(file, name);
  return file;
}

const raising = (f: Finding) =>
  ['probe', 'attempt', 'success', 'compromise', 'suspicious'].includes(f.outcome);
const byRule = (r: ScanReport, id: string) => r.findings.filter((f) => f.rule.id === id);

test('clean example: verdict clean, nothing that raises it, the Defender archive only as context', async () => {
  const { code, report } = await scanJson(await generate('clean'));
  assert.equal(code, 0);
  assert.equal(report.verdict, 'clean');
  assert.deepEqual(report.findings.filter(raising), []);
  assert.deepEqual(
    report.findings.map((f) => [f.rule.id, f.outcome]),
    [['exhunt.staged.archive', 'context']],
  );
  assert.equal(report.problems.length, 0);
});

test('probed example: attempted, with the probes and refused ProxyShell requests and no success', async () => {
  const { code, report } = await scanJson(await generate('probed'));
  assert.equal(code, 1);
  assert.equal(report.verdict, 'attempted');
  assert.ok(byRule(report, 'exhunt.proxylogon.scanner-probe').length >= 2);
  assert.ok(byRule(report, 'exhunt.webshell.name-probe').length > 0);
  assert.ok(byRule(report, '78bfee77-4591-4481-a2ce-a8f324772475').length > 0, 'ProxyShell attempts');
  assert.deepEqual(
    report.findings.filter((f) => f.outcome === 'success' || f.outcome === 'compromise'),
    [],
  );
});

test('compromised example: the ProxyLogon chain step by step, the webshells and the staged files', async () => {
  const { code, report } = await scanJson(await generate('compromised'));
  assert.equal(code, 4);
  assert.equal(report.verdict, 'compromised');
  const at = (id: string) => byRule(report, id).map((f) => f.time);
  assert.deepEqual(at('exhunt.proxylogon.ssrf-recon'), ['2021-03-03T06:49:42.162Z']);
  assert.deepEqual(at('exhunt.proxylogon.sid-theft'), ['2021-03-03T06:49:43.699Z']);
  assert.deepEqual(at('exhunt.proxylogon.ecp-session'), ['2021-03-03T06:49:46.210Z']);
  assert.deepEqual(at('exhunt.proxylogon.reset-vdir'), ['2021-03-03T06:50:08.562Z']);
  assert.deepEqual(at('exhunt.proxylogon.ecp-vdir-script'), ['2021-03-03T06:49:53.772Z']);
  assert.deepEqual(at('exhunt.proxylogon.oab-download-path'), ['2021-03-04T02:15:41.377Z']);
  const session = byRule(report, 'exhunt.proxylogon.ecp-session')[0];
  assert.deepEqual(session?.sourceIps, ['203.0.113.51']);
  assert.match(
    session?.evidence[0]?.path ?? '',
    /^Program Files\/Microsoft\/Exchange Server\/V15\/Logging\/HttpProxy\/Ecp\//,
  );
  assert.equal(session?.details?.testProxyLogon, 'CVE-2021-26855');
  assert.deepEqual(report.webshells.map((w) => w.path).sort(), [
    `${INSTALL}/FrontEnd/HttpProxy/owa/auth/RedirSuiteServerProxy.aspx`,
    'inetpub/wwwroot/aspnet_client/discover.aspx',
  ]);
  assert.ok(
    report.webshells.every((w) => /^[0-9a-f]{64}$/.test(w.sha256) && (w.accessedBy?.length ?? 0) > 0),
  );
  assert.equal(byRule(report, 'exhunt.staged.lsass-dump')[0]?.outcome, 'compromise');
  const archives = byRule(report, 'exhunt.staged.archive').map((f) => [f.details?.path, f.outcome]);
  assert.deepEqual(archives.sort(), [
    ['ProgramData/Microsoft/Windows Defender/Support/MpSupportFiles.zip', 'context'],
    ['ProgramData/it.zip', 'compromise'],
  ]);
  // The sweep of webshell names got 302s: probes, not use; the real shell answered 200.
  assert.ok(byRule(report, 'exhunt.webshell.name-probe').every((f) => f.details?.httpStatus !== '200'));
  assert.ok(
    byRule(report, 'exhunt.webshell.known-name-access').every((f) => f.details?.httpStatus === '200'),
  );
  assert.equal(report.problems.length, 0);
});

test('the same evidence as a zip bundle gives the same findings', async () => {
  const folder = await scanJson(await generate('compromised'));
  const zip = await scanJson(await generate('compromised', true));
  assert.equal(zip.report.scan.evidence.kind, 'zip');
  const key = (r: ScanReport) =>
    r.findings.map((f) => `${f.rule.id} ${f.outcome} ${f.evidence[0]?.line ?? ''}`).sort();
  assert.deepEqual(key(zip.report), key(folder.report));
  assert.equal(zip.report.artifacts.length, folder.report.artifacts.length);
});
