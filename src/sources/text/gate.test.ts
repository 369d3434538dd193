// Tests for gated parsing: lines the gate misses are counted in place, still checked, and their times kept.

import assert from 'node:assert/strict';
import test from 'node:test';
import { parseWith } from '../parse-text.js';

const gate = (text: string) => ({ literals: [{ text, mask: 4 }], all: false });

const W3C =
  '#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time cs-method cs-uri-stem sc-status\r\n' +
  '2021-03-05 03:00:02 GET /owa/ 200\r\n' +
  '2021-03-05 02:59:59 POST /ecp/y.js 200\r\n' +
  '2021-03-05 03:10:00 GET /owa/ 200\r\n' +
  '2021-03-05 03:10:01 GET broken\r\n' +
  '2021-03-05 01:00:00 GET /owa/ 302\r\n';

test('W3C: gated lines become records, the rest are counted with their time range, bad lines still reported', () => {
  for (const chunk of [7, 64, 1 << 16]) {
    const p = parseWith('iis-w3c', 'u_ex.log', W3C, chunk, gate('y.js'));
    assert.deepEqual(
      p.records.map((r) => r.get('cs-uri-stem')),
      ['/ecp/y.js'],
      `chunk ${chunk}`,
    );
    assert.equal(p.tallied.records, 3);
    assert.equal(p.tallied.firstTime, '2021-03-05T01:00:00.000Z');
    assert.equal(p.tallied.lastTime, '2021-03-05T03:10:00.000Z');
    assert.deepEqual(
      p.problems.map((x) => [x.code, x.line]),
      [['w3c.bad-line', 6]],
    );
    assert.equal(p.records[0]?.line, 4);
    // The line came through the gate: its record says which matcher's literal it holds.
    assert.equal(p.records[0]?.gate, 4);
  }
});

const CSV =
  'DateTime,UrlStem,AnchorMailbox\r\n#Software: Microsoft Exchange Server\r\n#Fields: DateTime,UrlStem,AnchorMailbox\r\n' +
  '2021-03-03T06:00:00.000Z,/owa/,Sid~S-1\r\n' +
  '2021-03-03T06:49:42.162Z,/ecp/y.js,ServerInfo~a]@x:444/mapi/emsmdb?#\r\n' +
  '2021-03-03T07:00:00.000Z,"/owa/",Sid~S-2\r\n' +
  'DateTime,UrlStem,AnchorMailbox\r\n' +
  '2021-03-03T08:00:00.000Z,/owa/\r\n';

test('CSV: quoted rows and repeated headers take the full path; short rows are reported', () => {
  const p = parseWith('httpproxy', 'HttpProxy_x.LOG', CSV, 11, gate('serverinfo~'));
  // The short row is read with the columns it has (and reported), like the others that are not plain.
  assert.deepEqual(
    p.records.map((r) => r.line),
    [5, 6, 8],
  );
  // Found in the row itself; the quoted row was not gated (it never is plain) and holds no literal.
  assert.deepEqual(
    p.records.map((r) => r.gate),
    [4, 0, 0],
  );
  assert.equal(p.tallied.records, 1);
  assert.deepEqual(
    p.problems.map((x) => [x.code, x.line]),
    [['csv.short-row', 8]],
  );
});
