// Test helper: the properties every text log reader must have, checked on one input, and generators of damaged logs.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { LineGate } from '../../../core/source.js';
import { assertAccounted, countLines, decodedOutcome, feed, outcome, utf16 } from './feed.js';
import type { Chunking, Fed } from './feed.js';

/**
 * For `text` read by `source`: nothing throws; every line is accounted for; the same records and problems
 * come out in one chunk, in 1-byte chunks and in `slices`; the UTF-16 forms read like the UTF-8 form; and
 * with or without a gate the same problems, the same number of records and the same time range come out.
 * `damage`: positions (modulo the length) where a byte that is never UTF-8 replaces the text's own (then
 * there is no UTF-16 form to compare).
 */
export function checkReader(
  source: string,
  text: string,
  slices: Chunking,
  gate: LineGate,
  damage: number[] = [],
): void {
  const bytes = Buffer.from(text);
  for (const d of damage) {
    const i = d % Math.max(1, bytes.length);
    if (bytes.length > 0 && bytes[i] !== 10 && bytes[i] !== 13) bytes[i] = 0xff;
  }
  const lines = countLines(text);
  const whole = feed(source, bytes, [], gate);
  assertAccounted(whole, lines, 'one chunk');
  for (const chunking of [[1], slices]) {
    const got = feed(source, bytes, chunking, gate);
    assert.deepEqual(outcome(got), outcome(whole), `chunks of ${chunking.join(',') || 'all'}`);
  }
  const ungated = feed(source, bytes, slices);
  assertAccounted(ungated, lines, 'no gate');
  assert.deepEqual(totals(ungated), totals(whole), 'with and without a gate');
  if (damage.length > 0) return;
  const be = slices.length % 2 === 1;
  const bom = (slices[0] ?? 0) % 2 === 0;
  const wide = feed(source, utf16(text, be, bom), slices, gate);
  assert.deepEqual(
    decodedOutcome(wide),
    decodedOutcome(whole),
    `UTF-16${be ? 'BE' : 'LE'}${bom ? ' with BOM' : ''}`,
  );
}

/** What does not depend on which lines the kernel counted in place. */
function totals(f: Fed): unknown {
  const times = f.records.map((r) => r.time).filter((t): t is string => t !== undefined);
  if (f.tallied.first) times.push(f.tallied.first, f.tallied.last!);
  times.sort();
  return {
    problems: f.problems,
    records: f.records.length + f.tallied.records,
    first: times[0],
    last: times.at(-1),
    lines: f.lines,
  };
}

/** Line ends of every kind. */
export const lineEnd = fc.constantFrom('\n', '\r\n', '\r');

/** Lines joined by the given ends (cycled), with or without an end after the last. */
export function assemble(lines: string[], ends: string[], final: boolean): string {
  let out = '';
  lines.forEach((l, i) => {
    out += l;
    if (i < lines.length - 1 || final) out += ends[i % ends.length] ?? '\n';
  });
  return out;
}

/** Text a hostile or damaged line may hold (no line breaks): anything, NULs, quotes, non-ASCII. */
export const junk = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, ' ')),
  fc.constantFrom('\0'.repeat(20), '"', '""', '","', 'é', '😀', '#', ',', ' ', '\t', '\ufeff'),
);

/** Times that do not exist or cannot be read. */
export const badDate = fc.constantFrom('2021-13-45', '2021-02-29', '0000-01-01', '2021-04-31', '2021-1x-01');
export const badClock = fc.constantFrom('24:00:00', '23:60:00', '99:99:99', '12:00:60');

/** `2021-03-dd` and `hh:mm:ss` that exist. */
export const goodDate = fc.integer({ min: 1, max: 28 }).map((d) => `2021-03-${String(d).padStart(2, '0')}`);
export const goodClock = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
  .map((t) => t.map((n) => String(n).padStart(2, '0')).join(':'));

/** Random chunk sizes for the `slices` chunking. */
export const slicesArb = fc.array(fc.integer({ min: 2, max: 61 }), { minLength: 1, maxLength: 6 });
