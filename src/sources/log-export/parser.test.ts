// Tests for exported logs: Export-Csv in its forms and encodings, SIEM column names, every unusable file located.

import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { parseWith } from '../parse-text.js';
import { MAX_LINE_BYTES } from './lines.js';

const crlf = (lines: string[]) => lines.map((l) => `${l}\r\n`).join('');
const codes = (ps: { code: string; line?: number }[]) => ps.map((p) => [p.code, p.line]);

const PS5 = crlf([
  '#TYPE Selected.System.Management.Automation.PSCustomObject',
  '"DateTime","RequestId","ClientIPAddress","UrlStem","UrlQuery","UserAgent","AnchorMailbox","HttpStatus"',
  '"2021-03-03T06:49:46.210Z","r1","198.51.100.23","/ecp/x.js","a=1","python-requests/2.25.1","ServerInfo~b]@ex:444/ecp/proxyLogon.ecp?#","241"',
  '"2021-03-03T06:49:47.000Z","r2","198.51.100.23","/owa/","","Mozilla/5.0 (Windows NT 10.0; ""x"")","","200"',
]);

test('Export-Csv (Windows PowerShell 5): #TYPE, quoted header and values, columns by their native names', () => {
  const { records, problems } = parseWith('httpproxy-export', 'export/httpproxy.csv', PS5);
  assert.deepEqual(problems, []);
  assert.equal(records.length, 2);
  const [a, b] = records;
  assert.equal(a?.source, 'httpproxy');
  assert.equal(a?.line, 3);
  assert.equal(a?.time, '2021-03-03T06:49:46.210Z');
  assert.equal(a?.get('ClientIpAddress'), '198.51.100.23'); // Test-ProxyLogon spells it ClientIPAddress
  assert.equal(a?.get('AnchorMailbox'), 'ServerInfo~b]@ex:444/ecp/proxyLogon.ecp?#');
  assert.equal(a?.get('Uri'), '/ecp/x.js?a=1');
  assert.equal(b?.get('UserAgent'), 'Mozilla/5.0 (Windows NT 10.0; "x")');
  assert.equal(b?.get('Method'), undefined);
});

test('the same rows read alike without #TYPE, with `;`, in UTF-16 and in any chunking', () => {
  const ps7 = PS5.split('\r\n').slice(1).join('\r\n');
  const culture = ps7.replace(/","/g, '";"');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(PS5, 'utf16le')]);
  const utf8bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(PS5)]);
  for (const [name, input, first] of [
    ['PowerShell 7', ps7, 2],
    ['-UseCulture', culture, 2],
    ['UTF-16 LE', utf16, 3],
    ['UTF-8 BOM', utf8bom, 3],
  ] as const) {
    const { records, problems } = parseWith('httpproxy-export', 'h.csv', input, 7);
    assert.deepEqual(problems, [], name);
    assert.deepEqual(
      records.map((r) => [r.line, r.time, r.get('HttpStatus'), r.get('UserAgent')]),
      [
        [first, '2021-03-03T06:49:46.210Z', '241', 'python-requests/2.25.1'],
        [first + 1, '2021-03-03T06:49:47.000Z', '200', 'Mozilla/5.0 (Windows NT 10.0; "x")'],
      ],
      name,
    );
  }
});

test('IIS exported by a SIEM: Sentinel and Splunk column names map to the W3C ones', () => {
  const sentinel = crlf([
    'TimeGenerated,csMethod,csUriStem,csUriQuery,sPort,cIP,csUserAgent,scStatus,csUserName',
    '"3/5/2021, 4:11:02.000 AM",GET,/owa/auth/RedirSuiteServerProxy.aspx,&cafeReqId=8a1e77c2-0c1d-4b7a-b0a1-000000000101;,443,203.0.113.77,Mozilla/5.0+(Windows+NT+10.0),200,-',
  ]);
  const { records, problems } = parseWith('iis-w3c-export', 'siem/iis.csv', sentinel);
  assert.deepEqual(problems, []);
  const r = records[0];
  assert.equal(r?.source, 'iis-w3c');
  assert.equal(r?.time, '2021-03-05T04:11:02.000Z');
  assert.equal(r?.get('cs-uri-stem'), '/owa/auth/RedirSuiteServerProxy.aspx');
  assert.equal(r?.get('cs(User-Agent)'), 'Mozilla/5.0 (Windows NT 10.0)');
  assert.equal(r?.get('c-ip'), '203.0.113.77');
  assert.equal(r?.get('cs-username'), null);
  assert.equal(
    r?.get('cs-uri'),
    '/owa/auth/RedirSuiteServerProxy.aspx?&cafeReqId=8a1e77c2-0c1d-4b7a-b0a1-000000000101;',
  );
  const splunk = crlf([
    'date,time,cs_method,cs_uri_stem,c_ip,sc_status',
    '2021-03-05,04:11:02,GET,/x.aspx,203.0.113.77,200',
  ]);
  const s = parseWith('iis-w3c-export', 'siem/iis.csv', splunk);
  assert.deepEqual(s.problems, []);
  assert.equal(s.records[0]?.time, '2021-03-05T04:11:02.000Z');
  assert.equal(s.records[0]?.get('sc-status'), '200');
});

