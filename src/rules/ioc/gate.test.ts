// Tests for the gate literals: small feeds keep the engine's chunk gate, and gating never loses a match.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { Hit } from '../../core/detector.js';
import type { LogRecord } from '../../core/record.js';
import { MatcherSet } from '../../engine/matchers.js';
import { SOURCES } from '../../sources/registry.js';
import { IOC_FIELDS } from './fields.js';
import { gateLiterals } from './gate.js';
import { importFeed, loadIndicatorFiles } from './load.js';
import { iocMatchers } from './match.js';
import { IndicatorStore } from './store.js';

const storeOf = (text: string) => new IndicatorStore(importFeed(text, 'f.txt', 'f.txt').indicators);
const iis = IOC_FIELDS['iis-w3c']!;

test('literals: addresses, /20 as sixteen /24 prefixes, a user agent token, domains and URL hosts', () => {
  const lits = gateLiterals(
    storeOf(
      '203.0.113.9\ncidr,198.51.96.0/20\nua,Mozilla/5.0 (compatible; EvilBot/2.1)\nevil.example\nhttp://drop.example/a\n',
    ),
    iis,
  );
  assert.ok(lits);
  assert.equal(lits.filter((l) => l.startsWith('198.51.')).length, 16);
  for (const l of [
    '203.0.113.9',
    '198.51.96.',
    '198.51.111.',
    'evilbot/2.1)',
    'evil.example',
    'drop.example',
  ])
    assert.ok(lits.includes(l), l);
});

test('no literals (every record is checked) for IPv6, the whole address space, or a large feed', () => {
  assert.equal(gateLiterals(storeOf('2001:db8::1\n'), iis), undefined);
  assert.equal(gateLiterals(storeOf('cidr,0.0.0.0/0\n'), iis), undefined);
  const big = Array.from({ length: 900 }, (_, i) => `203.0.${i >> 8}.${i & 255}`).join('\n');
  assert.equal(gateLiterals(storeOf(big), iis), undefined);
  // A feed of a few hundred addresses, as CERTs share them, still gates (the line kernel holds them).
  const mid = Array.from({ length: 500 }, (_, i) => `203.0.${i >> 8}.${i & 255}`).join('\n');
  assert.equal(gateLiterals(storeOf(mid), iis)?.length, 500);
  // A type this source has no field for needs no literal: the rest still gate.
  assert.deepEqual(gateLiterals(storeOf('203.0.113.9\nsupp0rt.aspx\n'), iis), ['203.0.113.9']);
});

test('our curated indicators gate the web logs', async () => {
  const { store } = await loadIndicatorFiles([], { builtin: true });
  for (const s of ['iis-w3c', 'httpproxy', 'rps-http']) assert.ok(iocMatchers(store)(s)[0]?.literals, s);
  assert.equal(iocMatchers(store)('web-file')[0]?.literals, undefined, 'files are checked by name, always');
});

test('behind the engine gate, only lines with an indicator become records, and every match is found', () => {
  const store = storeOf('203.0.113.9\nua,EvilClient/1.0\ncidr,198.51.100.0/24\n');
  const set = new MatcherSet(iocMatchers(store)('iis-w3c'));
  const gate = set.gate();
  assert.ok(gate, 'the matcher set gates');
  const lines = [
    '#Software: Microsoft Internet Information Services 10.0',
    '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status',
  ];
  for (let i = 0; i < 200; i++)
    lines.push(
      `2021-03-03 06:${String(i % 60).padStart(2, '0')}:00 10.0.0.5 GET /owa/ - 443 - 192.0.2.${i} Mozilla/5.0 200`,
    );
  lines.push('2021-03-03 07:00:00 10.0.0.5 POST /ecp/y.js - 443 - 203.0.113.9 Mozilla/5.0 200');
  lines.push('2021-03-03 07:00:01 10.0.0.5 POST /ecp/y.js - 443 - 10.0.0.9 EvilClient/1.0 200');
  lines.push('2021-03-03 07:00:02 10.0.0.5 GET /owa/ - 443 - 198.51.100.250 Mozilla/5.0 200');
  const records: LogRecord[] = [];
  let tallied = 0;
  const parser = SOURCES.get('iis-w3c')!.createParser(
    { path: 'u_ex210303.log', gate },
    {
      record: (r) => records.push(r),
      tally: (n) => (tallied += n),
      problem: (p) => assert.fail(p.message),
    },
  );
  parser.push(Buffer.from(lines.join('\r\n') + '\r\n'));
  parser.end();
  const hits: Hit[] = [];
  for (const r of records) set.run(r, { path: 'p' }, hits);
  assert.deepEqual(
    hits.map((h) => `${h.details?.indicatorType} ${h.details?.matchedValue}`),
    ['ip 203.0.113.9', 'user-agent EvilClient/1.0', 'cidr 198.51.100.250'],
  );
  assert.ok(records.length < 10, `${records.length} records: the other lines were skipped`);
  assert.equal(records.length + tallied, 203);
});
