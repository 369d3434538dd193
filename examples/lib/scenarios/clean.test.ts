// The clean tree has none of the attack markers, but does have the benign look-alikes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grepTree } from '../search.js';
import { csvRows, small } from './fixtures.js';

const { tree } = small('clean');
const all = /./;

test('no attack markers anywhere', () => {
  assert.deepEqual(grepTree(tree, all, /ServerInfo~/), []);
  assert.deepEqual(grepTree(tree, all, /eval\(Request/i), []);
  assert.deepEqual(grepTree(tree, all, /autodiscover\.json.*(@|%40).*powershell/i), []);
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