test('ECP Server rows: event data keys, also when pasted with its commas unquoted', () => {
  const text = crlf([
    'TimeStamp,EventData',
    `2021-03-02T22:14:15.221Z,"S:TIME=12;'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://g/<script>eval(Request[""q""],""unsafe"");</script>''';S:URL=/ecp/DDI/DDIService.svc/SetObject"`,
    `2021-03-02T22:14:16.000Z,S:CMD=Get-Mailbox.Identity=a,b;S:URL=/ecp/x`,
  ]);
  const { records, problems } = parseWith('ecp-server-export', 'Logging/ECP/Server/e.csv', text);
  assert.deepEqual(problems, []);
  assert.match(String(records[0]?.get('CMD')), /^Set-OabVirtualDirectory\.ExternalUrl='http:\/\/g\/<script>/);
  assert.equal(records[0]?.get('URL'), '/ecp/DDI/DDIService.svc/SetObject');
  assert.equal(records[1]?.get('EventData'), 'S:CMD=Get-Mailbox.Identity=a,b;S:URL=/ecp/x');
  assert.equal(records[1]?.get('CMD'), 'Get-Mailbox.Identity=a,b');
});

test('a quoted value over several lines is one row, cited at its first line', () => {
  const text = crlf([
    '#TYPE Selected.System.Diagnostics.Eventing.Reader.EventLogRecord',
    '"TimeCreated","MachineName","Message"',
    '"3/2/2021 11:20:31 PM","EX01","first line',
    'System.InvalidCastException: x',
    '   at y"',
    '"3/2/2021 11:21:00 PM","EX01","one line"',
  ]);
  const { records, problems } = parseWith('tpl-26857', 'o/EX01-Cve-2021-26857.csv', text);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    records.map((r) => [r.line, r.time]),
    [
      [3, undefined],
      [6, undefined],
    ],
  );
  assert.match(String(records[0]?.get('Message')), /^first line\nSystem\.InvalidCastException: x\n {3}at y$/);
  assert.equal(records[0]?.get('TimeCreatedLocal'), '2021-03-02T23:20:31.000');
});

