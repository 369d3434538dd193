// The manifest check on its own: what a manifest must hold, where the collector puts a Windows path in the
// bundle, and one problem per disagreement, each naming the manifest's entry.

import assert from 'node:assert/strict';
import test from 'node:test';
import { bundlePathOf, parseManifest, verifyCustody } from './custody.js';
import type { Manifest } from './custody.js';

const H = (c: string) => c.repeat(64);
const base = {
  format: 'exhunt-collection',
  collector: { name: 'Collect-Exhunt.ps1', version: '1.0.0' },
  host: 'EXCH01',
  files: [{ path: 'C/a.log', original: 'C:\\a.log', size: 3, sha256: H('A') }],
  skipped: [
    { original: 'C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex1.log', reason: 'older-than-since', size: 9 },
  ],
};

test('a manifest needs its format, collector and well-formed file rows; hashes are read in lower case', () => {
  const m = parseManifest(base) as Manifest;
  assert.equal(m.files[0]?.sha256, H('a'));
  assert.match(parseManifest({ ...base, format: 'kape' }) as string, /format/);
  assert.match(parseManifest({ ...base, collector: {} }) as string, /collector/);
  assert.match(
    parseManifest({ ...base, files: [{ path: 'x', original: 'y', size: 1, sha256: 'zz' }] }) as string,
    /64 hex/,
  );
  assert.match(
    parseManifest({ ...base, files: [{ path: 'x', size: -0.5, original: 'y', sha256: H('a') }] }) as string,
    /files\[0\]/,
  );
});

test('Windows paths and event log channels map to the places the collector writes them', () => {
  assert.equal(bundlePathOf('d:\\Sites\\Portal\\x.aspx'), 'D/Sites/Portal/x.aspx');
  assert.equal(
    bundlePathOf('eventlog:Microsoft-Windows-Sysmon/Operational'),
    'C/Windows/System32/winevt/Logs/Microsoft-Windows-Sysmon%4Operational.evtx',
  );
  assert.equal(bundlePathOf('\\\\share\\x'), undefined);
});

test('each disagreement is one located problem, and the counts add up', () => {
  const m = parseManifest({
    ...base,
    files: [
      ...base.files,
      { path: 'C/b.log', original: 'C:\\b.log', size: 3, sha256: H('b') },
      { path: 'C/c.log', original: 'C:\\c.log', size: 3, sha256: H('c') },
    ],
  }) as Manifest;
  const sizes = new Map([
    ['manifest.json', 10],
    ['C/a.log', 3],
    ['C/b.log', 4],
    ['C/extra.aspx', 1],
  ]);
  const hashes = new Map([
    ['C/a.log', H('a')],
    ['C/b.log', H('b')],
  ]);
  const { custody, problems } = verifyCustody(m, H('f'), { sizes, hashes });
  assert.deepEqual(
    problems.map((p) => [p.code, p.path]),
    [
      ['custody.hash-mismatch', 'C/b.log'],
      ['custody.missing', 'C/c.log'],
      ['custody.not-collected', 'C/inetpub/logs/LogFiles/W3SVC1/u_ex1.log'],
      ['custody.unlisted', 'C/extra.aspx'],
    ],
  );
  assert.match(
    problems[0]!.message,
    /manifest\.json files\[1\] \(C:\\b\.log\): 4 bytes, the manifest says 3/,
  );
  assert.match(problems[2]!.message, /older-than-since/);
  assert.deepEqual(
    [custody.files, custody.verified, custody.failed, custody.notCollected, custody.unlisted],
    [3, 1, 2, 1, 1],
  );
});
