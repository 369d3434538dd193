// Tests for the importers (STIX, MISP, lists, our own format) on valid, partly broken, empty and huge input.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { HEADER_CSV, MISP_EVENT, STIX_BUNDLE, TEXT_LIST } from './fixtures.js';
import { importFeed, loadIndicatorFiles } from './load.js';
import { parsePattern } from './stix-pattern.js';
import { indexTerms } from './stix-terms.js';

const codesAt = (ps: { code: string; line?: number }[]) => ps.map((p) => `${p.code}@${p.line ?? '-'}`);

test('STIX patterns: OR/AND of comparisons, IN, qualifiers, and errors with a column', () => {
  const dnf = parsePattern(
    "([ipv4-addr:value = '203.0.113.1' OR ipv6-addr:value IN ('2001:db8::1', '2001:db8::2')] AND [url:value = 'http://a.example/']) WITHIN 60 SECONDS",
  );
  assert.deepEqual(
    dnf.map((g) => g.map((c) => c.path)),
    [
      ['ipv4-addr:value', 'url:value'],
      ['ipv6-addr:value', 'url:value'],
    ],
  );
  assert.deepEqual(dnf[1]?.[0]?.values, ['2001:db8::1', '2001:db8::2']);
  const terms = indexTerms(dnf);
  // Each AND-group is indexed by its most specific part: the URL beats an address.
  assert.deepEqual(terms.terms, [{ type: 'url', value: 'http://a.example/' }]);
  assert.equal(terms.partial, true);
  assert.deepEqual(
    indexTerms(
      parsePattern("[file:parent_directory_ref.path = 'C:\\\\inetpub\\\\wwwroot' AND file:name = 'x.aspx']"),
    ).terms,
    [{ type: 'filepath', value: 'inetpub/wwwroot/x.aspx' }],
  );
  assert.equal(indexTerms(parsePattern("[ipv4-addr:value != '203.0.113.1']")).unsupported, 1);
  assert.throws(() => parsePattern("[ipv4-addr:value = '1.2.3.4'"), /expected \] at column 29/);
  assert.throws(() => parsePattern("[ipv4-addr:value = '1.2.3.4'] FOO"), /unexpected text/);
});

test('STIX bundle: indicators load with their creator; bad and unsupported patterns are located problems', () => {
  const r = importFeed(STIX_BUNDLE, 'feeds/cert.json', 'cert.json');
  assert.deepEqual(
    r.indicators.map((i) => `${i.type} ${i.value}`),
    [
      'ip 203.0.113.9',
      'cidr 198.51.100.0/24',
      'sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      'user-agent evilclient/1.0',
      'domain c2.evil.example',
      'url http://drop.evil.example/a.aspx',
    ],
  );
  const first = r.indicators[0]!.meta;
  assert.equal(first.author, 'Example CERT');
  assert.equal(first.stixId, 'indicator--0a000000-0000-4000-8000-000000000001');
  assert.deepEqual(first.references, ['https://cert.example/advisory/1']);
  assert.equal(r.indicators[2]!.meta.partial, true);
  assert.deepEqual(codesAt(r.problems), [
    'ioc.bad-pattern@53',
    'ioc.unsupported-pattern@63',
    'ioc.unsupported-pattern@73',
  ]);
});

test('MISP event: attributes and object attributes; bad values located, other types summarised', () => {
  const r = importFeed(MISP_EVENT, 'misp.json', 'misp.json');
  assert.deepEqual(
    r.indicators.map((i) => `${i.type} ${i.value}`),
    [
      'ip 203.0.113.10',
      'ip 203.0.113.11',
      'domain owa.evil.example',
      'user-agent evilclient/2.0',
      'filename errorzz.aspx',
      'sha256 2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
    ],
  );
  assert.equal(r.indicators[0]!.meta.author, 'Example ISAC');
  assert.equal(r.indicators[3]!.note, 'scanner');
  assert.deepEqual(codesAt(r.problems), ['ioc.bad-entry@11', 'ioc.bad-entry@20', 'ioc.skipped@-']);
  assert.match(r.problems[2]!.message, /email-src ×1.*1 attributes marked not for detection/);
});