test('every way a file can yield nothing is a located problem', () => {
  const cases: [string, string, string, (string | number)[][], number][] = [
    [
      'httpproxy-export',
      'Logging/HttpProxy/Ecp/notes.csv',
      'name,phone\r\nann,123\r\n',
      [['export.no-header', 1]],
      0,
    ],
    [
      'httpproxy-export',
      'Logging/HttpProxy/Ecp/iis.csv',
      'date,time,cs-uri-stem,sc-status\r\n2021-03-03,01:00:00,/,200\r\n',
      [['export.other-log', 1]],
      0,
    ],
    [
      'httpproxy-export',
      'h.csv',
      '#TYPE x\r\n"DateTime","AnchorMailbox","UrlStem","HttpStatus"\r\n',
      [['export.no-rows', 2]],
      0,
    ],
    ['httpproxy-export', 'h.csv', '#TYPE x\r\n\r\n', [['export.no-rows', 2]], 0],
    [
      'httpproxy-export',
      'h.csv',
      'DateTime,AnchorMailbox,UrlStem,HttpStatus\r\n2021-03-03T01:00:00Z,a,b,200,x,y\r\n2021-03-03T01:00:01Z,a,b,200,z\r\n',
      [
        ['export.bad-row', 2],
        ['export.bad-row', 3],
        ['export.no-records', 3],
      ],
      0,
    ],
    [
      'httpproxy-export',
      'h.csv',
      'DateTime,AnchorMailbox,RoutingHint\r\n2021-03-03T01:00:00Z,ServerInfo~a/b,x\r\n',
      [['export.missing-columns', 1]],
      1,
    ],
    ['httpproxy-export', 'h.csv', 'RoutingHint,BackEndCookie\r\nx,y\r\n', [['export.no-columns', 1]], 1],
    [
      'httpproxy-export',
      'h.csv',
      'DateTime,AnchorMailbox,UrlStem,HttpStatus\r\n2021-03-03T01:00:00Z,ServerInfo~a/b\r\nnot a time,a,b,200\r\n03/05/2021 10:00,a,b,200\r\n',
      [
        ['export.short-row', 2],
        ['export.bad-time', 3],
        ['export.ambiguous-time', 4],
      ],
      3,
    ],
    [
      'httpproxy-export',
      'h.csv',
      'DateTime,AnchorMailbox,UrlStem,HttpStatus\r\n"2021-03-03T01:00:00Z,a',
      [
        ['export.unclosed-quote', 2],
        ['export.no-rows', 2],
      ],
      0,
    ],
    [
      'ecp-server-export',
      'Logging/ECP/Server/e.csv',
      "2021-03-02T22:14:15.221Z,'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://g/<script>''\r\n",
      [['export.headerless', 1]],
      1,
    ],
  ];
  for (const [source, path, text, want, n] of cases) {
    const { records, problems } = parseWith(source, path, text);
    assert.deepEqual(codes(problems), want, `${path}: ${text.slice(0, 60)}`);
    assert.equal(records.length, n, `${path}: ${text.slice(0, 60)}`);
    for (const p of problems) assert.equal(p.path, path);
  }
});

test('a stray quote costs its own row: the next row that starts with a time ends it', () => {
  const rows = Array.from(
    { length: 3000 },
    (_, i) => `"2021-03-03T01:00:${String(i % 60).padStart(2, '0')}.000Z","r${i}","/owa/","200"`,
  );
  rows[10] = '"2021-03-03T00:59:59.000Z","r-stray","/owa/"x"y,"200"';
  rows.push('"2021-03-03T02:00:00.000Z","last","ServerInfo~a]@x:444/ecp/proxyLogon.ecp?#","241"');
  const text = crlf(['"DateTime","RequestId","AnchorMailbox","HttpStatus"', ...rows]);
  const { records, problems } = parseWith('httpproxy-export', 'h.csv', text);
  assert.deepEqual(codes(problems), [
    ['export.missing-columns', 1],
    ['export.unclosed-quote', 12],
  ]);
  assert.equal(records.length, 3000);
  assert.equal(records.at(-1)?.get('RequestId'), 'last');
});

test('a line past the length limit is reported and skipped, the next one read', () => {
  const long = 'x'.repeat(MAX_LINE_BYTES + 10);
  const text = `DateTime,AnchorMailbox,UrlStem,HttpStatus\r\n${long}\r\n2021-03-03T01:00:00Z,a,b,200\r\n`;
  const { records, problems } = parseWith('httpproxy-export', 'h.csv', text, 1 << 20);
  assert.deepEqual(codes(problems), [['export.long-line', 2]]);
  assert.equal(records[0]?.line, 3);
});

test('property: chunk edges never change what is read, and no input throws', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 64 }), (size) => {
      const whole = parseWith('httpproxy-export', 'h.csv', PS5);
      const cut = parseWith('httpproxy-export', 'h.csv', PS5, size);
      assert.deepEqual(
        cut.records.map((r) => [r.line, r.text()]),
        whole.records.map((r) => [r.line, r.text()]),
      );
    }),
    { numRuns: 64 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 1, max: 50 }), (bytes, size) => {
      const head = Buffer.from('"DateTime","AnchorMailbox","UrlStem","HttpStatus"\r\n');
      const r = parseWith('httpproxy-export', 'h.csv', Buffer.concat([head, Buffer.from(bytes)]), size);
      for (const rec of r.records) rec.get('AnchorMailbox');
    }),
    { numRuns: 200 },
  );
});
