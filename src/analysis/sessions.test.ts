// Sessions: one request across logs is one event; addresses, canaries, user agents and time decide the grouping.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { Finding } from '../core/finding.js';
import type { Artifact } from '../core/artifact.js';
import { buildIncident } from './incident.js';
import { finding, report, resetIds, w3c } from './testkit.js';

const HP = 'Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG';
const BACK = 'inetpub/logs/LogFiles/W3SVC2/u_ex210303.log';
const backEndArtifact: Artifact = {
  path: BACK,
  source: 'iis-w3c',
  family: 'IIS/W3SVC2',
  size: 1,
  sha256: '0'.repeat(64),
  records: 1,
  badRecords: 0,
};

const sessionsOf = (fs: Finding[], artifacts: Artifact[] = []) =>
  buildIncident(report(fs, { artifacts })).sessions;
const ids = (fs: Finding[]) => fs.map((f) => f.id);

test('the IIS line and the HttpProxy row of one request (cafeReqId = RequestId) are one event', () => {
  resetIds();
  const id = '652377b6-9ae5-435a-8cc8-317aeb7d0ff6';
  const iis = finding({
    time: '2021-03-03T06:49:42.000Z',
    sourceIps: ['203.0.113.51'],
    userAgent: 'python-requests/2.25.1',
    excerpt: w3c({
      time: '2021-03-03T06:49:42Z',
      method: 'POST',
      stem: '/ecp/y.js',
      query: `&CorrelationID=<empty>;&cafeReqId=${id};`,
      ip: '203.0.113.51',
      ua: 'python-requests/2.25.1',
    }),
  });
  const hp = finding({
    stage: 'exploit',
    outcome: 'success',
    time: '2021-03-03T06:49:42.162Z',
    sourceIps: ['203.0.113.51'],
    path: HP,
    details: { requestId: id, anchorMailbox: 'ServerInfo~a]@ex:444/mapi/emsmdb/?#', httpStatus: '200' },
    excerpt: `2021-03-03T06:49:42.162Z,${id},...`,
  });
  // A Sigma finding on the same HttpProxy row: the engine read the request id from the row's RequestId field.
  const sigma = finding({
    time: '2021-03-03T06:49:42.162Z',
    sourceIps: ['203.0.113.51'],
    path: 'other/HttpProxy_x.LOG',
    request: { requestId: id },
    excerpt: `2021-03-03T06:49:42.162Z,${id},...`,
  });
  const s = sessionsOf([iis, hp, sigma]);
  assert.equal(s.list.length, 1);
  assert.equal(s.list[0]?.timeline.length, 1, 'one event');
  assert.deepEqual([...(s.list[0]?.timeline[0]?.findings ?? [])].sort(), ids([iis, hp, sigma]).sort());
  assert.deepEqual(s.list[0]?.requestIds, [id]);
  assert.equal(s.list[0]?.timeline[0]?.outcome, 'success', 'the event takes its strongest finding');
});

test('one address splits into sessions after 30 minutes of silence, and the sessions are linked', () => {
  resetIds();
  const at = (t: string) =>
    finding({
      time: t,
      sourceIps: ['198.51.100.7'],
      userAgent: 'antSword/v2.1',
      stage: 'webshell-use',
      outcome: 'compromise',
      details: { url: '/aspnet_client/discover.aspx' },
    });
  const s = sessionsOf([
    at('2021-03-05T03:00:00.000Z'),
    at('2021-03-05T03:29:00.000Z'),
    at('2021-03-05T04:00:00.000Z'),
  ]);
  assert.deepEqual(
    s.list.map((x) => [x.firstSeen, x.lastSeen]),
    [
      ['2021-03-05T03:00:00.000Z', '2021-03-05T03:29:00.000Z'],
      ['2021-03-05T04:00:00.000Z', '2021-03-05T04:00:00.000Z'],
    ],
  );
  const by = new Map(s.links.map((l) => [l.by, l]));
  assert.deepEqual(by.get('address')?.sessions, ['S1', 'S2']);
  assert.deepEqual(by.get('user-agent')?.sessions, ['S1', 'S2']);
  assert.deepEqual(by.get('webshell')?.value, 'discover.aspx');
});

