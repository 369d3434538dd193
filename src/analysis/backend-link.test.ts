// Back-end (W3SVC2) lines join the front-end request they serve: method, path, user agent, time, client.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { Finding } from '../core/finding.js';
import { addressRoles } from './addresses.js';
import { servesPath } from './backend-link.js';
import { buildEvents } from './events.js';
import { finding, resetIds, w3c } from './testkit.js';

const FE = 'inetpub/logs/LogFiles/W3SVC1/u_ex210303.log';
const BE = 'inetpub/logs/LogFiles/W3SVC2/u_ex210303.log';
const HP = 'Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG';
const UA = 'python-requests/2.25.1';
const ATTACKER = '203.0.113.51';
const SERVER = '10.0.0.5';
const RID = 'de6ed3a4-90fd-40cc-a81a-91e6bcbc865b';

/** The ProxyLogon GetObject step: front-end IIS line, HttpProxy row, back-end line (as the generator writes them). */
function request(o: { beUa?: string; beTime?: string; bePath?: string; beIp?: string; taken?: number } = {}) {
  const fe = finding({
    time: '2021-03-03T06:49:51.000Z',
    sourceIps: [ATTACKER],
    userAgent: UA,
    path: FE,
    details: { method: 'POST', url: '/ecp/y.js', httpStatus: '200', requestId: RID },
    excerpt: w3c({ time: '2021-03-03T06:49:51Z', method: 'POST', stem: '/ecp/y.js', query: `&CorrelationID=<empty>;&cafeReqId=${RID};`, ip: ATTACKER, ua: UA }).replace(/ 15$/, ` ${o.taken ?? 380}`), // prettier-ignore
  });
  const hp = finding({
    outcome: 'success',
    time: '2021-03-03T06:49:51.543Z',
    sourceIps: [ATTACKER],
    userAgent: UA,
    path: HP,
    details: {
      method: 'POST',
      url: '/ecp/y.js',
      requestId: RID,
      httpStatus: '200',
      anchorMailbox:
        'ServerInfo~a]@EXCH01.corp.local:444/ecp/DDI/DDIService.svc/GetObject?schema=OABVirtualDirectory#',
    },
    excerpt: `2021-03-03T06:49:51.543Z,${RID},15,1,2176,2,,Ecp,mail.corp.example,/ecp/y.js,...,BeginRequest=2021-03-03T06:49:51.163Z;CorrelationID=<empty>;`,
  });
  // The engine reads BeginRequest from the row's GenericInfo field into the request section.
  hp.request = { ...hp.request, begin: '2021-03-03T06:49:51.163Z' };
  const bePath = o.bePath ?? '/ecp/DDI/DDIService.svc/GetObject';
  const be = finding({
    time: o.beTime ?? '2021-03-03T06:49:51.000Z',
    sourceIps: [o.beIp ?? SERVER],
    userAgent: o.beUa ?? UA,
    path: BE,
    details: { method: 'POST', url: bePath, httpStatus: '200', query: 'schema=OABVirtualDirectory' },
    excerpt: w3c({ time: o.beTime ?? '2021-03-03T06:49:51Z', method: 'POST', stem: bePath, query: 'schema=OABVirtualDirectory', port: 444, user: 'CORP\\EXCH01$', ip: o.beIp ?? SERVER, ua: o.beUa ?? UA, serverIp: SERVER }), // prettier-ignore
  });
  return { fe, hp, be };
}

const eventsOf = (fs: Finding[]) => buildEvents(fs, addressRoles(fs, []));
const groups = (fs: Finding[]) =>
  eventsOf(fs)
    .map((e) => e.findings.map((f) => f.id).sort())
    .sort();

test('a back-end line joins the front-end request it served: one event with all three lines', () => {
  resetIds();
  const { fe, hp, be } = request();
  const events = eventsOf([fe, hp, be]);
  assert.equal(events.length, 1);
  assert.deepEqual(events[0]?.publicAddresses, [ATTACKER], 'the event keeps the attacker, not the front end');
  assert.equal(events[0]?.outcome, 'success');
});

test('a different user agent, path, method-less mismatch, time or a direct client keeps the lines apart', () => {
  resetIds();
  for (const [why, o] of [
    ['user agent', { beUa: 'Mozilla/5.0' }],
    ['path', { bePath: '/ecp/DDI/DDIService.svc/SetObject' }],
    ['before the request began', { beTime: '2021-03-03T06:49:48.000Z' }],
    ['after it ended', { beTime: '2021-03-03T06:49:53.000Z' }],
    ['the attacker on port 444 itself', { beIp: ATTACKER }],
  ] as const) {
    const { fe, hp, be } = request(o);
    assert.equal(groups([fe, hp, be]).length, 2, why);
  }
});

