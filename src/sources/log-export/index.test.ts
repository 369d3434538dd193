// Tests for recognising exported logs: by their header's columns anywhere, by their folder among native logs.

import assert from 'node:assert/strict';
import test from 'node:test';
import { sourceForHead, sourceForPath } from '../registry.js';
import { columnKey } from './profiles.js';

test('each log is known by its columns, whoever spelled them', () => {
  const cases: [string, string | undefined][] = [
    ['#TYPE x\r\n"DateTime","RequestId","AnchorMailbox","UrlStem","HttpStatus","Method"', 'httpproxy-export'],
    ['DateTime;UrlStem;TargetServer;ProtocolAction;HttpStatus', 'httpproxy-export'],
    ['TimeGenerated,AnchorMailbox_s,UrlStem_s,HttpStatus_d', 'httpproxy-export'],
    ['TimeStamp,ServerName,EventId,EventData', 'ecp-server-export'],
    [
      'date,time,s-ip,cs-method,cs-uri-stem,cs-uri-query,s-port,c-ip,cs(User-Agent),sc-status',
      'iis-w3c-export',
    ],
    ['_time\tcs_method\tcs_uri_stem\tc_ip\tsc_status', 'iis-w3c-export'],
    ['DateTime,UrlStem,HttpStatus,CommandName,ClientInfo', 'rps-http-export'],
    ['DateTime,Cmdlet,Parameters,AuthenticatedUser', 'rps-cmdlet-export'],
    ['Name,Phone,Email', undefined],
    ['2021-03-03T06:49:46.210Z,r1,ServerInfo~a/b', undefined], // data, not a header
  ];
  for (const [head, id] of cases) assert.equal(sourceForHead(Buffer.from(`${head}\r\n`))?.id, id, head);
  // A log with its own directives stays with the native reader.
  const native =
    '#Software: Microsoft Exchange Server\r\n#Log-type: HttpProxy Logs\r\n#Fields: DateTime,AnchorMailbox\r\n';
  assert.equal(sourceForHead(Buffer.from(native))?.id, 'httpproxy');
});

test('a table among native logs is claimed by its folder; a .log there stays native', () => {
  const cases: [string, string | undefined][] = [
    ['C/Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Owa/export.csv', 'httpproxy-export'],
    ['Logging/ECP/Server/ecp.tsv', 'ecp-server-export'],
    ['inetpub/logs/LogFiles/W3SVC2/u_ex210303.csv', 'iis-w3c-export'],
    ['logs/Rps_Http_2022110210-1.csv', 'rps-http-export'],
    ['Logging/HttpProxy/Owa/HttpProxy_2021030306-1.LOG', 'httpproxy'],
    ['Logging/HttpProxy/Owa/readme.txt', undefined],
  ];
  for (const [p, id] of cases) assert.equal(sourceForPath(p.toLowerCase())?.id, id, p);
  const def = sourceForPath('logging/httpproxy/owa/export.csv');
  assert.equal(def?.dataOf, 'httpproxy');
  assert.equal(def?.family('logging/httpproxy/owa/export.csv', Buffer.alloc(0)), 'HttpProxy/Owa');
});

test('column keys meet across spellings', () => {
  assert.deepEqual(
    [
      'ClientIPAddress',
      'clientIpAddress',
      'cs(User-Agent)',
      'cs_User_Agent',
      'csUserAgent',
      '"AnchorMailbox_s"',
    ].map(columnKey),
    ['clientipaddress', 'clientipaddress', 'csuseragent', 'csuseragent', 'csuseragent', 'anchormailbox'],
  );
});
