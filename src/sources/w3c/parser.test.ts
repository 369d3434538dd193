// Tests for the W3C parser: #Fields re-read mid-file, `+` and `-`, encodings, line ends, bad lines, times, NULs.

import assert from 'node:assert/strict';
import test from 'node:test';
import { parseWith } from '../parse-text.js';
import { assertAccounted, decodedOutcome, feed, utf16 } from '../text/testing/feed.js';

const HEAD =
  '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2021-03-05 03:00:00\r\n';
const F1 =
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status\r\n';
const F2 = '#Fields: date time cs-method cs-uri-stem cs-uri-query c-ip X-Forwarded-For sc-status\r\n';

test('reads fields by name, with + as space in headers and - as empty', () => {
  const text =
    '\ufeff' +
    HEAD +
    F1 +
    '2021-03-05 03:06:27 10.0.0.5 POST /ecp/y.js a=1 443 - 1.2.3.4 Mozilla/5.0+(Windows) 200\r\n';
  const { records, problems } = parseWith('iis-w3c', 'u_ex.log', text, 7);
  assert.deepEqual(problems, []);
  const r = records[0];
  assert.ok(r);
  assert.equal(r.get('cs-method'), 'POST');
  assert.equal(r.get('cs(User-Agent)'), 'Mozilla/5.0 (Windows)');
  assert.equal(r.get('cs-user-agent'), 'Mozilla/5.0 (Windows)');
  assert.equal(r.get('cs-username'), null);
  assert.equal(r.get('cs-uri'), '/ecp/y.js?a=1');
  assert.equal(r.time, '2021-03-05T03:06:27.000Z');
  assert.equal(r.line, 5);
});

test('re-reads #Fields wherever it appears', () => {
  const text =
    HEAD +
    F1 +
    '2021-03-05 03:06:27 10.0.0.5 GET /owa/ - 443 - 1.2.3.4 UA 200\r\n' +
    F2 +
    '2021-03-05 04:00:00 GET /owa/ - 10.0.0.9 5.6.7.8 302\r\n';
  const { records, problems } = parseWith('iis-w3c', 'u_ex.log', text);
  assert.deepEqual(problems, []);
  assert.equal(records.length, 2);
  assert.equal(records[1]?.get('X-Forwarded-For'), '5.6.7.8');
  assert.equal(records[1]?.get('sc-status'), '302');
  assert.equal(records[1]?.get('s-ip'), undefined);
});

test('reports lines that do not fit, and a truncated last line, with file and line', () => {
  const text =
    HEAD +
    F1 +
    'garbage\r\n2021-03-05 03:06:27 10.0.0.5 GET /owa/ - 443 - 1.2.3.4 UA 200\r\n2021-03-05 03:06:28 10.0.0.5 GET /o';
  const { records, problems } = parseWith('iis-w3c', 'logs/u_ex.log', text);
  assert.equal(records.length, 1);
  assert.deepEqual(
    problems.map((p) => [p.code, p.path, p.line]),
    [
      ['w3c.bad-line', 'logs/u_ex.log', 5],
      ['w3c.bad-line', 'logs/u_ex.log', 7],
    ],
  );
});

test('falls back to the IIS default fields when #Fields is missing, and says so', () => {
  const text = '2021-03-05 03:06:27 10.0.0.5 GET /owa/ - 443 - 1.2.3.4 UA - 200 0 0 15\n';
  const { records, problems } = parseWith('iis-w3c', 'cut.log', text);
  assert.equal(records.length, 1);
  assert.equal(records[0]?.get('sc-status'), '200');
  assert.equal(problems[0]?.code, 'w3c.no-fields');
});

const GATE = { literals: [{ text: '/ecp/', mask: 1 }], all: false };
const LINE = (t: string, path = '/owa/') => `2021-03-05 ${t} 10.0.0.5 GET ${path} - 443 - 1.2.3.4 UA 200`;
const LOG =
  HEAD + F1 + [LINE('03:00:01'), LINE('03:00:02', '/ecp/x.js'), LINE('03:00:03')].join('\r\n') + '\r\n';

test('UTF-16 LE and BE, with and without a BOM, read like UTF-8: same records, lines and problems', () => {
  const text = LOG + 'garbage\r\n' + LINE('03:00:04', '/ecp/y.js') + '\r\n';
  const want = feed('iis-w3c', Buffer.from(text), [], GATE);
  assert.equal(want.records.length, 2);
  assert.equal(want.tallied.records, 2);
  for (const be of [false, true])
    for (const bom of [false, true]) {
      const input = utf16(text, be, bom);
      for (const chunking of [[], [1], [3, 7, 64]]) {
        const got = feed('iis-w3c', input, chunking, GATE);
        assert.deepEqual(decodedOutcome(got), decodedOutcome(want), `be ${be} bom ${bom} ${chunking.join()}`);
        // Offsets are the UTF-16 file's own: every character of this ASCII text is two bytes.
        assert.deepEqual(
          got.records.map((r) => r.offset),
          want.records.map((r) => 2 * r.offset! + (bom ? 2 : 0)),
        );
      }
    }
});