test("the front end's address in back-end logs neither merges two attackers nor makes a session of its own", () => {
  resetIds();
  const a = finding({
    time: '2021-03-03T06:49:46.000Z',
    sourceIps: ['203.0.113.51'],
    userAgent: 'python-requests/2.25.1',
    outcome: 'success',
  });
  const b = finding({
    time: '2021-03-03T06:49:47.000Z',
    sourceIps: ['198.51.100.9'],
    userAgent: 'Mozilla/5.0 zgrab',
    outcome: 'attempt',
  });
  // The back end hears every request from the front end (10.0.0.5): two rows, one per attacker.
  const backA = finding({
    time: '2021-03-03T06:49:46.000Z',
    sourceIps: ['10.0.0.5'],
    userAgent: 'python-requests/2.25.1',
    path: BACK,
    excerpt: w3c({
      time: '2021-03-03T06:49:46Z',
      method: 'POST',
      stem: '/ecp/proxyLogon.ecp',
      port: 444,
      ip: '10.0.0.5',
      ua: 'python-requests/2.25.1',
      serverIp: '10.0.0.5',
    }),
  });
  const backB = finding({
    time: '2021-03-03T06:49:47.000Z',
    sourceIps: ['10.0.0.5'],
    userAgent: 'Mozilla/5.0 zgrab',
    path: BACK,
    excerpt: w3c({
      time: '2021-03-03T06:49:47Z',
      stem: '/ecp/',
      port: 444,
      ip: '10.0.0.5',
      ua: 'Mozilla/5.0 zgrab',
      serverIp: '10.0.0.5',
    }),
  });
  const s = sessionsOf([a, b, backA, backB], [backEndArtifact]);
  assert.equal(s.list.length, 2);
  const of = (f: Finding) => s.list.find((x) => x.findings.includes(f.id))?.id;
  assert.equal(of(backA), of(a));
  assert.equal(of(backB), of(b));
  assert.notEqual(of(a), of(b));
  assert.ok(s.list.every((x) => !x.addresses.includes('10.0.0.5')));
  assert.deepEqual(
    s.internalAddresses.map((x) => x.address),
    ['10.0.0.5'],
  );
  assert.equal(
    s.list.find((x) => x.id === of(a))?.timeline.find((e) => e.findings.includes(backA.id))?.joinedBy,
    'user-agent-time',
  );
});

test('a private address (a proxy) groups only together with the user agent', () => {
  resetIds();
  const f = (ua: string, t: string) =>
    finding({ time: t, sourceIps: ['192.168.1.10'], userAgent: ua, outcome: 'probe', stage: 'recon' });
  const s = sessionsOf([
    f('curl/7.1', '2021-03-03T01:00:00.000Z'),
    f('Mozilla/5.0 x', '2021-03-03T01:00:05.000Z'),
    f('curl/7.1', '2021-03-03T01:01:00.000Z'),
  ]);
  assert.deepEqual(s.list.map((x) => x.findings.length).sort(), [1, 2]);
  assert.deepEqual(s.links.find((l) => l.by === 'address')?.sessions, ['S1', 'S2']);
});

test('an ECP Server log line (no address) joins its session through the ECP canary', () => {
  resetIds();
  const canary = 'wgFMWpNO5QOxA8e16jabhsNtIaISC0zDW-PUdlXAIlat6YYKO4uBfNlx_Mq5UHgKz8CjP6q0VZ3F.';
  const ssrf = finding({
    time: '2021-03-03T06:49:53.834Z',
    sourceIps: ['203.0.113.51'],
    outcome: 'success',
    stage: 'webshell-write',
    path: HP,
    details: {
      ecpCanary: canary,
      anchorMailbox: `ServerInfo~a]@ex:444/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=${canary}&schema=OABVirtualDirectory#`,
    },
  });
  const ecp = finding({
    time: '2021-03-03T08:49:53.772Z',
    outcome: 'success',
    stage: 'webshell-write',
    path: 'Program Files/Microsoft/Exchange Server/V15/Logging/ECP/Server/ECPServer20210303-1.LOG',
    details: { cmd: "Set-OabVirtualDirectory.ExternalUrl='http://f/<script>'", ecpCanary: canary },
  });
  const s = sessionsOf([ssrf, ecp]);
  assert.equal(s.list.length, 1);
  assert.deepEqual(s.list[0]?.ecpCanaries, [canary]);
  assert.equal(s.list[0]?.timeline.find((e) => e.findings.includes(ecp.id))?.joinedBy, 'ecp-canary');
});

