// Tests for a line that never ends: both line splitters stop the file there, at the same line in any chunking.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { Problem } from '../../core/problem.js';
import { ExportLines } from '../log-export/lines.js';
import { GatedLines } from './gated-lines.js';
import type { LineFormat } from './gated-lines.js';

const W3C: LineFormat = { sep: ' ', fields: 4, stamp: 'YYYY-MM-DD hh:mm:ss ', compare: 19 };
const MIB = 1 << 20;

interface Got {
  handed: number[];
  plain: number;
  problems: Problem[];
  stopped: boolean;
  dropped: number;
}

function gated(input: Buffer, chunk: number, maxUnended: number, maxLine?: number): Got {
  const got: Got = { handed: [], plain: 0, problems: [], stopped: false, dropped: 0 };
  const g = new GatedLines({
    path: 'x.log',
    gate: { literals: [{ text: 'hit', mask: 1 }], all: false },
    onLine: (_t, no) => got.handed.push(no),
    onTally: (n) => (got.plain += n),
    onProblem: (p) => got.problems.push(p),
    maxUnended,
    size: input.length,
    ...(maxLine !== undefined ? { maxLine } : {}),
  });
  g.setFormat(W3C);
  for (let i = 0; i < input.length && !g.stopped; i += chunk) g.push(input.subarray(i, i + chunk));
  g.end();
  got.stopped = g.stopped;
  got.dropped = g.account.dropped;
  return got;
}

const before = '2021-03-05 01:02:03 a b\n2021-03-05 01:02:04 hit b\n';
const after = '\n2021-03-05 01:02:05 hit d\n2021-03-05 01:02:06 c d\n';

test('a line with no end within the limit stops the reading there, located, in any chunking', () => {
  const input = Buffer.from(before + 'A'.repeat(3 * MIB) + after);
  for (const chunk of [4096, 65536 + 3, MIB, 4 * MIB, input.length]) {
    const got = gated(input, chunk, MIB);
    const at = `in chunks of ${chunk}`;
    assert.ok(got.stopped, at);
    assert.equal(got.plain, 1, at);
    assert.deepEqual(got.handed, [2], at);
    assert.equal(got.dropped, 1, at);
    assert.deepEqual(
      got.problems.map((p) => [p.code, p.line, p.offset, p.bytes]),
      [['text.unended-line', 3, before.length, input.length - before.length]],
      at,
    );
  }
});

test('a line over the length cap but within the unended limit is skipped, and reading goes on', () => {
  const input = Buffer.from(before + 'A'.repeat(2 * MIB) + after);
  for (const chunk of [65536, MIB, input.length]) {
    const got = gated(input, chunk, 3 * MIB, MIB);
    assert.ok(!got.stopped);
    assert.deepEqual(got.handed, [2, 4]);
    assert.deepEqual(
      got.problems.map((p) => p.code),
      ['text.line-too-long'],
    );
  }
  // Past both: skipped as too long, then stopped once it passes the unended limit.
  const longer = Buffer.from(before + 'A'.repeat(4 * MIB) + after);
  for (const chunk of [65536, MIB, longer.length]) {
    const got = gated(longer, chunk, 3 * MIB, MIB);
    assert.ok(got.stopped, `in chunks of ${chunk}`);
    assert.deepEqual(got.handed, [2]);
    assert.deepEqual(
      got.problems.map((p) => [p.code, p.line, p.offset]),
      [['text.unended-line', 3, before.length]],
    );
  }
});

test('a line exactly at the limit is read; the limit counts the line without its end', () => {
  const line = `2021-03-05 01:02:07 hit ${'x'.repeat(4096 - 24)}`;
  assert.equal(line.length, 4096);
  for (const end of ['\n', '\r\n', '\r']) {
    const got = gated(Buffer.from(before + line + end + after.slice(1)), 1000, 4096);
    assert.ok(!got.stopped, JSON.stringify(end));
    assert.deepEqual(got.handed, [2, 3, 4]);
    assert.deepEqual(got.problems, []);
  }
  const over = gated(Buffer.from(before + line + 'y\n' + after.slice(1)), 1000, 4096);
  assert.ok(over.stopped);
  assert.deepEqual(over.handed, [2]);
});

test('UTF-16: the stop is located in the file’s own bytes', () => {
  const text = before + 'A'.repeat(5000) + after;
  const input = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const got = gated(input, 999, 4096);
  assert.ok(got.stopped);
  assert.deepEqual(
    got.problems.map((p) => [p.code, p.line, p.offset, p.bytes]),
    [['text.unended-line', 3, 2 + 2 * before.length, input.length - 2 - 2 * before.length]],
  );
});

function exported(input: Buffer, chunk: number, max: number) {
  const lines: number[] = [];
  const stops: [number, number | undefined][] = [];
  const x = new ExportLines(
    (_l, no) => lines.push(no),
    () => assert.fail('not a long line'),
    (no, offset) => stops.push([no, offset]),
    max,
  );
  for (let i = 0; i < input.length && !x.stopped; i += chunk) x.push(input.subarray(i, i + chunk));
  x.end();
  return { lines, stops, stopped: x.stopped };
}

test('exported logs and path lists: the same stop, at the same line and offset in any chunking', () => {
  const head = 'a,b\r\n1,2\r\n';
  const input = Buffer.from(head + 'z'.repeat(10_000) + '\r\n3,4\r\n');
  for (const chunk of [7, 4096, input.length]) {
    const got = exported(input, chunk, 4096);
    assert.ok(got.stopped);
    assert.deepEqual(got.lines, [1, 2]);
    assert.deepEqual(got.stops, [[3, head.length]]);
  }
  const fine = exported(Buffer.from(head + 'z'.repeat(4000) + '\r\n3,4\r\n'), 100, 4096);
  assert.deepEqual(fine, { lines: [1, 2, 3, 4], stops: [], stopped: false });
});
