// End to end: the files responders bring (Test-ProxyLogon's folder, exported logs, trimmed excerpts) scanned whole.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import type { Finding } from '../core/finding.js';
import type { ScanReport } from '../core/report.js';
import {
  CHAIN,
  incidentTree,
  nativeHttpProxyLog,
  strippedEcpLog,
  tplHttpProxyCsv,
  tplOutputTree,
  trimmedEcpLog,
} from '../sources/test-proxylogon/testing/fixtures.js';
import type { Tree } from '../sources/test-proxylogon/testing/fixtures.js';
import { scan } from './scan.js';

async function scanTree(tree: Tree, threads = 0): Promise<ScanReport> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-responder-'));
  try {
    for (const [p, content] of Object.entries(tree)) {
      await mkdir(path.dirname(path.join(root, p)), { recursive: true });
      await writeFile(path.join(root, p), content);
    }
    return (await scan(root, { threads })).report;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const where = (f: Finding | undefined) => f?.evidence.map((e) => `${e.path}:${e.line ?? ''}`);
const byRule = (r: ScanReport, id: string) => r.findings.filter((f) => f.rule.id === `exhunt.${id}`);
const TPL = 'Test-ProxyLogonLogs';

test("Test-ProxyLogon's output folder, with -CollectFiles, read as evidence", async () => {
  const r = await scanTree(tplOutputTree(), 1);
  assert.equal(r.verdict, 'compromised');
  assert.deepEqual(r.integrity?.skipped, [], 'every output is read');
  assert.deepEqual(
    r.problems.map((p) => p.code),
    [],
  );
  const csv = r.artifacts.find((a) => a.path === `${TPL}/EXCH01-Cve-2021-26855.csv`);
  assert.deepEqual(
    [csv?.source, csv?.family, csv?.records],
    ['httpproxy', 'Test-ProxyLogon/CVE-2021-26855', 5],
  );
  // Each row of the chain is one finding, cited in the collected log, the CSV and (the reset) ResetVDir.
  const reset = byRule(r, 'proxylogon.reset-vdir');
  assert.equal(reset.length, 1);
  assert.deepEqual(where(reset[0]), [
    `${TPL}/CollectedLogFiles/EXCH01/CVE26855/HttpProxy_2021030222-1.LOG:12`,
    `${TPL}/EXCH01-Cve-2021-26855.csv:7`,
    `${TPL}/EXCH01-Cve-2021-27065-ResetVDir.csv:3`,
  ]);
  assert.equal(reset[0]?.outcome, 'compromise');
  assert.deepEqual(where(byRule(r, 'proxylogon.tpl-um-crash')[0]), [`${TPL}/EXCH01-Cve-2021-26857.csv:3`]);
  const download = byRule(r, 'proxylogon.tpl-oab-download-path')[0];
  assert.deepEqual(
    [download?.outcome, where(download)],
    ['success', [`${TPL}/EXCH01-Cve-2021-26858-DownloadPaths.log:1`]],
  );
  assert.equal(byRule(r, 'proxylogon.tpl-oab-log-listed')[0]?.outcome, 'suspicious');
  assert.equal(byRule(r, 'proxylogon.tpl-ecp-log-listed')[0]?.outcome, 'suspicious');
  const dump = byRule(r, 'proxylogon.tpl-lsass-dump-listed')[0];
  assert.deepEqual(
    [dump?.outcome, dump?.details?.path, where(dump)],
    ['suspicious', 'C:\\root\\lsass.dmp', [`${TPL}/EXCH01-other.csv:3`]],
  );
  assert.equal(byRule(r, 'proxylogon.tpl-archive-listed')[0]?.outcome, 'context');
  const age = byRule(r, 'proxylogon.tpl-log-age')[0];
  assert.deepEqual([age?.outcome, where(age)], ['context', [`${TPL}/EXCH01-LogAgeDays.csv:3`]]);
  // The collected copies are read by the readers of what they are.
  const oab = byRule(r, 'proxylogon.oab-download-path')[0];
  assert.deepEqual(where(oab), [`${TPL}/CollectedLogFiles/EXCH01/CVE26858/OABGenerator_20210303-1.LOG:1`]);
  const staged = byRule(r, 'staged.lsass-dump')[0];
  assert.deepEqual(
    [staged?.outcome, where(staged)],
    ['compromise', [`${TPL}/CollectedLogFiles/EXCH01/SuspiciousFiles/lsass.dmp_0:`]],
  );
});

test('the 26855 CSV alone: findings cite its rows; the verdict says no web log was read', async () => {
  const r = await scanTree({ [`${TPL}/EXCH01-Cve-2021-26855.csv`]: tplHttpProxyCsv() });
  assert.equal(r.verdict, 'compromised');
  assert.deepEqual(where(byRule(r, 'proxylogon.ecp-session')[0]), [`${TPL}/EXCH01-Cve-2021-26855.csv:5`]);
  assert.match(r.explanation, /No IIS or HttpProxy logs were read/);
});

test('logs exported with Export-Csv or a SIEM: recognised by their columns, read by their own rules', async () => {
  const native = nativeHttpProxyLog().split('\r\n');
  const header = native[0]!.split(',');
  // Import-Csv | Export-Csv of the HttpProxy log: every value quoted, #TYPE first, directives gone.
  const exportCsv = [
    '#TYPE System.Management.Automation.PSCustomObject',
    header.map((h) => `"${h}"`).join(','),
    ...native
      .slice(6)
      .filter(Boolean)
      .map((l) =>
        l
          .split(',')
          .map((v) => `"${v}"`)
          .join(','),
      ),
  ].join('\r\n');
  const sentinelIis = [
    'TimeGenerated,sSiteName,csMethod,csUriStem,csUriQuery,sPort,cIP,csUserAgent,scStatus',
    '"3/5/2021, 4:11:02.000 AM",W3SVC1,GET,/owa/auth/RedirSuiteServerProxy.aspx,&cafeReqId=8a1e77c2-0c1d-4b7a-b0a1-000000000101;,443,203.0.113.77,Mozilla/5.0+(Windows+NT+10.0),200',
  ].join('\r\n');
  const r = await scanTree({
    'siem/httpproxy-ecp.csv': exportCsv,
    'siem/w3svc1.csv': sentinelIis,
    'siem/ecp-server.tsv': trimmedEcpLog()
      .split('\r\n')
      .filter((l) => l.startsWith('2021'))
      .map((l) => l.replace(',', '\t'))
      .reduce((a, l) => `${a}${l}\r\n`, 'TimeStamp\tEventData\r\n'),
  });
  assert.equal(r.verdict, 'compromised');
  assert.deepEqual(
    r.artifacts.map((a) => [a.path, a.source, a.family]),
    [
      ['siem/ecp-server.tsv', 'ecp-server', 'ECP/Server'],
      ['siem/httpproxy-ecp.csv', 'httpproxy', 'HttpProxy'],
      ['siem/w3svc1.csv', 'iis-w3c', 'IIS'],
    ],
  );
  assert.deepEqual(where(byRule(r, 'proxylogon.reset-vdir')[0]), ['siem/httpproxy-ecp.csv:8']);
  assert.deepEqual(where(byRule(r, 'webshell.known-name-access')[0]), ['siem/w3svc1.csv:2']);
  assert.deepEqual(where(byRule(r, 'proxylogon.ecp-vdir-script')[0]), ['siem/ecp-server.tsv:3']);
  // Our Sigma rule on the user agent needs the method, which this export kept and Test-ProxyLogon does not.
  const ua = r.findings.find(
    (f) => f.rule.id === '6b957d95-c0c7-4322-ade4-1bdc7f08d6cd' && f.time === CHAIN[2]![0],
  );
  assert.deepEqual(where(ua), ['siem/httpproxy-ecp.csv:6']);
  assert.ok(
    r.coverage.some((c) => c.family === 'HttpProxy' && c.firstTime === '2021-03-02T22:10:00.001Z'),
    'the export counts as HttpProxy coverage',
  );
});

test('an export under the native log name (Import-Csv | Export-Csv kept the name) is read too', async () => {
  const csv = tplHttpProxyCsv().replace(
    /^#TYPE .*\r\n/,
    '#TYPE System.Management.Automation.PSCustomObject\r\n',
  );
  const r = await scanTree({
    'Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030222-1.LOG': csv,
  });
  assert.deepEqual(where(byRule(r, 'proxylogon.reset-vdir')[0]), [
    'Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030222-1.LOG:7',
  ]);
  assert.equal(r.verdict, 'compromised');
});

test('ECP Server logs with their columns trimmed: the script URL is found in each shape', async () => {
  const ecp = 'Program Files/Microsoft/Exchange Server/V15/Logging/ECP/Server';
  const stripped = await scanTree({ [`${ecp}/ECPServer20210302-1.LOG`]: strippedEcpLog() });
  assert.deepEqual(where(byRule(stripped, 'proxylogon.ecp-vdir-script')[0]), [
    `${ecp}/ECPServer20210302-1.LOG:5`,
  ]);
  assert.equal(stripped.verdict, 'exploited');
  assert.deepEqual(
    stripped.problems.map((p) => [p.code, p.line]),
    [['csv.short-row', 5]],
  );
  const trimmed = await scanTree({ [`${ecp}/ECPServer20210302-1.LOG`]: trimmedEcpLog() });
  assert.deepEqual(where(byRule(trimmed, 'proxylogon.ecp-vdir-script')[0]), [
    `${ecp}/ECPServer20210302-1.LOG:5`,
  ]);
  // Removing and recreating the OAB directory right after is the webshell being written.
  assert.deepEqual(
    byRule(trimmed, 'proxylogon.ecp-vdir-reset').map((f) => f.outcome),
    ['compromise', 'compromise'],
  );
  assert.equal(trimmed.verdict, 'compromised');
});

test('the published incident (Test-ProxyLogon CSV, trimmed ECP and IIS lines): what it found, exhunt finds', async () => {
  const r = await scanTree(incidentTree());
  assert.equal(r.verdict, 'compromised');
  const found = (id: string) => byRule(r, id).map((f) => `${f.evidence[0]?.path}:${f.evidence[0]?.line}`);
  assert.deepEqual(found('proxylogon.ecp-session'), [`${TPL}/EXCH01-Cve-2021-26855.csv:5`]);
  assert.deepEqual(found('proxylogon.reset-vdir'), [`${TPL}/EXCH01-Cve-2021-26855.csv:7`]);
  const ecp = 'Program Files/Microsoft/Exchange Server/V15/Logging/ECP/Server/ECPServer20210302-1.LOG';
  assert.deepEqual(found('proxylogon.ecp-vdir-script'), [`${ecp}:5`]);
  assert.deepEqual(found('webshell.known-name-access'), [
    'inetpub/logs/LogFiles/W3SVC1/u_ex210305.log:1',
    'inetpub/logs/LogFiles/W3SVC1/u_ex210305.log:2',
  ]);
  // The trimmed IIS lines have no #Fields: read with IIS's default set, and said so; the trimmed ECP rows
  // have no header either, so only rules on the whole line can see them, and that is said too.
  assert.deepEqual(r.problems.map((p) => [p.code, p.path]).sort(), [
    ['csv.no-header', ecp],
    ['w3c.no-fields', 'inetpub/logs/LogFiles/W3SVC1/u_ex210305.log'],
  ]);
});

test('the same events in the original log, the collected copy and the CSVs are counted once', async () => {
  const original =
    'Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030222-1.LOG';
  const r = await scanTree({ ...tplOutputTree(), [original]: nativeHttpProxyLog() });
  const chain = r.findings.filter(
    (f) => f.rule.id.startsWith('exhunt.proxylogon.') && f.details?.anchorMailbox,
  );
  assert.equal(chain.length, CHAIN.length);
  for (const f of chain) assert.equal(f.evidence[0]?.path, original, f.rule.id);
  assert.deepEqual(
    where(byRule(r, 'proxylogon.reset-vdir')[0])?.map((w) => w.replace(/:\d+$/, '')),
    [
      original,
      `${TPL}/CollectedLogFiles/EXCH01/CVE26855/HttpProxy_2021030222-1.LOG`,
      `${TPL}/EXCH01-Cve-2021-26855.csv`,
      `${TPL}/EXCH01-Cve-2021-27065-ResetVDir.csv`,
    ],
  );
});

test('a file in a log folder, or named like an output, that yields nothing is a problem the verdict names', async () => {
  const health = nativeHttpProxyLog([]);
  const r = await scanTree({
    'Logging/HttpProxy/Ecp/HttpProxy_2021030222-1.LOG': health,
    'Logging/HttpProxy/Ecp/export.csv': 'Name,Phone\r\nann,123\r\n',
    [`${TPL}/EXCH01-Cve-2021-26855.csv`]: '#TYPE Selected.System.Management.Automation.PSCustomObject\r\n',
    [`${TPL}/EXCH01-Cve-2021-27065.log`]: '\r\n',
  });
  assert.deepEqual(
    r.problems.map((p) => [p.code, p.path, p.line]),
    [
      ['export.no-header', 'Logging/HttpProxy/Ecp/export.csv', 1],
      ['export.no-rows', `${TPL}/EXCH01-Cve-2021-26855.csv`, 1],
      ['tpl.no-entries', `${TPL}/EXCH01-Cve-2021-27065.log`, 1],
    ],
  );
  assert.equal(r.verdict, 'inconclusive');
  assert.match(r.explanation, /export\.csv/);
  assert.deepEqual(
    r.integrity?.losses.map((l) => [l.path, l.loss, l.lowers]),
    [
      ['Logging/HttpProxy/Ecp/export.csv', 'file', true],
      [`${TPL}/EXCH01-Cve-2021-26855.csv`, 'file', true],
      [`${TPL}/EXCH01-Cve-2021-27065.log`, 'file', true],
    ],
  );
});

test('an export with nothing in it but normal traffic is web log evidence that can clear the server', async () => {
  const native = nativeHttpProxyLog([]).split('\r\n');
  const quote = (l: string) =>
    l
      .split(',')
      .map((v) => `"${v}"`)
      .join(',');
  const r = await scanTree({ 'siem/httpproxy.csv': [native[0]!, native[6]!].map(quote).join('\r\n') });
  assert.deepEqual(r.problems, []);
  assert.equal(r.verdict, 'clean');
  assert.match(r.explanation, /web logs from 2021-03-02T22:10:00.001Z/);
});

test('HttpProxy rows with only AnchorMailbox, HttpStatus and a time, in any order: the 26855 check still decides', async () => {
  const [t, , anchor, status] = CHAIN[2]!;
  const r = await scanTree({
    'siem/anchors.csv': `HttpStatus,AnchorMailbox,DateTime\r\n${status},${anchor},${t}\r\n`,
    'Logging/HttpProxy/Ecp/HttpProxy_2021030222-1.LOG': `#Software: Microsoft Exchange Server\r\n#Fields: AnchorMailbox,DateTime,HttpStatus\r\n${anchor},${t},${status}\r\n`,
  });
  const hits = byRule(r, 'proxylogon.ecp-session');
  assert.equal(hits.length, 1, 'one event in two files');
  assert.deepEqual(where(hits[0]), [
    'Logging/HttpProxy/Ecp/HttpProxy_2021030222-1.LOG:3',
    'siem/anchors.csv:2',
  ]);
  assert.equal(hits[0]?.outcome, 'success');
  // The export says what it lacks; the rules that need UrlStem could not run on it.
  assert.deepEqual(
    r.problems.map((p) => [p.code, p.path]),
    [['export.missing-columns', 'siem/anchors.csv']],
  );
});
