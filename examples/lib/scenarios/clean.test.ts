// The clean tree has none of the attack markers, but does have the benign look-alikes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grepTree } from '../search.js';
import { CLEAN } from './clean.js';
import { csvRows, small } from './fixtures.js';

const { tree } = small('clean');
const all = /./;

/** Lines that are not the internal scanner's (the one look-alike that sends attack checks). */
const notScanner = (hits: { line: string }[]) => hits.filter((h) => !h.line.includes(CLEAN.scannerIp));

test('no attack markers anywhere but from the internal scanner', () => {
  assert.deepEqual(notScanner(grepTree(tree, all, /ServerInfo~/)), []);
  assert.deepEqual(grepTree(tree, all, /eval\(Request/i), []);
  assert.deepEqual(notScanner(grepTree(tree, all, /autodiscover\.json.*(@|%40).*powershell/i)), []);
  assert.deepEqual(grepTree(tree, all, /<script[^>]*runat=/i), []);
  assert.ok(!tree.paths().some((p) => /lsass|\/it\.zip$|discover\.aspx$|RedirSuiteServerProxy/.test(p)));
});

test('look-alikes are present', () => {
  assert.ok(grepTree(tree, /W3SVC1/, / GET \/autodiscover\/autodiscover\.json Email=[a-z.]+%40corp\.example&Protocol=ActiveSync&RedirectCount=1&CorrelationID/).length >= 1); // prettier-ignore
  assert.ok(grepTree(tree, /W3SVC1/, / GET \/autodiscover\/autodiscover\.json\/v1\.0\/[a-z.]+@corp\.example Protocol=/).length >= 1); // prettier-ignore
  assert.equal(grepTree(tree, /\/ECP\/Server\//, /S:CMD=Set-OabVirtualDirectory\.ExternalUrl=''https:\/\/mail\.corp\.example\/OAB''/).length, 1); // prettier-ignore
  const oab = grepTree(tree, /OABGeneratorLog/, /Download failed and temporary file 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\Temp\\/); // prettier-ignore
  assert.ok(oab.length >= 1);
  assert.ok(grepTree(tree, /W3SVC1/, /AMProbe\/Local\/ClientAccess/).length > 10);
  assert.ok(grepTree(tree, /W3SVC1/, / MSEXCHMON /).length > 10);
  const info = new Set(csvRows(tree, '/Powershell-Proxy/Http/').map((r) => r.ClientInfo));
  assert.deepEqual(
    [...info].sort(),
    ['', 'Exchange BackEnd Probes', 'Microsoft WinRM Client'].filter((x) => info.has(x)),
  );
  assert.ok(info.has('Exchange BackEnd Probes') && info.has('Microsoft WinRM Client'));
  assert.ok(
    grepTree(
      tree,
      /W3SVC1/,
      / POST \/powershell serializationLevel=Full;ExchClientVer=15\.1\.2507\.16;\S+ 80 CORP\\/,
    ).length >= 3,
  );
  assert.ok(tree.files.has('ProgramData/Microsoft/Windows Defender/Support/MpSupportFiles.zip'));
  assert.match(tree.text('inetpub/wwwroot/web.config') ?? '', /\(\?=\.\*autodiscover\)\(\?=\.\*powershell\)/);
  assert.ok(tree.dirs.has('inetpub/wwwroot/aspnet_client/system_web/4_0_30319'));
});

test('the internal scanner sends the checks from a private address, and every one is refused', () => {
  const rows = csvRows(tree, '/HttpProxy/').filter((r) => r.ClientIpAddress === CLEAN.scannerIp);
  const anchors = rows.map((r) => r.AnchorMailbox ?? '').filter((a) => a.startsWith('ServerInfo~'));
  assert.ok(anchors.some((a) => a.startsWith('ServerInfo~localhost/')));
  assert.ok(anchors.some((a) => /^ServerInfo~[^/]+\/autodiscover\//.test(a)));
  assert.ok(rows.length >= 10 && rows.every((r) => Number(r.HttpStatus) >= 400), 'all refused');
  const w3c = grepTree(tree, /W3SVC1/, new RegExp(` ${CLEAN.scannerIp.replace(/\./g, '\\.')} `));
  assert.ok(w3c.some((h) => /autodiscover\.json @[^ ]*\/powershell\//.test(h.line)));
  assert.ok(
    w3c.every((h) => / (4\d\d|5\d\d) \d+ \d+ \d+$/.test(h.line)),
    'all refused',
  );
  assert.match(CLEAN.scannerIp, /^10\./);
});

test('security and backup products keep archives and a dump in their own folders', () => {
  const vendor = tree
    .paths()
    .filter((p) => /^ProgramData\/(ESET|Sophos|Trend Micro|Veeam|CrowdStrike)\//.test(p));
  assert.ok(vendor.length >= 5, vendor.join(', '));
  for (const p of vendor) {
    const head = tree.files.get(p)?.data.subarray(0, 4).toString('latin1');
    assert.ok(head === 'PK\x03\x04' || head === 'MDMP', p);
  }
  assert.ok(tree.files.has('Windows/Temp/avvdat-10512.zip'));
});
