// Tests for the WebAssembly line kernel: against a plain JavaScript reading of the same bytes, in any chunking.

import assert from 'node:assert/strict';
import test from 'node:test';
import { GatedLines, MAX_LINE_BYTES } from './gated-lines.js';
import type { LineFormat } from './gated-lines.js';
import type { Problem } from '../../core/problem.js';
import type { GateLiteral } from './teddy.js';

interface Seen {
  lines: { text: string; no: number; offset: number; mask: number }[];
  plain: number;
  first?: string;
  last?: string;
  problems?: Problem[];
}

const W3C: LineFormat = { sep: ' ', fields: 4, stamp: 'YYYY-MM-DD hh:mm:ss ', compare: 19 };

function read(
  input: Buffer,
  lits: GateLiteral[] | undefined,
  format: LineFormat | undefined,
  chunk: number,
  csv = false,
): Seen {
  const seen: Seen = { lines: [], plain: 0 };
  const problems: Problem[] = [];
  const g = new GatedLines({
    path: 'x.log',
    gate: lits ? { literals: lits, all: false } : undefined,
    onLine: (text, no, offset, mask) => seen.lines.push({ text, no, offset, mask }),
    onTally: (n, first, last) => {
      seen.plain += n;
      if (seen.first === undefined || first < seen.first) seen.first = first;
      if (seen.last === undefined || last > seen.last) seen.last = last;
    },
    onProblem: (p) => problems.push(p),
    csv,
  });
  g.setFormat(format);
  for (let i = 0; i < input.length; i += chunk) g.push(input.subarray(i, i + chunk));
  g.end();
  if (problems.length > 0) seen.problems = problems;
  return seen;
}

/** Is this a real date and time? Asked of the platform's calendar, not of the code under test. */
function realTime(stamp: string): boolean {
  const m = /^(\d{4})-(\d\d)-(\d\d).(\d\d):(\d\d):(\d\d)/.exec(stamp);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  return y >= 1 && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}

/** What the kernel must do, written the obvious way: lines end at LF, CRLF or CR. */
function reference(input: Buffer, lits: GateLiteral[], format: LineFormat): Seen {
  const seen: Seen = { lines: [], plain: 0 };
  const text = input.toString('latin1');
  let no = 0;
  const re = /\r\n|\n|\r/g;
  let at = 0;
  for (;;) {
    const m = re.exec(text);
    const end = m ? m.index : text.length;
    if (!m && end === at) break;
    no++;
    const line = Buffer.from(text.slice(at, end), 'latin1').toString('utf8');
    const offset = at;
    at = m ? end + m[0].length : end;
    if (line !== '') {
      const lower = line.toLowerCase();
      const mask = lits.reduce((x, l) => (lower.includes(l.text) ? x | l.mask : x), 0);
      const shape = [...format.stamp].every((c, k) =>
        /[dYMDhms]/.test(c) ? /[0-9]/.test(line[k] ?? '') : c === '?' ? k < line.length : line[k] === c,
      );
      const plain =
        line[0] !== '#' &&
        mask === 0 &&
        shape &&
        realTime(line) &&
        ![...line].some((c) => c === '\0' || c > '\x7f') &&
        line.split(format.sep).length === format.fields;
      if (plain) {
        seen.plain++;
        const s = line.slice(0, format.compare);
        if (seen.first === undefined || s < seen.first) seen.first = s;
        if (seen.last === undefined || s > seen.last) seen.last = s;
      } else {
        seen.lines.push({ text: line, no, offset, mask: line[0] === '#' ? -1 : mask });
      }
    }
    if (!m) break;
  }
  return seen;
}

