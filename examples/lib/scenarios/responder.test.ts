// The responder's tree: Test-ProxyLogon's outputs as the script names and writes them, and Export-Csv'd logs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsvRow } from '../csv.js';
import { csvRows, small } from './fixtures.js';
import { RESPONDER } from './responder.js';

const { tree } = small('responder');
const server = small('compromised').tree;
const tpl = (suffix: string) => `${RESPONDER.out}/EXCH01-${suffix}`;

/** Rows of an Export-Csv file, checking its shape on the way: `#TYPE`, then every field quoted. */
function exported(path: string): Record<string, string>[] {
  const lines = (tree.text(path) ?? '').split('\r\n').filter((l) => l.length > 0);
  assert.match(lines[0] ?? '', /^#TYPE (Selected\.)?System\.Management\.Automation\.PSCustomObject$/, path);
  for (const l of lines.slice(1))
    assert.match(l, /^"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*$/, `${path}: ${l.slice(0, 80)}`);
  const [header, ...rows] = lines.slice(1).map(parseCsvRow);
  return rows.map((r) => Object.fromEntries((header ?? []).map((h, i) => [h, r[i] ?? ''])));
}

test("Test-ProxyLogon's files are there under the host's name", () => {
  const names = tree.paths().filter((p) => p.startsWith(`${RESPONDER.out}/EXCH01-`));
  assert.deepEqual(names.sort(), [
    tpl('Cve-2021-26855.csv'),
    tpl('Cve-2021-26858-DownloadPaths.log'),
    tpl('Cve-2021-26858.log'),
    tpl('Cve-2021-27065-ResetVDir.csv'),
    tpl('Cve-2021-27065.log'),
    tpl('LogAgeDays.csv'),
    tpl('other.csv'),
  ]);
});

test('the CVE-2021-26855 rows are the SSRF rows of the server it ran on, its exclusions applied', () => {
  const rows = exported(tpl('Cve-2021-26855.csv'));
  const until = new Date(RESPONDER.runAt).toISOString();
  const expected = csvRows(server, '/HttpProxy/')
    .filter((r) => (r.DateTime ?? '') < until && /^ServerInfo~[^/]*\//.test(r.AnchorMailbox ?? ''))
    .filter((r) => !/^ServerInfo~[^/]*\/autodiscover/i.test(r.AnchorMailbox ?? ''))
    .filter((r) => !/^ServerInfo~localhost/i.test(r.AnchorMailbox ?? ''));
  assert.ok(expected.length >= 3);
  assert.deepEqual(rows.map((r) => r.RequestId).sort(), expected.map((r) => r.RequestId).sort());
  assert.deepEqual(Object.keys(rows[0] ?? {}), ['DateTime', 'RequestId', 'ClientIPAddress', 'UrlHost', 'UrlStem', 'RoutingHint', 'UserAgent', 'AnchorMailbox', 'HttpStatus']); // prettier-ignore
  const reset = exported(tpl('Cve-2021-27065-ResetVDir.csv'));
  assert.ok(reset.length >= 1 && reset.every((r) => r.HttpStatus === '200' && /Reset\w*VirtualDirectory#$/.test(r.AnchorMailbox ?? ''))); // prettier-ignore
});

test('the path lists hold Windows paths; other.csv lists the dump and the archives with their LastWrite', () => {
  assert.match(
    tree.text(tpl('Cve-2021-26858-DownloadPaths.log')) ?? '',
    /^'C:\\inetpub\\wwwroot\\[^']+\.aspx'\r\n$/,
  );
  assert.match(tree.text(tpl('Cve-2021-27065.log')) ?? '', /^C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\ECP\\Server\\ECPServer\d{8}-\d\.LOG\r\n$/); // prettier-ignore
  const other = exported(tpl('other.csv'));
  assert.deepEqual(other.map((r) => r.Type).sort(), ['LsassDump', 'SuspiciousArchive', 'SuspiciousArchive']);
  assert.ok(other.every((r) => /^\d{1,2}\/\d{1,2}\/2021 \d{1,2}:\d\d:\d\d [AP]M$/.test(r.LastWrite ?? '')));
});

test('the exported logs keep every row of the logs they came from', () => {
  const ecp = tree.paths().filter((p) => p.startsWith(`${RESPONDER.exports}/ECPServer`));
  assert.ok(ecp.length >= 1);
  for (const p of ecp) {
    const native = server.paths().find((q) => q.endsWith(`/ECP/Server/${p.slice(p.lastIndexOf('/') + 1).replace(/\.csv$/, '.LOG')}`)); // prettier-ignore
    const lines = (server.text(native ?? '') ?? '').split('\r\n').filter((l) => /^\d{4}-/.test(l));
    assert.equal(exported(p).length, lines.length, p);
  }
  const iis = exported(`${RESPONDER.exports}/W3SVC1/u_ex${RESPONDER.iisDay}.csv`);
  assert.ok(
    iis.some((r) => r['cs-uri-stem'] === '/owa/auth/RedirSuiteServerProxy.aspx' && r['sc-status'] === '200'),
  );
});
