// Facts read from findings: W3C request fields, SSRF back-end paths, the X-Rps-CAT identity, addresses.

import assert from 'node:assert/strict';
import test from 'node:test';
import { isPrivateAddress } from '../core/ip.js';
import { serverAddressOf } from './addresses.js';
import { backendPathOf, proxyShellPath, requestFacts, rpsCatIdentity } from './request-info.js';
import { normaliseWindowsPath, serverPathOf } from './server-paths.js';
import type { Hit } from '../core/detector.js';
import { toFinding } from '../engine/read-artifact.js';
import { parseWith } from '../sources/parse-text.js';
import { finding } from './testkit.js';

test('a W3C line read by the parser gives method, path, query, status and the cafeReqId', () => {
  const line =
    '2021-03-05 03:06:27 10.10.1.15 GET /owa/auth/RedirSuiteServerProxy.aspx &CorrelationID=<empty>;&cafeReqId=cde28fc4-1111-2222-3333-444455556666;&encoding=; 443 - 139.162.202.236 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 133';
  const fd = finding({ excerpt: line });
  assert.deepEqual(fd.request, {
    method: 'GET',
    path: '/owa/auth/RedirSuiteServerProxy.aspx',
    query: '&CorrelationID=<empty>;&cafeReqId=cde28fc4-1111-2222-3333-444455556666;&encoding=;',
    status: 200,
    userAgent: 'Mozilla/5.0 (Windows NT 10.0)',
    requestId: 'cde28fc4-1111-2222-3333-444455556666',
    clientIp: '139.162.202.236',
    serverIp: '10.10.1.15',
    port: 443,
    timeTaken: 133,
  });
  assert.equal(serverAddressOf(fd), '10.10.1.15');
  const f = requestFacts(fd);
  assert.deepEqual(f.requestIds, ['cde28fc4-1111-2222-3333-444455556666']);
  assert.equal(f.status, 200);
});

test('a URL longer than the excerpt keeps its status: facts come from the record, not the cut excerpt', () => {
  const header =
    '#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken\r\n';
  const line = `2021-03-05 03:06:27 10.10.1.15 GET /ecp/y.js x=${'A'.repeat(3000)} 443 - 203.0.113.9 curl/7.0 241 0 0 15`;
  const r = parseWith('iis-w3c', 'W3SVC1/u_ex210305.log', `${header}${line}\r\n`).records[0];
  assert.ok(r);
  const hit: Hit = {
    rule: { id: 'test.rule', title: 'Test rule', author: 'exhunt', source: 'exhunt' },
    severity: 'high',
    cves: [],
    stage: 'exploit',
    outcome: 'attempt',
    sourceIps: [],
  };
  const f = toFinding(hit, r, 'W3SVC1/u_ex210305.log');
  // The excerpt is cut at 2,048 characters, before the status: what reading the excerpt used to lose.
  assert.ok(!(f.evidence[0]?.excerpt ?? '').includes(' 241 '));
  assert.equal(f.request?.status, 241);
  assert.equal(f.request?.timeTaken, 15);
  const fx = requestFacts(f);
  assert.equal(fx.status, 241);
  assert.equal(fx.url, '/ecp/y.js');
  assert.equal(fx.method, 'GET');
});

test('the back-end path of a ProxyLogon anchor and of a ProxyShell URL', () => {
  assert.equal(backendPathOf('ServerInfo~a]@EXCH01.corp.local:444/mapi/emsmdb/?#'), '/mapi/emsmdb/');
  assert.equal(backendPathOf('ServerInfo~a]@ex:444/EWS/Exchange.asmx?#'), '/ews/exchange.asmx');
  assert.equal(backendPathOf('Smtp~user@corp.example'), undefined);
  assert.equal(
    proxyShellPath(
      '/autodiscover/autodiscover.json?@evil.com/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.com',
    ),
    '/mapi/nspi/',
  );
  assert.equal(
    proxyShellPath('/autodiscover/autodiscover.json?a=dsxvu@fnsso.flq/powershell/?X-Rps-CAT=VgEA'),
    '/powershell/',
  );
  assert.equal(proxyShellPath('/owa/auth/logon.aspx'), undefined);
  const f = requestFacts(finding({ request: { anchorMailbox: 'Smtp~ceo@corp.example', status: 200 } }));
  assert.equal(f.mailbox, 'ceo@corp.example');
});

test('the account a ProxyShell X-Rps-CAT token impersonates', () => {
  const name = 'administrator@corp.local';
  const token = Buffer.concat([
    Buffer.from('V\x01\x00T\x07WindowsC\x00A\x08Kerberos', 'latin1'),
    Buffer.from([0x4c, name.length]),
    Buffer.from(name),
    Buffer.from('U\x0cS-1-5-21-1-2', 'latin1'),
  ]).toString('base64');
  assert.equal(rpsCatIdentity(`/powershell/?X-Rps-CAT=${encodeURIComponent(token)}&x=1`), name);
  assert.equal(rpsCatIdentity('/powershell/?X-Rps-CAT=!!!'), undefined);
});

test('private ranges, and evidence paths mapped back to the server', () => {
  for (const ip of [
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '127.0.0.1',
    '100.64.0.1',
    '169.254.1.1',
    'fd00::1',
    'fe80::1',
    '::1',
    '::ffff:10.0.0.1',
  ])
    assert.equal(isPrivateAddress(ip), true, ip);
  for (const ip of ['172.32.0.1', '203.0.113.5', '8.8.8.8', '2001:db8::1', '100.128.0.1'])
    assert.equal(isPrivateAddress(ip), false, ip);
  assert.equal(
    serverPathOf('EXCH01/Program Files/Microsoft/x.aspx'),
    '%SystemDrive%\\Program Files\\Microsoft\\x.aspx',
  );
  assert.equal(
    serverPathOf('inetpub/wwwroot/aspnet_client/a.aspx'),
    '%SystemDrive%\\inetpub\\wwwroot\\aspnet_client\\a.aspx',
  );
  assert.equal(serverPathOf('collected/webfiles/a.aspx'), undefined);
  assert.equal(
    normaliseWindowsPath("'\\\\127.0.0.1\\c$\\inetpub\\wwwroot\\a.aspx'"),
    'C:\\inetpub\\wwwroot\\a.aspx',
  );
  assert.equal(normaliseWindowsPath('\\\\10.0.0.9\\share\\a.aspx'), '\\\\10.0.0.9\\share\\a.aspx');
});
