// Tests for the UTC time helpers: only real times pass, checked against the platform's calendar.

import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { isIsoUtc, isStampAt, normaliseIso, w3cTime } from './time.js';

test('impossible dates and times are not times', () => {
  for (const bad of [
    '2021-13-01T00:00:00Z',
    '2021-00-10T00:00:00Z',
    '2021-01-32T00:00:00Z',
    '2021-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2021-04-31T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '2021-01-01T24:00:00Z',
    '2021-01-01T23:60:00Z',
    '2021-01-01T23:59:60Z',
    '2021-1a-01T00:00:00Z',
  ]) {
    assert.equal(isIsoUtc(bad), false, bad);
    assert.equal(normaliseIso(bad), undefined, bad);
  }
  assert.equal(normaliseIso('2020-02-29T23:59:59Z'), '2020-02-29T23:59:59.000Z');
  assert.equal(normaliseIso('2000-02-29T00:00:00.1234567Z'), '2000-02-29T00:00:00.123Z');
  assert.equal(w3cTime('2021-03-05', '03:06:27'), '2021-03-05T03:06:27.000Z');
  assert.equal(w3cTime('2021-02-30', '03:06:27'), undefined);
  assert.equal(w3cTime('2021-03-05', '03:06:27x123'), undefined);
});

test('property: a stamp is a time exactly when the platform calendar has that day and time', () => {
  const two = (n: number) => String(n).padStart(2, '0');
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      (y, mo, d, h, mi, s) => {
        const stamp = `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}Z`;
        const t = new Date(0);
        t.setUTCFullYear(y, mo - 1, d);
        t.setUTCHours(h, mi, s);
        const real =
          y >= 1 &&
          t.getUTCFullYear() === y &&
          t.getUTCMonth() === mo - 1 &&
          t.getUTCDate() === d &&
          h < 24 &&
          mi < 60 &&
          s < 60;
        assert.equal(isStampAt(stamp, 0), real, stamp);
        assert.equal(isIsoUtc(stamp), real, stamp);
      },
    ),
    { numRuns: Number(process.env.EXHUNT_FUZZ_RUNS) || 2000 },
  );
});
