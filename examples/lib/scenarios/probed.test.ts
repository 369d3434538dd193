// The probed tree shows scanning and failed attempts only, on a patched build.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grepTree } from '../search.js';
import { csvRows, small } from './fixtures.js';
import { PROBED } from './probed.js';

const { tree } = small('probed');

test('scans and failed attempts are there', () => {
  const localhost = csvRows(tree, '/HttpProxy/Owa/').filter((r) =>
    r.AnchorMailbox?.startsWith('ServerInfo~localhost/'),
  );
  // Two nmap-style checks, and the public scanner's run.
  assert.equal(localhost.length, 3);
  assert.equal(localhost.filter((r) => r.ClientIpAddress === PROBED.scannerIp).length, 1);
  const names = grepTree(
    tree,
    /W3SVC1/,
    / GET \/owa\/auth\/\S*(errorFS|OutlookEN|zntwv|fexppw|getpp|Err0r|win)\.as[ph]x .* 404 0 2 /,
  );
  assert.ok(names.length >= 12);
  const ps = grepTree(
    tree,
    /W3SVC1/,
    / \/autodiscover\/autodiscover\.json @[a-z.]+\/powershell\/\?X-Rps-CAT=\S+ 443 - .* 401 0 0 /,
  );
  assert.equal(ps.length, 3);
});

test('nothing succeeded and nothing was planted', () => {
  // Only the scanner's autodiscover check reaches for a back end, and it was refused.
  const ssrf = csvRows(tree, '/HttpProxy/').filter((r) => r.AnchorMailbox?.startsWith('ServerInfo~a]@'));
  assert.equal(ssrf.length, 1);
  assert.ok(ssrf.every((r) => r.ClientIpAddress === PROBED.scannerIp && Number(r.HttpStatus) >= 500));
  assert.deepEqual(grepTree(tree, /W3SVC/, /autodiscover\.json.*powershell.* (200|302) 0 0 /i), []);
  assert.deepEqual(grepTree(tree, /./, /eval\(Request/), []);
  assert.ok(!tree.paths().some((p) => /RedirSuiteServerProxy|discover\.aspx|lsass|it\.zip/.test(p)));
  assert.deepEqual(grepTree(tree, /\/HttpProxy\//, /^#Version: (?!15\.01\.2176\.014)/), []);
});
