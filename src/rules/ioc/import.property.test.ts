// Property tests of the indicator importers: any text, mutated feeds of every format, never a throw or a hang.

import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { fuzzRuns } from '../../core/fuzz-runs.js';
import { HEADER_CSV, MISP_EVENT, STIX_BUNDLE, TEXT_LIST } from './fixtures.js';
import { importFeed } from './load.js';
import { IndicatorStore } from './store.js';
import type { StoreJSON } from './store.js';

const FEEDS = [STIX_BUNDLE, MISP_EVENT, TEXT_LIST, HEADER_CSV];

/** The result is usable: problems located inside the text, indicators that a store accepts. */
function check(text: string): void {
  const r = importFeed(text, 'feed.txt', 'test');
  const lines = text.split('\n').length;
  for (const p of r.problems) {
    assert.equal(typeof p.code, 'string');
    if (p.line !== undefined)
      assert.ok(p.line >= 1 && p.line <= lines, `${p.code} at line ${p.line} of ${lines}`);
  }
  const store = new IndicatorStore();
  for (const i of r.indicators) store.add(i);
  // The store survives its own serialisation (it travels to the scan workers that way).
  IndicatorStore.fromJSON(JSON.parse(JSON.stringify(store.toJSON())) as StoreJSON);
}

test('any text or any JSON value as a feed: indicators or located problems, never a throw', () => {
  fc.assert(fc.property(fc.string({ maxLength: 3000 }), check), { numRuns: fuzzRuns(300) });
  fc.assert(
    fc.property(fc.json({ maxDepth: 6 }), (json) => check(json)),
    { numRuns: fuzzRuns(300) },
  );
});

test('every format, mutated (cut short, bytes replaced, lines repeated), never throws', () => {
  const edit = fc.record({
    at: fc.nat(),
    ch: fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '\n', '\\', '/', '*', '9', 'x'),
  });
  fc.assert(
    fc.property(
      fc.constantFrom(...FEEDS),
      fc.array(edit, { maxLength: 10 }),
      fc.nat(),
      (feed, edits, cut) => {
        let text = feed.slice(0, cut % (feed.length + 1) || feed.length);
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.ch + text.slice(at + 1);
        }
        check(text);
      },
    ),
    { numRuns: fuzzRuns(500) },
  );
});

test('hostile feeds: huge lines, deep JSON, a million commas stay bounded and never throw', () => {
  const started = process.hrtime.bigint();
  check('1'.repeat(5 << 20));
  check(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
  check(','.repeat(1_000_000));
  check(
    `{"type":"bundle","objects":[${Array(20_000).fill('{"type":"indicator","pattern":"[ipv4-addr:value = \'203.0.113.1\']"}').join(',')}]}`,
  );
  // A bound against a hang, not a speed target.
  assert.ok(Number(process.hrtime.bigint() - started) / 1e9 < 60);
});
