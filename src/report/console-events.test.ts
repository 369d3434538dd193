// The console's events: verdict first, one block per request with every log's line, probes grouped after them.

import assert from 'node:assert/strict';
import test from 'node:test';
import { EVIL, hostileReport } from '../analysis/testkit.js';
import type { ScanReport } from '../core/report.js';
import { oneRequestAndProbes, RID } from './events-fixture.js';
import { renderConsole } from './console.js';

const scanned = () => oneRequestAndProbes(['192.0.2.1', '192.0.2.2', '192.0.2.2']);

test('console: verdict, then one block per request with each log, then probes as one grouped line', () => {
  const out = renderConsole(scanned(), { color: false });
  const verdict = out.indexOf('Verdict:');
  const e1 = out.indexOf('  E1 ');
  const probes = out.indexOf('Probes (3 requests');
  assert.ok(verdict >= 0 && e1 > verdict && probes > e1, out);
  assert.doesNotMatch(out, / {2}E2 /, 'the two logs of one request are one event');
  const block = out.slice(e1, probes);
  assert.match(block, /front-end IIS +inetpub\/logs\/LogFiles\/W3SVC1\/u_ex210303\.log:\d+/);
  assert.match(block, /HttpProxy Ecp +Program Files\/.*HttpProxy_2021030306-1\.LOG:\d+/);
  assert.match(block, new RegExp(`request ${RID}`));
  assert.match(
    out,
    /P1 +x3 +Scanner probe 2021-03-01T00:00:00\.000Z \.\. 2021-03-01T00:00:02\.000Z +from 2 addresses: 192\.0\.2\.2, 192\.0\.2\.1/,
  );
  assert.doesNotMatch(out, /Findings \(/, 'findings are shown as events');
});

test('console: attacker text in events cannot move the cursor or forge lines', () => {
  const out = renderConsole(hostileReport(), { color: true });
  const events = out.slice(out.indexOf('Events ('), out.indexOf('Webshells ('));
  assert.ok(events.length > 0);
  assert.doesNotMatch(events, /\r/);
  assert.doesNotMatch(events, /\u202e/);
  assert.ok(!events.split('\n').some((l) => l.startsWith('Remove-Item')), 'no forged line');
  assert.ok(events.includes(EVIL.script), 'markup is plain text on a terminal, shown as it is');
});

test('console: a report without events (older than schema 1.4) still lists its findings', () => {
  const r = scanned();
  const old: ScanReport = r;
  delete old.events;
  assert.match(renderConsole(old, { color: false }), /Findings \(5\)/);
});
