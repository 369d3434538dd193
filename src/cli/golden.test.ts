// Golden end-to-end runs of `exhunt scan` on the generated example trees: verdicts and the attack's key evidence.

import assert from 'node:assert/strict';
import test from 'node:test';
import { CLEAN } from '../../examples/lib/scenarios/clean.js';
import { PROBED } from '../../examples/lib/scenarios/probed.js';
import { vendorFiles } from '../../examples/lib/vendor-files.js';
import { INTERNAL_SCANNER } from '../analysis/internal-scanners.js';
import type { Finding } from '../core/finding.js';
import type { ScanReport } from '../core/report.js';
import { INSTALL, byRule, generate, raising, scanJson } from './golden-kit.js';

/** What vulnerability scanners send, as the rules that match it (the same checks from either address). */
const SCANNER_RULES = [
  'exhunt.proxylogon.scanner-probe',
  'exhunt.proxylogon.ssrf-recon',
  '78bfee77-4591-4481-a2ce-a8f324772475',
  'exhunt.webshell.name-probe',
];
const from = (ip: string) => (f: Finding) => f.sourceIps.includes(ip);

test("clean example: clean, its internal scanner and its security products' archives only as context", async () => {
  const dir = await generate('clean');
  const { code, report } = await scanJson(dir);
  assert.equal(code, 0);
  assert.equal(report.verdict, 'clean');
  assert.deepEqual(report.findings.filter(raising), []);
  assert.equal(report.problems.length, 0);
  // Every archive and dump of a security or backup product is listed, as context, with the product named.
  const staged = report.findings.filter((f) => f.rule.id.startsWith('exhunt.staged.'));
  const planted = vendorFiles('EXCH01', CLEAN.from);
  for (const v of planted) {
    const f = staged.find((x) => x.details?.path === v.path);
    assert.ok(f, `${v.path} listed`);
    assert.equal(f.outcome, 'context', v.path);
    assert.match(f.details?.vendorProduct ?? '', new RegExp(v.product), v.path);
  }
  assert.ok(staged.some((f) => f.details?.vendorProduct === 'Microsoft Defender Antivirus'));
  // The scanner's checks are all set aside, said so in the explanation; nothing else is.
  const scanner = report.findings.filter(from(CLEAN.scannerIp));
  assert.deepEqual([...new Set(scanner.map((f) => f.rule.id))].filter((id) => SCANNER_RULES.includes(id)).sort(), [...SCANNER_RULES].sort()); // prettier-ignore
  assert.ok(scanner.every((f) => f.details?.setAside === INTERNAL_SCANNER && f.details?.internalSource === CLEAN.scannerIp)); // prettier-ignore
  // The typed marker the verdict counts, and its text copy, agree.
  assert.ok(scanner.every((f) => f.setAside?.by === INTERNAL_SCANNER && f.setAside.sources?.join(' ') === CLEAN.scannerIp)); // prettier-ignore
  assert.deepEqual(
    report.findings.filter((f) => f.details?.setAside && !from(CLEAN.scannerIp)(f)),
    [],
  );
  assert.match(report.explanation, new RegExp(`from internal scanners \\(${CLEAN.scannerIp.replace(/\./g, '\\.')}\\) were set aside`)); // prettier-ignore
  // Counted as an attacker's, the same requests raise the verdict: the set-aside is what keeps it clean.
  const counted = await scanJson(dir, ['--internal-attacks']);
  assert.equal(counted.report.verdict, 'attempted');
  assert.ok(counted.report.findings.filter(raising).every(from(CLEAN.scannerIp)));
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
  // The clean server's scanner checks, sent from a public address: still probes and attempts.
  const scanner = report.findings.filter(from(PROBED.scannerIp));
  assert.deepEqual([...new Set(scanner.map((f) => f.rule.id))].filter((id) => SCANNER_RULES.includes(id)).sort(), [...SCANNER_RULES].sort()); // prettier-ignore
  assert.ok(scanner.length > 0 && scanner.every((f) => raising(f) && f.details?.setAside === undefined));
  assert.doesNotMatch(report.explanation, /internal scanner/);
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
