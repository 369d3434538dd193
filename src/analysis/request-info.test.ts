// Facts read from findings: W3C request fields, SSRF back-end paths, the X-Rps-CAT identity, addresses.

import assert from 'node:assert/strict';
import test from 'node:test';
import { isPrivateAddress } from '../core/ip.js';
import { w3cServerAddress } from './addresses.js';
import { backendPathOf, proxyShellPath, requestFacts, rpsCatIdentity, w3cRequest } from './request-info.js';
import { normaliseWindowsPath, serverPathOf } from './server-paths.js';
import { finding } from './testkit.js';

test('a W3C line gives method, stem, query and status; a CSV row does not pass for one', () => {
  const line =
    '2021-03-05 03:06:27 10.10.1.15 GET /owa/auth/RedirSuiteServerProxy.aspx &CorrelationID=<empty>;&cafeReqId=cde28fc4-1111-2222-3333-444455556666;&encoding=; 443 - 139.162.202.236 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 133';
  assert.deepEqual(w3cRequest(line), {
    method: 'GET',
    stem: '/owa/auth/RedirSuiteServerProxy.aspx',
    query: '&CorrelationID=<empty>;&cafeReqId=cde28fc4-1111-2222-3333-444455556666;&encoding=;',
    status: 200,
  });
  assert.equal(w3cServerAddress(line), '10.10.1.15');
  assert.equal(w3cRequest('2021-03-03T06:49:42.162Z,652377b6,15,1,POST'), undefined);
  const f = requestFacts(finding({ excerpt: line }));
  assert.deepEqual(f.requestIds, ['cde28fc4-1111-2222-3333-444455556666']);
  assert.equal(f.status, 200);
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
  const f = requestFacts(finding({ details: { anchorMailbox: 'Smtp~ceo@corp.example', httpStatus: '200' } }));
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
