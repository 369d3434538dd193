// The console's events: verdict first, one block per request with every log's line, probes grouped after them.

import assert from 'node:assert/strict';
import test from 'node:test';
import { buildIncident } from '../analysis/incident.js';
import { EVIL, finding, hostileReport, report, resetIds, w3c } from '../analysis/testkit.js';
import type { ScanReport } from '../core/report.js';
import { renderConsole } from './console.js';

const RID = '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';

function scanned() {
  resetIds();
  const fe = finding({
    outcome: 'success',
    time: '2021-03-03T06:49:46.000Z',
    sourceIps: ['203.0.113.51'],
    userAgent: 'python-requests/2.25.1',
    details: { requestId: RID },
    excerpt: w3c({ time: '2021-03-03T06:49:46Z', method: 'POST', stem: '/ecp/y.js', query: `&cafeReqId=${RID};`, ip: '203.0.113.51', ua: 'python-requests/2.25.1' }), // prettier-ignore
  });
  const hp = finding({
    outcome: 'success',
    time: '2021-03-03T06:49:46.210Z',
    sourceIps: ['203.0.113.51'],
    path: 'Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG',
    details: { requestId: RID },
    excerpt: `2021-03-03T06:49:46.210Z,${RID},15,1,2176,2,,Ecp`,
  });
  const probes = ['192.0.2.1', '192.0.2.2', '192.0.2.2'].map((ip, i) =>
    finding({
      rule: { id: 'exhunt.probe', title: 'Scanner probe', author: 'exhunt', source: 'exhunt' },
      stage: 'recon',
      outcome: 'probe',
      time: `2021-03-01T00:00:0${i}.000Z`,
      sourceIps: [ip],
      excerpt: w3c({ time: `2021-03-01T00:00:0${i}Z`, stem: '/owa/auth/x.js', ip, ua: 'zgrab' }),
    }),
  );
  const r = report([...probes, fe, hp]);
  return Object.assign(r, buildIncident(r));
}

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
