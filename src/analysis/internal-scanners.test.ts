// Internal scanners: which failed scanner checks are set aside, and everything that keeps a finding counted.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { Finding, Outcome } from '../core/finding.js';
import { SCANNER_CHECK_TAG } from '../core/rule-ids.js';
import { countRequest, emptyCensus } from './census.js';
import type { AddressCensus } from './census.js';
import {
  INTERNAL_SCANNER,
  internalRange,
  internalScannerSentence,
  internalScannerSummary,
} from './internal-scanners.js';
import { applyPass } from './passes/index.js';
import { internalScannersPass } from './passes/internal-scanners.js';
import type { InternalScannerOptions } from './internal-scanners.js';
import { finding, resetIds, w3c } from './testkit.js';

const HP = 'Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Owa/HttpProxy_2021080912-1.LOG';
const BE = 'inetpub/logs/LogFiles/W3SVC2/u_ex210809.log';
let minute = 0;

/** A front-end IIS line of a scanner check (ProxyShell autodiscover or a webshell-name probe). */
function check(
  ip: string | string[],
  o: { outcome?: Outcome; status?: number; tagged?: boolean; path?: string; rule?: string } = {},
): Finding {
  const ips = Array.isArray(ip) ? ip : [ip];
  const time = `2021-08-09T14:${String(minute++ % 60).padStart(2, '0')}:10.000Z`;
  return finding({
    rule: {
      id: o.rule ?? 'test.scanner-check',
      title: 'A scanner check',
      author: 'exhunt',
      source: 'exhunt',
      ...(o.tagged === false ? {} : { tags: [SCANNER_CHECK_TAG] }),
    },
    stage: 'recon',
    outcome: o.outcome ?? 'probe',
    time,
    sourceIps: ips,
    userAgent: 'Mozilla/5.0 zgrab/0.x',
    ...(o.path ? { path: o.path } : {}),
    details: { httpStatus: String(o.status ?? 404), method: 'GET', url: '/owa/auth/errorFS.aspx' },
    excerpt: w3c({ time, stem: '/owa/auth/errorFS.aspx', ip: ips[0] as string, ua: 'Mozilla/5.0 zgrab/0.x', status: o.status ?? 404, serverIp: '10.0.0.5' }) + (ips.length > 1 ? ` ${ips.slice(1).join(',')}` : ''), // prettier-ignore
  });
}

/** A day of desktops (one account each) and the server's own health probes: no proxy among them. */
function desktops(): AddressCensus {
  const c = emptyCensus();
  for (let i = 0; i < 200; i++)
    countRequest(c, { client: `10.10.20.${i % 40}`, server: '10.0.0.5', user: `CORP\\user${i % 40}`, agent: 'Outlook' }); // prettier-ignore
  for (let i = 0; i < 500; i++) countRequest(c, { client: '127.0.0.1', server: '10.0.0.5', user: 'CORP\\HealthMailbox1' }); // prettier-ignore
  return c;
}

/** The pass over findings without artifacts, its adjustments applied. */
const setAside = (fs: Finding[], internal: InternalScannerOptions) =>
  applyPass(internalScannersPass, fs, { artifacts: [], internal });

const aside = (fs: Finding[], census: AddressCensus | undefined = desktops(), internalAttacks = false) => {
  setAside(fs, { ...(census ? { census } : {}), internalAttacks });
  return fs.map((f) => f.outcome);
};

test('ranges: RFC 1918 and fc00::/7 are internal; CGNAT, link-local, loopback and public are not', () => {
  for (const ip of [
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.1',
    'fd12:3456::1',
    '::ffff:10.0.0.1',
  ])
    assert.ok(internalRange(ip), ip);
  for (const ip of [
    '100.64.0.1',
    '169.254.1.1',
    '127.0.0.1',
    '::1',
    'fe80::1',
    '172.32.0.1',
    '203.0.113.7',
    '8.8.8.8',
  ])
    assert.equal(internalRange(ip), undefined, ip);
});

