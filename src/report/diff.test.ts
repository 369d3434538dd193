// Comparing reports: files that stay remain, old log lines read again are history, anything else new is new.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { Finding } from '../core/finding.js';
import { finding, report, resetIds } from '../analysis/testkit.js';
import { diffReports, renderDiff } from './diff.js';

const SHELL = 'inetpub/wwwroot/aspnet_client/discover.aspx';

function before() {
  resetIds();
  const use = finding({
    time: '2021-03-05T03:22:18.000Z',
    sourceIps: ['203.0.113.77'],
    userAgent: 'antSword/v2.1',
    stage: 'webshell-use',
    outcome: 'compromise',
    details: { url: '/aspnet_client/discover.aspx' },
    excerpt: 'line 213',
    line: 213,
  });
  const file = finding({
    rule: { id: 'exhunt.webshell.file', title: 'Webshell', author: 'exhunt', source: 'exhunt' },
    stage: 'webshell-write',
    outcome: 'compromise',
    path: SHELL,
    line: null,
    details: { path: SHELL },
  });
  const context = finding({
    stage: 'collection',
    outcome: 'context',
    path: 'ProgramData/Defender/x.zip',
    line: null,
  });
  return report([use, file, context], {
    webshells: [{ path: SHELL, sha256: 'a'.repeat(64), size: 1, reasons: ['x'] }],
  });
}

const copy = (f: Finding): Finding => JSON.parse(JSON.stringify(f)) as Finding;

test('after a good cleanup: the webshell is gone, the old log line is history, the result is clean', () => {
  const old = before();
  const after = report([copy(old.findings[0] as Finding), copy(old.findings[2] as Finding)], {
    webshells: [],
  });
  const d = diffReports(old, after);
  assert.equal(d.findings.historic, 1);
  assert.deepEqual(d.findings.remains, []);
  assert.deepEqual(d.findings.new, []);
  assert.deepEqual(
    d.findings.gone.map((f) => f.rule),
    ['exhunt.webshell.file'],
  );
  assert.deepEqual(
    d.webshells.gone.map((w) => w.path),
    [SHELL],
  );
  assert.deepEqual(d.indicators.remains, []);
  assert.ok(
    d.indicators.gone.some((i) => i.kind === 'webshell' && i.value === 'discover.aspx') === false,
    'still named by the historic line',
  );
  assert.equal(d.clean, true);
  assert.match(renderDiff(d), /Result: CLEAN/);
});

test('a webshell still there remains; a changed hash and a returning address are flagged', () => {
  const old = before();
  const back = finding({
    time: '2021-03-20T10:00:00.000Z',
    sourceIps: ['203.0.113.77'],
    userAgent: 'curl/8',
    stage: 'recon',
    outcome: 'probe',
    excerpt: 'a new line',
    line: 900,
  });
  const after = report([copy(old.findings[1] as Finding), back], {
    webshells: [{ path: SHELL.toUpperCase(), sha256: 'b'.repeat(64), size: 2, reasons: ['x'] }],
  });
  const d = diffReports(old, after);
  assert.deepEqual(
    d.findings.remains.map((f) => f.rule),
    ['exhunt.webshell.file'],
  );
  assert.deepEqual(
    d.findings.new.map((f) => f.evidence),
    [`${back.evidence[0]?.path}:900`],
  );
  assert.deepEqual(
    d.webshells.changed.map((w) => w.sha256),
    ['b'.repeat(64)],
  );
  assert.deepEqual(d.indicators.remains, [
    { kind: 'address', value: '203.0.113.77' },
    { kind: 'webshell', value: 'discover.aspx' },
  ]);
  assert.deepEqual(d.indicators.new, [{ kind: 'user-agent', value: 'curl/8' }]);
  assert.equal(d.clean, false);
  const text = renderDiff(d);
  assert.match(text, /REMAINS +compromise/);
  assert.match(text, /CHANGED +INETPUB/);
  assert.match(text, /Result: NOT CLEAN/);
});

test('context findings never count', () => {
  const old = before();
  const ctx = finding({ stage: 'collection', outcome: 'context', path: 'ProgramData/other.zip', line: null });
  const d = diffReports(old, report([ctx]));
  assert.equal(d.clean, true);
});