test('CR line ends, and CRLF, LF and CR mixed, split into the same lines', () => {
  const lines = LOG.split('\r\n').slice(0, -1);
  const want = feed('iis-w3c', Buffer.from(lines.join('\n') + '\n'), [], GATE);
  for (const ends of [['\r'], ['\r\n', '\n', '\r'], ['\r', '\n']]) {
    const text = lines.map((l, i) => l + ends[i % ends.length]).join('');
    for (const chunking of [[], [1], [2, 5]]) {
      const got = feed('iis-w3c', Buffer.from(text), chunking, GATE);
      assert.deepEqual(decodedOutcome(got), decodedOutcome(want), JSON.stringify(ends));
      assertAccounted(got, lines.length);
    }
  }
  assert.equal(want.records.length + want.tallied.records, 3);
});

test('a #Fields change mid-file: the new layout applies, also to what the kernel counts in place', () => {
  const text =
    HEAD +
    F1 +
    LINE('03:00:01') +
    '\r\n' +
    F2 +
    '2021-03-05 04:00:00 GET /owa/ - 10.0.0.9 5.6.7.8 302\r\n' +
    LINE('04:00:01') +
    '\r\n' +
    '2021-03-05 04:00:02 POST /ecp/x - 10.0.0.9 5.6.7.8 200\r\n';
  const got = feed('iis-w3c', Buffer.from(text), [], GATE);
  // Line 5 is plain in the first layout, line 7 plain in the second; line 8 (old layout) does not fit.
  assert.equal(got.tallied.records, 2);
  assert.deepEqual(
    got.records.map((r) => r.line),
    [9],
  );
  assert.deepEqual(
    got.problems.map((p) => [p.code, p.line]),
    [['w3c.bad-line', 8]],
  );
  assertAccounted(got, 9);
});

test('a late, missing or empty #Fields: guessed layout said once, then the declared one', () => {
  const text = LINE('03:00:01') + ' - 0 0 1\r\n#Fields:\r\n' + F1 + LINE('03:00:02') + '\r\n';
  const got = feed('iis-w3c', Buffer.from(text), [], GATE);
  assert.deepEqual(
    got.problems.map((p) => [p.code, p.line]),
    [
      ['w3c.no-fields', 1],
      ['w3c.bad-fields', 2],
    ],
  );
  assert.equal(got.records.length + got.tallied.records, 2);
  assertAccounted(got, 4);
});

test('impossible or unreadable times: the record is read without a time, said, and kept out of the range', () => {
  const bad = ['2021-13-45 99:99:99', '2021-02-29 03:00:00', '0000-01-01 00:00:00', '2021-03-05 24:00:00'];
  const text =
    HEAD +
    F1 +
    [
      LINE('03:00:01'),
      ...bad.map((b) => LINE(b.slice(11)).replace('2021-03-05', b.slice(0, 10))),
      LINE('03:00:09'),
    ].join('\r\n') +
    '\r\n';
  for (const gate of [GATE, undefined]) {
    const got = feed('iis-w3c', Buffer.from(text), [], gate);
    assert.deepEqual(
      got.records.filter((r) => r.time === undefined).map((r) => r.line),
      [6, 7, 8, 9],
    );
    assert.deepEqual(
      got.problems.map((p) => [p.code, p.line]),
      bad.map((_, i) => ['w3c.bad-time', 6 + i]),
    );
    const times = [...got.records.map((r) => r.time), got.tallied.first, got.tallied.last].filter(Boolean);
    assert.ok(times.every((t) => t! >= '2021-03-05T03:00:01.000Z' && t! <= '2021-03-05T03:00:09.000Z'));
    assertAccounted(got, 10);
  }
});

test('NUL bytes, bad UTF-8: located, and the text after them is still read', () => {
  const text = Buffer.concat([
    Buffer.from(HEAD + F1 + LINE('03:00:01') + '\r\n' + LINE('03:00:02').slice(0, 20)),
    Buffer.alloc(300),
    Buffer.from('#Software: Microsoft Internet Information Services 10.0\r\n'),
    Buffer.alloc(50),
    Buffer.from('\r\n' + LINE('03:00:03', '/owa/~') + '\r\n'),
    Buffer.from(LINE('03:00:04', '/ecp/x') + '\r\n'),
  ]);
  const fixed = Buffer.from(text);
  fixed[fixed.indexOf('/owa/~') + 5] = 0xff; // a byte that is never UTF-8
  for (const chunking of [[], [1], [13]]) {
    const got = feed('iis-w3c', fixed, chunking, GATE);
    assert.deepEqual(
      got.problems.map((p) => [p.code, p.line, p.bytes]),
      [
        ['text.nul-bytes', 6, 320],
        ['text.nul-bytes', 7, 50],
        ['text.bad-encoding', 8, undefined],
      ],
    );
    assert.deepEqual(
      got.records.map((r) => r.line),
      [8, 9],
    );
    assert.equal(got.tallied.records, 1);
    assertAccounted(got, 9);
  }
});

test('a line whose end is NUL bytes (a write cut off by a crash) is read up to them', () => {
  const text =
    HEAD + F1 + LINE('03:00:01') + '\0'.repeat(10) + '\r\n' + LINE('03:00:02').slice(0, 30) + '\0\0\r\n';
  for (const chunking of [[], [1]]) {
    const got = feed('iis-w3c', Buffer.from(text), chunking, GATE);
    assert.deepEqual(
      got.problems.map((p) => [p.code, p.line, p.bytes]),
      [
        ['text.nul-bytes', 5, 10],
        ['text.nul-bytes', 6, 2],
        ['w3c.bad-line', 6, undefined],
      ],
    );
    assert.deepEqual(
      got.records.map((r) => [r.line, r.text]),
      [[5, LINE('03:00:01')]],
    );
    assertAccounted(got, 6);
  }
});