test('a failed scanner check from an internal address is set aside, marked, and counted per request', () => {
  resetIds();
  const fs = [check('10.20.0.50'), check('10.20.0.50', { outcome: 'attempt', status: 401 })];
  assert.deepEqual(aside(fs), ['context', 'context']);
  assert.equal(fs[0]?.details?.setAside, INTERNAL_SCANNER);
  assert.equal(fs[0]?.details?.setAsideOutcome, 'probe');
  assert.equal(fs[1]?.details?.setAsideOutcome, 'attempt');
  assert.equal(fs[0]?.details?.internalSource, '10.20.0.50');
  // The typed section the summary reads, filled from the same adjustments as the text copies.
  assert.deepEqual(fs[0]?.setAside, { by: INTERNAL_SCANNER, sources: ['10.20.0.50'], request: fs[0]?.details?.scannerRequest }); // prettier-ignore
  assert.notEqual(fs[0]?.setAside?.request, fs[1]?.setAside?.request, 'two requests, two events');
  assert.deepEqual(internalScannerSummary(fs), { requests: 2, findings: 2, addresses: ['10.20.0.50'] });
  // The summary counts the typed marker, not the text copy.
  const copies = fs.map((f) => ({ ...f, setAside: undefined }));
  assert.equal(internalScannerSummary(copies).findings, 0);
  assert.match(
    fs[0]?.note ?? '',
    /set aside as an internal scanner: a failed probe from 10\.20\.0\.50 \(RFC 1918 10\.0\.0\.0\/8\)/,
  );
  const s = internalScannerSummary(fs);
  assert.deepEqual(s, { requests: 2, findings: 2, addresses: ['10.20.0.50'] });
  assert.equal(internalScannerSentence(s), '2 probes from internal scanners (10.20.0.50) were set aside as context; --internal-attacks counts them.'); // prettier-ignore
  assert.equal(internalScannerSentence(internalScannerSummary([])), undefined);
});

test('the same requests from outside, or from CGNAT, link-local, loopback or the server itself, stay counted', () => {
  resetIds();
  for (const ip of ['203.0.113.77', '100.64.3.4', '169.254.10.10', '127.0.0.1', '10.0.0.5'])
    assert.deepEqual(
      aside([check(ip), check(ip, { outcome: 'attempt', status: 401 })]),
      ['probe', 'attempt'],
      ip,
    );
});

test('without enough traffic around it (or no census), a scanner cannot be told from a proxy: kept', () => {
  resetIds();
  for (const census of [undefined, emptyCensus()]) {
    const fs = [check('10.20.0.50')];
    setAside(fs, census ? { census } : {});
    assert.equal(fs[0]?.outcome, 'probe');
    assert.match(
      fs[0]?.note ?? '',
      /not set aside as an internal scanner: only 0 front-end requests could be sampled/,
    );
    assert.equal(fs[0]?.details?.internalScannerDecision, 'kept: too little traffic to tell');
  }
});

test('--internal-attacks sets nothing aside', () => {
  resetIds();
  const fs = [check('10.20.0.50')];
  assert.deepEqual(aside(fs, undefined, true), ['probe']);
  assert.equal(fs[0]?.note, undefined);
});

test('only failures of scanner checks: a success, an answered attempt, an exploit step stay counted', () => {
  resetIds();
  assert.deepEqual(aside([check('10.20.0.50', { outcome: 'success', status: 200 })]), ['success']);
  assert.deepEqual(aside([check('10.20.0.50', { outcome: 'attempt', status: 200 })]), ['attempt']);
  assert.deepEqual(aside([check('10.20.0.50', { outcome: 'attempt', status: 302 })]), ['attempt']);
  assert.deepEqual(aside([check('10.20.0.50', { outcome: 'attempt', status: 500, tagged: false })]), [
    'attempt',
  ]);
  // A probe and a success on one request (joined by its line): nothing of it is set aside.
  const probe = check('10.20.0.50');
  const success = finding({ ...probe, id: 'x', outcome: 'success', rule: { ...probe.rule, tags: [] } });
  assert.deepEqual(aside([probe, success]), ['probe', 'success']);
});

test('an address that also sent an exploit step is no scanner: its probes stay counted, and say why', () => {
  resetIds();
  const probe = check('10.20.0.60');
  const step = check('10.20.0.60', { outcome: 'attempt', status: 500, tagged: false });
  step.rule = { ...step.rule, title: 'ProxyLogon SID theft through /mapi/emsmdb' };
  assert.deepEqual(aside([probe, step]), ['probe', 'attempt']);
  assert.match(probe.note ?? '', /10\.20\.0\.60 also sent a request no scanner sends \(ProxyLogon SID theft through \/mapi\/emsmdb\)/); // prettier-ignore
  assert.equal(probe.details?.internalScannerDecision, 'kept: the address also attacked');
  // Another internal address's probes are still set aside.
  assert.deepEqual(aside([check('10.20.0.61'), check('10.20.0.60', { outcome: 'attempt', status: 500, tagged: false })]), ['context', 'attempt']); // prettier-ignore
});