test('a file written joins the exploiting session within 2 minutes; one far from any stays unattributed', () => {
  resetIds();
  const use = finding({
    time: '2021-03-05T03:10:31.000Z',
    sourceIps: ['139.162.202.236'],
    stage: 'webshell-use',
    outcome: 'compromise',
    details: { url: '/owa/auth/RedirSuiteServerProxy.aspx', method: 'POST' },
  });
  const probe = finding({
    time: '2021-03-05T03:10:32.000Z',
    sourceIps: ['192.0.2.44'],
    stage: 'recon',
    outcome: 'probe',
  });
  const near = finding({
    time: '2021-03-05T03:10:31.802Z',
    stage: 'webshell-write',
    outcome: 'compromise',
    path: 'inetpub/wwwroot/aspnet_client/discover.aspx',
    line: null,
    details: { path: 'inetpub/wwwroot/aspnet_client/discover.aspx' },
  });
  const far = finding({
    time: '2021-03-04T02:15:41.377Z',
    stage: 'webshell-write',
    outcome: 'success',
    path: 'OABGeneratorLog/x.LOG',
  });
  const context = finding({
    time: '2021-03-05T03:10:31.500Z',
    stage: 'collection',
    outcome: 'context',
    path: 'ProgramData/Defender/x.zip',
    line: null,
  });
  const s = sessionsOf([use, probe, near, far, context]);
  const shellSession = s.list.find((x) => x.findings.includes(use.id));
  assert.ok(
    shellSession?.findings.includes(near.id),
    'joined the session that used the shell, not the nearer probe',
  );
  assert.equal(shellSession?.timeline.find((e) => e.findings.includes(near.id))?.joinedBy, 'time');
  assert.deepEqual(s.unattributed, [far.id]);
  assert.ok(!s.list.some((x) => x.findings.includes(context.id)), 'context is not attacker activity');
  assert.deepEqual(shellSession?.webshells, [
    '/owa/auth/RedirSuiteServerProxy.aspx',
    'inetpub/wwwroot/aspnet_client/discover.aspx',
  ]);
});

test('stages reached per session and for the server, with first and last seen', () => {
  resetIds();
  const fs = [
    finding({
      time: '2021-03-03T06:49:42.000Z',
      sourceIps: ['203.0.113.51'],
      stage: 'recon',
      outcome: 'attempt',
    }),
    finding({
      time: '2021-03-03T06:49:46.000Z',
      sourceIps: ['203.0.113.51'],
      stage: 'exploit',
      outcome: 'success',
    }),
    finding({
      time: '2021-03-03T06:50:21.000Z',
      sourceIps: ['203.0.113.51'],
      stage: 'webshell-use',
      outcome: 'compromise',
    }),
    finding({
      time: '2021-03-06T09:12:51.000Z',
      sourceIps: ['192.0.2.101'],
      stage: 'recon',
      outcome: 'probe',
    }),
  ];
  const s = sessionsOf(fs);
  assert.deepEqual(
    s.list[0]?.stages.map((x) => `${x.stage}:${x.outcome}`),
    ['recon:attempt', 'exploit:success', 'webshell-use:compromise'],
  );
  assert.equal(s.list[0]?.outcome, 'compromise');
  assert.deepEqual(
    [s.server.firstSeen, s.server.lastSeen],
    ['2021-03-03T06:49:42.000Z', '2021-03-06T09:12:51.000Z'],
  );
  assert.deepEqual(s.server.stages.find((x) => x.stage === 'recon')?.sessions, ['S1', 'S2']);
  assert.deepEqual(
    s.server.timeline.map((e) => e.session),
    ['S1', 'S1', 'S1', 'S2'],
  );
});
