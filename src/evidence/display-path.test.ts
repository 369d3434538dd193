// Tests for display paths: every byte string has exactly one, and it leads back to those bytes.

import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { displayName, rawName } from './display-path.js';

const RUNS = Number(process.env.EXHUNT_FUZZ_RUNS ?? 300);
const bytes = (...b: (number | string)[]) =>
  Buffer.concat(b.map((x) => (typeof x === 'string' ? Buffer.from(x) : Buffer.from([x]))));

test('UTF-8 names show as themselves; stray bytes as \\xNN; a backslash as \\\\', () => {
  assert.equal(displayName(Buffer.from('u_ex230101.log')), 'u_ex230101.log');
  assert.equal(displayName(Buffer.from('Прокси 日志 🪵.log')), 'Прокси 日志 🪵.log');
  assert.equal(displayName(bytes('a', 0xff, '.log')), 'a\\xff.log');
  assert.equal(displayName(bytes('a', 0xfe, '.log')), 'a\\xfe.log');
  assert.equal(displayName(Buffer.from('a\\xff.log')), 'a\\\\xff.log');
  // Overlong, surrogate, cut-off and out-of-range sequences are not UTF-8: each byte escaped.
  assert.equal(displayName(bytes(0xc0, 0xaf)), '\\xc0\\xaf');
  assert.equal(displayName(bytes(0xed, 0xa0, 0x80)), '\\xed\\xa0\\x80');
  assert.equal(displayName(bytes('x', 0xe6, 0x97)), 'x\\xe6\\x97');
  assert.equal(displayName(bytes(0xf4, 0x90, 0x80, 0x80)), '\\xf4\\x90\\x80\\x80');
  // A real U+FFFD stays one character: invalid bytes never turn into it.
  assert.equal(displayName(Buffer.from('\uFFFD')), '\uFFFD');
});

test('the three look-alike names stay three', () => {
  const names = [bytes('a', 0xff, '.log'), bytes('a', 0xfe, '.log'), Buffer.from('a\\xff.log')];
  const shown = names.map(displayName);
  assert.equal(new Set(shown).size, 3);
  for (const [i, s] of shown.entries()) assert.deepEqual(rawName(s), names[i]);
});

test('display paths no escape rule could have made are refused', () => {
  assert.equal(rawName('a\\q'), undefined);
  assert.equal(rawName('a\\x4'), undefined);
  assert.equal(rawName('a\\xZZ'), undefined);
  assert.equal(rawName('trailing\\'), undefined);
});

test('property: any byte string round-trips, so two names never share a display path', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (raw) => {
      const shown = displayName(raw);
      assert.deepEqual(rawName(shown), Buffer.from(raw));
      // Well-formed UTF-8 without a backslash is shown exactly as decoded.
      const text = Buffer.from(raw).toString();
      if (!raw.includes(0x5c) && Buffer.from(text).equals(Buffer.from(raw))) assert.equal(shown, text);
    }),
    { numRuns: RUNS },
  );
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 32 }), (s) => {
      assert.deepEqual(rawName(displayName(Buffer.from(s))), Buffer.from(s));
    }),
    { numRuns: RUNS },
  );
});