test('a known tool user agent rides along with a scanner check; alone, or another indicator, it does not', () => {
  resetIds();
  const ioc = (base: Finding, type: string) =>
    finding({ ...base, id: `${base.id}-ioc`, outcome: 'attempt', rule: { id: `ioc.${type}`, title: 'ioc', author: 'feed', source: 'feed' }, details: { indicatorType: type, httpStatus: '404' } }); // prettier-ignore
  const c1 = check('10.20.0.50');
  assert.deepEqual(aside([c1, ioc(c1, 'user-agent')]), ['context', 'context']);
  const c2 = check('10.20.0.51');
  assert.deepEqual(aside([c2, ioc(c2, 'ip')]), ['probe', 'attempt']);
  const c3 = check('10.20.0.52', { tagged: false, outcome: 'suspicious' });
  assert.deepEqual(aside([c3, ioc(c3, 'user-agent')]), ['suspicious', 'attempt']);
});

test('X-Forwarded-For on the line: the forwarded client decides, and a proxy alone is an unknown client', () => {
  resetIds();
  // The load balancer 10.0.0.9 forwards an outside scanner: external, counted.
  assert.deepEqual(aside([check(['10.0.0.9', '203.0.113.7'])]), ['probe']);
  // It forwards an internal scanner: set aside, saying through what.
  const viaLb = [check(['10.0.0.9', '10.1.1.50']), check('10.0.0.9')];
  assert.deepEqual(aside(viaLb), ['context', 'probe']);
  assert.match(viaLb[0]?.note ?? '', /from 10\.1\.1\.50 \(forwarded by 10\.0\.0\.9\)/);
  // A line of the proxy without a forwarded address: the real client is unknown, and the note says so.
  assert.match(viaLb[1]?.note ?? '', /not set aside as an internal scanner: it came through a proxy or load balancer \(10\.0\.0\.9: it forwarded a request for 10\.1\.1\.50/); // prettier-ignore
  assert.equal(viaLb[1]?.details?.internalScannerDecision, 'kept: behind a proxy');
});

test('the census: an address with most of the traffic, several accounts, many agents or XFF is a proxy', () => {
  resetIds();
  const base = desktops;
  // A scanner that sent a few requests among the desktops' traffic is set aside.
  const c0 = base();
  for (let i = 0; i < 20; i++) countRequest(c0, { client: '10.20.0.50', agent: 'zgrab' });
  assert.deepEqual(aside([check('10.20.0.50')], c0), ['context']);
  const kept = (c: AddressCensus, why: RegExp) => {
    const f = check('10.20.0.50');
    assert.deepEqual(aside([f], c), ['probe']);
    assert.match(f.note ?? '', why);
  };
  const share = base();
  for (let i = 0; i < 600; i++) countRequest(share, { client: '10.20.0.50', agent: 'Outlook' });
  kept(share, /it sent 75% of the 800 client requests sampled/);
  const users = base();
  for (const u of ['CORP\\ann', 'bob@corp.example', 'CORP\\carl', 'CORP\\EXCH01$', 'CORP\\HealthMailbox9'])
    countRequest(users, { client: '10.20.0.50', user: u });
  kept(users, /3 different accounts signed in from it/);
  const agents = base();
  for (let i = 0; i < 12; i++) countRequest(agents, { client: '10.20.0.50', agent: `Agent/${i}` });
  kept(agents, /12 different user agents came from it/);
  const xff = base();
  countRequest(xff, { client: '10.20.0.50', forwardedFor: '198.51.100.4' });
  countRequest(xff, { client: '10.20.0.50', forwardedFor: '-' });
  kept(xff, /1 of its 2 sampled requests carry X-Forwarded-For/);
});

test('a back-end line names the front end, not the requester: never an internal scanner by itself', () => {
  resetIds();
  assert.deepEqual(aside([check('10.0.0.7', { path: BE })]), ['probe']);
  // An HttpProxy row of an internal scanner is, like the IIS line.
  assert.deepEqual(aside([check('10.20.0.50', { path: HP })]), ['context']);
});
