// Tests for Test-ProxyLogon's outputs as sources: each name and layout recognised, its lists and CSVs read.

import assert from 'node:assert/strict';
import test from 'node:test';
import { parseWith } from '../parse-text.js';
import { sourceForHead, sourceForPath } from '../registry.js';
import { tplHttpProxyCsv } from './testing/fixtures.js';

test("every output name and -CollectFiles folder goes to its reader, with the data's source", () => {
  const cases: [string, string | undefined][] = [
    ['out/EX-01-Cve-2021-26855.csv', 'tpl-httpproxy'],
    ['Security/CVE-2021-26855.log', 'tpl-httpproxy'], // Test-Hafnium.ps1, the first version
    ['out/EX01-Cve-2021-27065-ResetVDir.csv', 'tpl-httpproxy'],
    ['out/EX01-Cve-2021-26857.csv', 'tpl-26857'],
    ['out/EX01-Cve-2021-26858.log', 'tpl-26858'],
    ['out/EX01-Cve-2021-26858-DownloadPaths.log', 'tpl-26858-paths'],
    ['out/EX01-Cve-2021-27065.log', 'tpl-27065'],
    ['Test-ProxyLogonLogs/EX01-other.csv', 'tpl-other'],
    ['reports/EX01-other.csv', undefined], // too common a name outside the script's folder
    ['out/EX01-LogAgeDays.csv', 'tpl-log-age'],
    ['out/CollectedLogFiles/EX01/CVE26858/anything.LOG', 'tpl-collected-oab'],
    ['out/CollectedLogFiles/EX01/SuspiciousFiles/lsass.dmp_0', 'tpl-collected-file'],
    ['out/CollectedLogFiles/EX01/CVE26855/HttpProxy_2021030222-1.LOG', 'httpproxy'],
    ['out/CollectedLogFiles/EX01/Cve27065/HttpProxy_2021030222-1.LOG', 'httpproxy'],
    ['out/CollectedLogFiles/EX01/CVE27065/ECPServer20210302-1.LOG', 'ecp-server'],
    ['out/CollectedLogFiles/EX01/CVE26857/Application.evtx', 'evtx'],
  ];
  for (const [path, id] of cases) assert.equal(sourceForPath(path.toLowerCase())?.id, id, path);
  const data = (p: string) => sourceForPath(p.toLowerCase())?.dataOf;
  assert.equal(data('out/EX01-Cve-2021-26855.csv'), 'httpproxy');
  assert.equal(data('out/CollectedLogFiles/EX01/SuspiciousFiles/lsass.dmp_0'), 'staged-file');
});

test('renamed outputs are known by their columns', () => {
  assert.equal(sourceForHead(Buffer.from(tplHttpProxyCsv()))?.id, 'tpl-httpproxy');
  const other =
    '#TYPE System.Management.Automation.PSCustomObject\r\n"ComputerName","Type","Path","Name","LastWrite"\r\n';
  assert.equal(sourceForHead(Buffer.from(other))?.id, 'tpl-other');
  const exported = '"DateTime","RequestId","AnchorMailbox","HttpStatus","UrlStem","Method"\r\n';
  assert.equal(sourceForHead(Buffer.from(exported))?.id, 'httpproxy-export');
});

test('the nine-column CSV: HttpProxy records cited by CSV line', () => {
  const { records, problems } = parseWith('tpl-httpproxy', 'o/EX01-Cve-2021-26855.csv', tplHttpProxyCsv());
  assert.deepEqual(problems, []);
  assert.equal(records.length, 5);
  assert.deepEqual(
    [records[2]?.source, records[2]?.line, records[2]?.get('HttpStatus'), records[2]?.get('ClientIpAddress')],
    ['httpproxy', 5, '241', '198.51.100.23'],
  );
});

test('path lists: one record a line; a line that is no path, and a list with none, are problems', () => {
  const list =
    'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\ECP\\Server\\ECPServer20210302-1.LOG\r\n\r\n';
  const ok = parseWith('tpl-27065', 'o/EX01-Cve-2021-27065.log', list);
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.records[0]?.get('Path'), list.trim());
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(list, 'utf16le')]);
  assert.equal(parseWith('tpl-27065', 'o/x.log', utf16, 5).records[0]?.get('Path'), list.trim());
  const bad = parseWith('tpl-26858', 'o/EX01-Cve-2021-26858.log', 'Access is denied.\r\n');
  assert.deepEqual(
    bad.problems.map((p) => [p.code, p.line]),
    [
      ['tpl.bad-entry', 1],
      ['tpl.no-entries', 1],
    ],
  );
  const empty = parseWith('tpl-26858-paths', 'o/EX01-Cve-2021-26858-DownloadPaths.log', '\r\n');
  assert.deepEqual(
    empty.problems.map((p) => p.code),
    ['tpl.no-entries'],
  );
});

test('a collected suspicious file is read under the name it had on the server', () => {
  const { records } = parseWith(
    'tpl-collected-file',
    'o/CollectedLogFiles/EX01/SuspiciousFiles/lsass.dmp_0',
    Buffer.from('MDMP....'),
  );
  assert.equal(records[0]?.source, 'staged-file');
  assert.equal(records[0]?.get('Name'), 'lsass.dmp');
});

test("Test-Hafnium's two columns are read, and what they lack is said", () => {
  const text =
    '#TYPE Selected.System.Management.Automation.PSCustomObject\r\n"DateTime","AnchorMailbox"\r\n' +
    '"2021-03-02T22:14:08.907Z","ServerInfo~b]@exch01:444/ecp/proxyLogon.ecp?#"\r\n';
  const { records, problems } = parseWith('tpl-httpproxy', 'Security/CVE-2021-26855.log', text);
  assert.equal(records[0]?.get('AnchorMailbox'), 'ServerInfo~b]@exch01:444/ecp/proxyLogon.ecp?#');
  assert.deepEqual(
    problems.map((p) => [p.code, p.line]),
    [['export.missing-columns', 2]],
  );
  assert.match(problems[0]?.message ?? '', /UrlStem, HttpStatus/);
});