test('lists: detected types, type column, comments, quoted and unquoted user agents, header CSV', () => {
  const r = importFeed(TEXT_LIST, 'list.txt', 'list.txt');
  assert.deepEqual(
    r.indicators.map((i) => `${i.type} ${i.value}${i.note ? ` # ${i.note}` : ''}`),
    [
      'ip 203.0.113.20',
      'cidr 198.51.100.0/25 # scanning range',
      'ip 203.0.113.21 # seen 2022-12-20',
      'user-agent mozilla/5.0 (compatible; evil, scanner; http://evil.example)',
      'url http://evil.example/x.aspx?a=1;b=2',
      'user-agent python-requests/2.99.0 # scripted client',
    ],
  );
  assert.deepEqual(codesAt(r.problems), [
    'ioc.bad-entry@8',
    'ioc.bad-entry@9',
    'ioc.bad-entry@10',
    'ioc.bad-entry@11',
  ]);
  const h = importFeed(HEADER_CSV, 'mstic.csv', 'mstic.csv');
  assert.deepEqual(
    h.indicators.map((i) => `${i.type} ${i.value}`),
    [
      'sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      'filepath inetpub/wwwroot/aspnet_client/zz-shell.aspx',
    ],
  );
  assert.deepEqual(codesAt(h.problems), ['ioc.unsupported-type@4']);
});

test('empty and broken files: one problem each, nothing loaded', () => {
  for (const [text, code] of [
    ['', 'ioc.empty'],
    ['# only a comment\n\n', 'ioc.empty'],
    ['{"type": "bundle", "objects": []}', 'ioc.empty'],
    ['{"Event": {"Attribute": []}}', 'ioc.empty'],
    ['{"type": "bundle", "objects": [', 'ioc.bad-json'],
    ['{"hello": 1}', 'ioc.unknown-format'],
  ] as const) {
    const r = importFeed(text, 'f', 'f');
    assert.equal(r.indicators.length, 0, text);
    assert.deepEqual(
      r.problems.map((p) => p.code),
      [code],
      text,
    );
  }
});

test('a huge list loads, and its bad lines are reported at their line numbers', () => {
  const lines: string[] = [];
  for (let i = 0; i < 100_000; i++) lines.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  lines[49_999] = '10.0.0.999';
  lines[99_999] = 'garbage line';
  const r = importFeed(lines.join('\n'), 'big.txt', 'big.txt');
  assert.equal(r.indicators.length, 99_998);
  assert.deepEqual(codesAt(r.problems), ['ioc.bad-entry@50000', 'ioc.bad-entry@100000']);
});

test('a huge STIX bundle: every indicator loads and is found by its line', () => {
  const objects = [];
  for (let i = 0; i < 20_000; i++)
    objects.push({
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      pattern: i === 19_999 ? '[bad' : `[ipv4-addr:value = '10.1.${i >> 8}.${i & 255}']`,
      pattern_type: 'stix',
    });
  const text = JSON.stringify({ type: 'bundle', id: 'bundle--x', objects }, null, 1);
  const r = importFeed(text, 'big.json', 'big.json');
  assert.equal(r.indicators.length, 19_999);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]!.line, text.slice(0, text.indexOf('000000019999')).split('\n').length);
});

test('loadIndicatorFiles: files and folders in order, builtin data optional and clean', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-ioc-'));
  try {
    await writeFile(join(dir, 'a.txt'), 'ip,203.0.113.9\n');
    await writeFile(join(dir, 'b.json'), STIX_BUNDLE);
    const without = await loadIndicatorFiles([dir], { builtin: false });
    // Both feeds name 203.0.113.9: the list loaded first is the one a finding cites.
    assert.deepEqual(
      without.store.matchAddress('203.0.113.9').map((i) => i.meta.source),
      ['a.txt', 'b.json'],
    );
    assert.equal(without.problems.length, 3);
    const builtin = await loadIndicatorFiles([], { builtin: true });
    assert.deepEqual(builtin.problems, []);
    assert.ok(builtin.store.size > 50);
    assert.equal(
      builtin.store.matchHash('sha256', 'b75f163ca9b9240bf4b37ad92bc7556b40a17e27c2b8ed5c8991385fe07d17d0')
        .length,
      1,
    );
    assert.equal(builtin.store.matchFile('D/Exchange/FrontEnd/HttpProxy/owa/auth/errorEE.aspx').length, 1);
    const missing = await loadIndicatorFiles([join(dir, 'nope.txt')], { builtin: false });
    assert.deepEqual(
      missing.problems.map((p) => p.code),
      ['ioc.unreadable'],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("types named after Object's own properties are unknown types, not crashes (MISP and lists)", () => {
  const misp = JSON.stringify({
    Event: {
      Attribute: ['constructor', '__proto__', 'toString', 'ip-dst'].map((type, i) => ({
        type,
        value: `192.0.2.${i + 1}`,
        to_ids: true,
      })),
    },
  });
  const r = importFeed(misp, 'misp.json', 'misp.json');
  assert.deepEqual(
    r.indicators.map((i) => i.value),
    ['192.0.2.4'],
  );
  const list = importFeed('constructor,192.0.2.9\nip,192.0.2.10\n', 'l.csv', 'l.csv');
  assert.ok(!list.indicators.some((i) => String(i.type) === 'function'));
});
