// Tests for addresses, ranges and the store's lookups and serialisation.

import assert from 'node:assert/strict';
import test from 'node:test';
import { canonicalCidr, canonicalIp, isPrivateAddress, parseIPv4 } from '../../core/ip.js';
import { classify, detectType } from './normalise.js';
import { RangeIndex } from './ranges.js';
import { IndicatorStore } from './store.js';
import type { Indicator, IndicatorMeta, IndicatorType } from './types.js';

const FEED: IndicatorMeta = { author: 'analyst', source: 'feed.txt' };
const OTHER: IndicatorMeta = { author: 'exhunt', source: 'builtin:x.json' };

function ind(type: IndicatorType | undefined, raw: string, meta = FEED): Indicator {
  const r = classify(type, raw);
  if ('error' in r) throw new Error(r.error);
  return { type: r.type, value: r.value, meta };
}

test('addresses: canonical IPv4 and IPv6 text, mapped IPv4, bad input refused', () => {
  assert.equal(parseIPv4('01.2.3.4'), undefined);
  assert.equal(parseIPv4('1.2.3.256'), undefined);
  assert.equal(canonicalIp('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
  assert.equal(canonicalIp('2001:db8:0:1:0:0:0:1'), '2001:db8:0:1::1');
  assert.equal(canonicalIp('::ffff:192.0.2.7'), '192.0.2.7');
  assert.equal(canonicalIp('1:2:3:4:5:6:7:8:9'), undefined);
  assert.equal(canonicalCidr('10.1.2.3/8'), '10.0.0.0/8');
  assert.equal(canonicalCidr('2001:db8::1/32'), '2001:db8::/32');
  assert.equal(canonicalCidr('10.0.0.0/33'), undefined);
  assert.equal(isPrivateAddress('10.2.3.4'), true);
  assert.equal(isPrivateAddress('fe80::1'), true);
  assert.equal(isPrivateAddress('203.0.113.9'), false);
});

test('type detection for bare values', () => {
  const cases: [string, IndicatorType | undefined][] = [
    ['203.0.113.9', 'ip'],
    ['198.51.100.0/24', 'cidr'],
    ['evil.example', 'domain'],
    ['hxxp://evil[.]example/a', 'url'],
    ['supp0rt.aspx', 'filename'],
    ['C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx', 'filepath'],
    ['d41d8cd98f00b204e9800998ecf8427e', 'md5'],
    ['python-requests/2.25.1', 'user-agent'],
    ['just words', undefined],
  ];
  for (const [v, t] of cases) assert.equal(detectType(v), t, v);
  assert.deepEqual(classify('sha256', 'D41D8CD98F00B204E9800998ECF8427E'), {
    type: 'md5',
    value: 'd41d8cd98f00b204e9800998ecf8427e',
  });
});

test('range index: nested and overlapping ranges are all found, gaps are not', () => {
  const idx = new RangeIndex<number>(
    [
      [10, 20],
      [15, 30],
      [12, 12],
      [40, 50],
    ],
    { next: (k) => k + 1, prev: (k) => k - 1 },
  );
  assert.deepEqual(idx.find(12), [0, 2]);
  assert.deepEqual(idx.find(16), [0, 1]);
  assert.deepEqual(idx.find(30), [1]);
  assert.equal(idx.find(31), undefined);
  assert.equal(idx.find(9), undefined);
  assert.deepEqual(idx.find(50), [3]);
});

test('store: exact, ranges (v4, v6, nested), mapped addresses and a second feed for the same value', () => {
  const store = new IndicatorStore([
    ind('ip', '203.0.113.9'),
    ind('cidr', '198.51.100.0/24'),
    ind('cidr', '198.51.0.0/16', OTHER),
    ind('cidr', '2001:db8::/32'),
    ind('ip', '203.0.113.9', OTHER),
  ]);
  assert.equal(store.size, 5);
  assert.equal(store.add(ind('ip', '203.0.113.9')), false, 'same feed and value added twice');
  assert.deepEqual(
    store.matchAddress('203.0.113.9').map((i) => i.meta.source),
    ['feed.txt', 'builtin:x.json'],
  );
  assert.deepEqual(
    store.matchAddress('198.51.100.77').map((i) => i.value),
    ['198.51.100.0/24', '198.51.0.0/16'],
  );
  assert.deepEqual(
    store.matchAddress('198.51.7.1').map((i) => i.value),
    ['198.51.0.0/16'],
  );
  assert.equal(store.matchAddress('::ffff:203.0.113.9').length, 2);
  assert.equal(store.matchAddress('2001:DB8:1::5')[0]?.value, '2001:db8::/32');
  assert.equal(store.matchAddress('192.0.2.1').length, 0);
  assert.equal(store.matchAddress('not-an-ip').length, 0);
});

test('store: domains by parent, URLs with and without query, user agents in IIS form, files by path', () => {
  const store = new IndicatorStore([
    ind('domain', 'evil.example'),
    ind('url', 'http://bad.example:80/drop/x.aspx'),
    ind('user-agent', 'Mozilla/5.0 (compatible; Bad/1.0)'),
    ind('filename', 'supp0rt.aspx'),
    ind(
      'filepath',
      'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\log.aspx',
    ),
  ]);
  assert.equal(store.matchDomain('a.b.EVIL.example').length, 1);
  assert.equal(store.matchDomain('notevil.example').length, 0);
  assert.equal(store.matchUrl('HTTP://BAD.example/drop/x.aspx?cmd=1').length, 1);
  assert.equal(store.matchUrl('http://bad.example/drop/y.aspx').length, 0);
  assert.equal(store.matchUserAgent('Mozilla/5.0+(compatible;+Bad/1.0)').length, 1);
  assert.equal(store.matchFile('C/inetpub/wwwroot/aspnet_client/Supp0rt.aspx').length, 1);
  // The path indicator matches on another drive and install folder, but not the same name elsewhere.
  assert.equal(store.matchFile('D/Exchange/FrontEnd/HttpProxy/owa/auth/log.aspx').length, 1);
  assert.equal(store.matchFile('D/Exchange/FrontEnd/HttpProxy/ecp/auth/log.aspx').length, 0);
});

test('store: toJSON/fromJSON gives the same answers and shares metas', () => {
  const meta: IndicatorMeta = { ...FEED, stixId: 'indicator--0b7d3e36-1c39-4a2e-9b7a-1f6f6ac1f000' };
  const store = new IndicatorStore([ind('ip', '203.0.113.9', meta), ind('cidr', '198.51.100.0/24', meta)]);
  const json = JSON.parse(JSON.stringify(store.toJSON())) as ReturnType<IndicatorStore['toJSON']>;
  assert.equal(json.metas.length, 1);
  const back = IndicatorStore.fromJSON(json);
  assert.equal(back.matchAddress('198.51.100.1')[0]?.meta.stixId, meta.stixId);
  assert.equal(back.stixMeta(meta.stixId!)?.source, 'feed.txt');
  assert.deepEqual(back.counts(), { ip: 1, cidr: 1 });
  assert.throws(() => IndicatorStore.fromJSON({ ...json, version: 2 as 1 }));
});
