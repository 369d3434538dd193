// Tests for the CSV writer and reader used by every Exchange log format.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, csvRow, kvPair, parseCsvRow } from './csv.js';

test('plain values stay bare, awkward ones are quoted with doubled quotes', () => {
  assert.equal(csvField('abc'), 'abc');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
});

test('rows round-trip through the reader', () => {
  const rows = [
    ['a', '', 'b,c', '"q"', 'x""y', ''],
    ['', ''],
    ['one'],
    ['<script language="JScript">eval(Request["k"],"unsafe");</script>', 'z'],
  ];
  for (const r of rows) assert.deepEqual(parseCsvRow(csvRow(r)), r);
});

test('key-value pairs are single-quoted only when needed', () => {
  assert.equal(kvPair('CMD', 'Get-Mailbox'), 'S:CMD=Get-Mailbox');
  assert.equal(kvPair('CMD', "Set-X.Url='a'"), "'S:CMD=Set-X.Url=''a'''");
});
