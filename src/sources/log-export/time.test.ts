// Tests for export times: ISO with and without zone, W3C pairs, culture forms, ambiguity, impossible dates.

import assert from 'node:assert/strict';
import test from 'node:test';
import { parseDateAndTime, parseExportTime } from './time.js';

const iso = (v: string) => {
  const r = parseExportTime(v);
  return r && 'iso' in r ? r.iso : r;
};

test('ISO forms, with a zone converted to UTC and without one taken as UTC', () => {
  assert.equal(iso('2021-03-03T06:49:42.162Z'), '2021-03-03T06:49:42.162Z');
  assert.equal(iso('2021-03-03T06:49:42Z'), '2021-03-03T06:49:42.000Z');
  assert.equal(iso('2021-03-03 06:49:42.1626789'), '2021-03-03T06:49:42.162Z');
  assert.equal(iso('2021-03-03T07:49:42+01:00'), '2021-03-03T06:49:42.000Z');
  assert.equal(iso('2021-03-03T01:49:42-0500'), '2021-03-03T06:49:42.000Z');
  assert.deepEqual(parseDateAndTime('2021-03-03', '06:49:42'), { iso: '2021-03-03T06:49:42.000Z' });
});

test('culture forms: en-US with AM/PM, day-first dotted, slashed when the numbers decide', () => {
  assert.equal(iso('3/2/2021 11:20:31 PM'), '2021-03-02T23:20:31.000Z');
  assert.equal(iso('3/3/2021, 6:49:42.162 AM'), '2021-03-03T06:49:42.162Z');
  assert.equal(iso('3/3/2021 12:05:00 AM'), '2021-03-03T00:05:00.000Z');
  assert.equal(iso('03.02.2021 23:20:31'), '2021-02-03T23:20:31.000Z');
  assert.equal(iso('13/03/2021 10:00:00'), '2021-03-13T10:00:00.000Z');
  assert.equal(iso('03/13/2021 10:00:00'), '2021-03-13T10:00:00.000Z');
  assert.deepEqual(parseExportTime('03/05/2021 10:00:00'), { ambiguous: true });
  assert.equal(iso('1614754182.162'), '2021-03-03T06:49:42.162Z');
});

test('not times: words, impossible dates, hours past 23', () => {
  for (const v of ['', 'yesterday', '2021-02-30 10:00:00', '2021-03-03 24:00:00', '0001-01-01', '13:00 PM'])
    assert.equal(parseExportTime(v), undefined, v);
  assert.equal(iso('3/3/2021 13:00:00 PM'), undefined);
});

test("Exchange's millisecond form is taken as it is, and checked like the others", () => {
  assert.equal(iso('2024-02-29T23:59:59.999Z'), '2024-02-29T23:59:59.999Z');
  for (const v of [
    '2023-02-29T10:00:00.000Z',
    '2021-13-01T10:00:00.000Z',
    '2021-03-03T24:00:00.000Z',
    '0000-01-01T00:00:00.000Z',
  ])
    assert.equal(parseExportTime(v), undefined, v);
});
