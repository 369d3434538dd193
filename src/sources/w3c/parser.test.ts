// Tests for the W3C parser: #Fields re-read mid-file, `+` and `-`, CRLF, BOM, bad and truncated lines.

import assert from 'node:assert/strict';
import test from 'node:test';
import { parseWith } from '../parse-text.js';

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
