// Tests for CSV splitting: plain, quoted with commas, doubled quotes, empty fields, open quotes, hostile lines.

import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { hasOpenQuote, splitCsv } from './csv.js';
import { params } from './testing/fuzz.js';

test('splits plain lines and keeps empty fields', () => {
  assert.deepEqual(splitCsv('a,,c,'), ['a', '', 'c', '']);
});

test('reads quoted fields with commas and doubled quotes', () => {
  assert.deepEqual(splitCsv('1,"x, y","say ""hi""",z'), ['1', 'x, y', 'say "hi"', 'z']);
  assert.deepEqual(splitCsv('"",b'), ['', 'b']);
});

test('keeps text that follows a closing quote', () => {
  assert.deepEqual(splitCsv('"ab"cd,e'), ['abcd', 'e']);
});

test('detects a record continued on the next line', () => {
  assert.equal(hasOpenQuote('a,"open'), true);
  assert.equal(hasOpenQuote('a,"closed"'), false);
  assert.equal(hasOpenQuote('a,"x ""y"" z"'), false);
});

/** A value written the way Exchange writes it: quoted when it holds a comma, a quote or a line break. */
const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

test('property: values written with RFC 4180 quoting are split back as they were', () => {
  const value = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', ' ', 'é'), maxLength: 12 });
  fc.assert(
    fc.property(fc.array(value, { minLength: 1, maxLength: 12 }), (values) => {
      const line = values.map(quote).join(',');
      assert.deepEqual(splitCsv(line), values);
      assert.equal(hasOpenQuote(line), false);
    }),
    params(500),
  );
});

test('property: any text splits without throwing, and its fields hold all its non-quote characters', () => {
  const text = fc.string({ unit: fc.constantFrom('a', ',', '"', ' ', '\n'), maxLength: 60 });
  fc.assert(
    fc.property(text, (line) => {
      const fields = splitCsv(line);
      assert.ok(fields.length >= 1);
      const kept = (s: string) => s.replace(/[",]/g, '');
      assert.equal(kept(fields.join('')), kept(line));
    }),
    params(500),
  );
});

test('hostile lines: an unclosed quote, doubled quotes and huge fields split in linear time', () => {
  const started = Date.now();
  const n = 2_000_000;
  assert.deepEqual(
    splitCsv(`a,"${'x'.repeat(n)}`).map((f) => f.length),
    [1, n],
  );
  assert.equal(splitCsv(`"${'""'.repeat(n / 2)}"`)[0]?.length, n / 2);
  assert.equal(splitCsv(','.repeat(n)).length, n + 1);
  assert.equal(splitCsv(`"a"${'b'.repeat(n)},c`)[0]?.length, n + 1);
  assert.equal(splitCsv('",'.repeat(n / 2)).length > 0, true);
  assert.equal(hasOpenQuote('"'.repeat(n + 1)), true);
  // Generous: a fraction of a second on a laptop.
  assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
});