test('a long request takes a back-end line logged seconds before its end (time-taken), not one outside it', () => {
  resetIds();
  // The reset step runs ten seconds; the back end logs when its part ends, a second before the front end.
  const long = request({ taken: 10_124, beTime: '2021-03-03T06:49:45.000Z' });
  long.hp.request = { ...long.hp.request, begin: '2021-03-03T06:49:41.419Z' };
  assert.equal(groups([long.fe, long.hp, long.be]).length, 1);
  const short = request({ taken: 120, beTime: '2021-03-03T06:49:45.000Z' });
  assert.equal(groups([short.fe, short.be]).length, 2);
});

test('two identical requests in parallel each take one back-end line, the nearest', () => {
  resetIds();
  const a = request();
  const b = request({ beTime: '2021-03-03T06:49:52.000Z' });
  const rid = 'aaaaaaaa-90fd-40cc-a81a-91e6bcbc865b';
  const shift = (f: Finding, time: string) => {
    f.time = time;
    f.details = { ...f.details, requestId: rid };
    f.request = { ...f.request, requestId: rid };
    f.evidence[0]!.excerpt = f.evidence[0]!.excerpt.replace('06:49:51', '06:49:52').replace(RID, rid);
  };
  shift(b.fe, '2021-03-03T06:49:52.000Z');
  shift(b.hp, '2021-03-03T06:49:52.543Z');
  const g = groups([a.fe, a.hp, a.be, b.fe, b.hp, b.be]);
  assert.deepEqual(g, [[a.fe.id, a.hp.id, a.be.id].sort(), [b.fe.id, b.hp.id, b.be.id].sort()].sort());
});

test('without the HttpProxy row, a ProxyLogon back-end path cannot be tied to the static file the SSRF rode on', () => {
  resetIds();
  const { fe, be } = request();
  assert.equal(groups([fe, be]).length, 2);
});

test('a back-end line with no front-end finding stays its own event', () => {
  resetIds();
  const { be } = request();
  assert.equal(eventsOf([be]).length, 1);
});

test('back-end paths: the same, the end of the front-end path (OWASSRF), ActiveSync /Proxy/', () => {
  assert.equal(servesPath('/powershell', '/owa/mastermailbox@outlook.com/powershell'), true);
  assert.equal(servesPath('/ecp/proxylogon.ecp', '/ecp/proxylogon.ecp'), true);
  assert.equal(servesPath('/microsoft-server-activesync/proxy/default.eas', '/microsoft-server-activesync/default.eas'), true); // prettier-ignore
  assert.equal(servesPath('', '/owa/auth/x.js'), false);
  assert.equal(servesPath('/owa', '/ecp/y.js'), false);
  assert.equal(servesPath('/shell', '/owa/auth/myshell'), false, 'a segment boundary is needed');
});

test('thousands of front- and back-end lines link in a bounded time (no pairwise scan of all of them)', () => {
  resetIds();
  const fs: Finding[] = [];
  const n = 4000;
  for (let i = 0; i < n; i++) {
    const t = new Date(Date.UTC(2021, 2, 3) + i * 7_000).toISOString().replace(/\.\d+Z$/, '.000Z');
    const ua = `scanner/${i % 50}`;
    fs.push(
      finding({ time: t, sourceIps: [ATTACKER], userAgent: ua, path: FE, details: { method: 'POST', url: `/owa/p${i % 9}` }, excerpt: w3c({ time: t, method: 'POST', stem: `/owa/p${i % 9}`, ip: ATTACKER, ua }) }), // prettier-ignore
      finding({ time: t, sourceIps: [SERVER], userAgent: ua, path: BE, details: { method: 'POST', url: `/owa/p${i % 9}` }, excerpt: w3c({ time: t, method: 'POST', stem: `/owa/p${i % 9}`, port: 444, ip: SERVER, ua }) }), // prettier-ignore
    );
  }
  const started = Date.now();
  const events = eventsOf(fs);
  assert.equal(events.length, n, 'each front-end line took its back-end line');
  assert.ok(Date.now() - started < 20_000, 'finishes within 20 s');
});
