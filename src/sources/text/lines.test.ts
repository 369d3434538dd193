// Tests for the line splitter: chunk edges, BOM, CRLF, multi-byte characters and a truncated last line.

import assert from 'node:assert/strict';
import test from 'node:test';
import { LineSplitter } from './lines.js';

function split(chunks: Buffer[]): { lines: string[]; truncated: boolean } {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  for (const c of chunks) s.push(c);
  const truncated = s.end();
  return { lines, truncated };
}

test('splits CRLF and LF lines and strips a UTF-8 BOM', () => {
  const r = split([Buffer.from('\ufeffa,b\r\nc\nd\r\n')]);
  assert.deepEqual(r.lines, ['a,b', 'c', 'd']);
  assert.equal(r.truncated, false);
});

test('keeps a line split across chunks, including inside a multi-byte character', () => {
  const bytes = Buffer.from('first\r\nsecond é line\r\nthird\n');
  const at = bytes.indexOf(0xc3) + 1; // cut inside the two-byte é
  const r = split([bytes.subarray(0, 9), bytes.subarray(9, at), bytes.subarray(at)]);
  assert.deepEqual(r.lines, ['first', 'second é line', 'third']);
});

test('reports a last line without a line end as truncated', () => {
  const r = split([Buffer.from('one\r\ntwo, cut off')]);
  assert.deepEqual(r.lines, ['one', 'two, cut off']);
  assert.equal(r.truncated, true);
});

test('numbers lines from 1 and gives byte offsets', () => {
  const seen: [string, number, number][] = [];
  const s = new LineSplitter((l, n, o) => seen.push([l, n, o]));
  s.push(Buffer.from('ab\r\ncd\n'));
  s.end();
  assert.deepEqual(seen, [
    ['ab', 1, 0],
    ['cd', 2, 4],
  ]);
});