/** A deterministic generator, so a failure can be reproduced from its seed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

const LITS: GateLiteral[] = [
  { text: 'serverinfo~', mask: 1 },
  { text: '/ecp/', mask: 2 },
  { text: '.aspx ', mask: 4 },
  { text: 'x', mask: 8 },
  { text: 'ab', mask: 8 },
  { text: '103.77.192.219', mask: 16 },
  { text: 'python-requests/', mask: 2 },
];
const WORDS = [
  'GET',
  'POST',
  '/owa/',
  '/ECP/',
  '/ecp',
  'ServerInfo~',
  'serverinfo',
  'logon.aspx',
  'a.ASPX',
  'X',
  'Ab',
  'aB',
  '103.77.192.219',
  '103.77.192.21',
  'Python-Requests/2.1',
  'mozilla',
  '-',
  '200',
  '10.0.0.1',
  'é',
  '#',
];

function randomLog(r: () => number, lines: number): Buffer {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const kind = r();
    if (kind < 0.05) {
      out.push('#Fields: date time a b');
      continue;
    }
    if (kind < 0.08) {
      out.push('');
      continue;
    }
    const stamp =
      kind < 0.12
        ? '2021-3-05 01:02:03'
        : kind < 0.15
          ? ['2021-13-05 01:02:03', '2021-02-29 01:02:03', '0000-01-01 00:00:00', '2020-02-29 24:00:00'][
              Math.floor(r() * 4)
            ]!
          : `2021-03-0${1 + Math.floor(r() * 9)} 0${Math.floor(r() * 10)}:1${Math.floor(r() * 10)}:00`;
    const n = kind < 0.18 ? 1 : 2;
    const words = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]!);
    // Put literals across the words' joins now and then (`a` + `b`).
    out.push(`${stamp} ${words.join(r() < 0.2 ? '' : ' ')}`);
  }
  // Line ends of every kind, mixed.
  const ends = ['\n', '\r\n', '\r'];
  let text = out[0] ?? '';
  for (let i = 1; i < out.length; i++) text += ends[Math.floor(r() * 3)]! + out[i];
  return Buffer.from(text + (r() < 0.5 ? ends[Math.floor(r() * 3)]! : ''));
}

test('kernel equals the plain reading on random logs, in any chunking', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const r = rng(seed);
    const input = randomLog(r, 200);
    const want = reference(input, LITS, W3C);
    for (const chunk of [1, 3, 17, 64, 4096]) {
      const got = read(input, LITS, W3C, chunk);
      assert.deepEqual(got, want, `seed ${seed}, chunk ${chunk}`);
    }
  }
});

test('many literals (more than fit a bucket) are all found, each with its own bit', () => {
  const lits: GateLiteral[] = Array.from({ length: 300 }, (_, i) => ({
    text: `w${i}q`,
    mask: 1 << (i % 31),
  }));
  const lines = lits.map((l, i) => `2021-03-05 01:02:03 ${l.text.toUpperCase()}/${i}`);
  lines.push('2021-03-05 01:02:03 none-here');
  const input = Buffer.from(lines.join('\n') + '\n');
  const got = read(input, lits, { ...W3C, fields: 3 }, 1 << 16);
  assert.equal(got.plain, 1);
  assert.equal(got.lines.length, 300);
  for (const [i, l] of got.lines.entries()) {
    // `w1q` is also inside `w1q/1`... only its own literal, as no other one occurs in `W<i>Q/<i>`.
    assert.equal(l.mask, lits[i]!.mask, l.text);
  }
});

test('without a gate every line is handed on; with an empty one every good line is plain', () => {
  const input = Buffer.from('2021-03-05 01:02:03 a b\n2021-03-05 01:02:04 c d\n');
  assert.equal(read(input, undefined, W3C, 7).lines.length, 2);
  const none = read(input, [], W3C, 7);
  assert.equal(none.lines.length, 0);
  assert.equal(none.plain, 2);
  assert.equal(none.first, '2021-03-05 01:02:03');
  assert.equal(none.last, '2021-03-05 01:02:04');
});

test('a byte-order mark is skipped and offsets count it; a last line without end is handed on', () => {
  const input = Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from('#Fields: x\n2021-03-05 01:02:03 cut'),
  ]);
  for (const chunk of [1, 2, 5, 100]) {
    const got = read(input, [], W3C, chunk);
    assert.deepEqual(
      got.lines.map((l) => [l.text, l.no, l.offset]),
      [
        ['#Fields: x', 1, 3],
        ['2021-03-05 01:02:03 cut', 2, 14],
      ],
      `chunk ${chunk}`,
    );
  }
});

test('quoted CSV rows are handed on whole, also when a value spans lines', () => {
  const csv: LineFormat = { sep: ',', fields: 3, stamp: 'dddd-dd-ddTdd:dd:dd.dddZ,', compare: 24 };
  const rows = [
    '2021-03-03T06:00:00.000Z,a,b',
    '2021-03-03T06:00:01.000Z,"x,y",b',
    '2021-03-03T06:00:02.000Z,"multi',
    '2021-03-03T06:00:03.000Z,line",b',
    '2021-03-03T06:00:04.000Z,c,d',
  ];
  const got = read(Buffer.from(rows.join('\r\n') + '\r\n'), [], csv, 5, true);
  assert.deepEqual(
    got.lines.map((l) => l.no),
    [2, 3, 4],
  );
  assert.equal(got.plain, 2);
  assert.equal(got.first, '2021-03-03T06:00:00.000Z');
  assert.equal(got.last, '2021-03-03T06:00:04.000Z');
});

test('a literal with non-ASCII text gates on its longest ASCII run', () => {
  const input = Buffer.from('2021-03-05 01:02:03 a évil.aspx\n2021-03-05 01:02:03 a b\n');
  const got = read(input, [{ text: 'évil.aspx', mask: 1 }], { ...W3C, fields: 4 }, 64);
  assert.deepEqual(
    got.lines.map((l) => [l.no, l.mask]),
    [[1, 1]],
  );
});

test('a line longer than the cap is reported with its length, in any chunking, and reading goes on', () => {
  const long = 'A'.repeat(MAX_LINE_BYTES + (2 << 20));
  for (const [end, chunk] of [
    ['\n', 1 << 20],
    ['\r\n', 1 << 20],
    ['\r', 1 << 20],
    ['\r\n', 64 << 20],
    ['\r', (1 << 20) + 7],
  ] as const) {
    const input = Buffer.from(`2021-03-05 01:02:03 a b\n${long}${end}2021-03-05 01:02:05 c d\n`);
    const got = read(input, [], W3C, chunk);
    assert.equal(got.plain, 2, JSON.stringify(end));
    assert.equal(got.lines.length, 0);
    assert.deepEqual(
      got.problems?.map((p) => [p.code, p.line, p.offset, p.bytes]),
      [['text.line-too-long', 2, 24, long.length]],
      `${JSON.stringify(end)} in chunks of ${chunk}`,
    );
  }
});

test('more lines in one chunk than the kernel lists at a time: none is lost', () => {
  const lines = Array.from(
    { length: 20_000 },
    (_, i) => `2021-03-05 01:02:03 ${i % 3 === 0 ? 'hit' : 'x'} ${i}`,
  );
  const got = read(Buffer.from(lines.join('\n') + '\n'), [{ text: 'hit', mask: 1 }], W3C, 1 << 24);
  assert.equal(got.lines.length, Math.ceil(20_000 / 3));
  assert.equal(got.plain, 20_000 - got.lines.length);
  assert.equal(got.lines.at(-1)!.no, 19_999);
});
