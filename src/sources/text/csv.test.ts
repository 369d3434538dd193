// Tests for CSV splitting: plain, quoted with commas, doubled quotes, empty fields and open quotes.

import assert from 'node:assert/strict';
import test from 'node:test';
import { hasOpenQuote, splitCsv } from './csv.js';

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
