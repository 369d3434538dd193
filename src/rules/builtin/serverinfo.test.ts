// Tests for the HttpProxy ServerInfo~ detector: Test-ProxyLogon's exclusions, the blog query, each stage.

import assert from 'node:assert/strict';
import test from 'node:test';
import { fakeRecord } from '../../core/fake-record.js';
import { blogQuery26855, serverInfoDetector, testProxyLogon26855 } from './serverinfo.js';

const row = (anchor: string, status: number, user = '') =>
  fakeRecord('httpproxy', {
    AnchorMailbox: anchor,
    HttpStatus: String(status),
    AuthenticatedUser: user,
    Method: 'POST',
    UrlStem: '/ecp/y.js',
    ClientIpAddress: '130.255.189.21',
  });

test('Test-ProxyLogon parity: ServerInfo~*/* minus autodiscover and localhost', () => {
  assert.equal(testProxyLogon26855('ServerInfo~a]@ex.local:444/mapi/emsmdb/?#'), true);
  assert.equal(testProxyLogon26855('serverinfo~A]@EX:444/ecp/proxyLogon.ecp?#'), true);
  assert.equal(testProxyLogon26855('ServerInfo~a]@ex.local:444/autodiscover/autodiscover.xml?#'), false);
  assert.equal(testProxyLogon26855('ServerInfo~localhost/owa/auth/logon.aspx?'), false);
  assert.equal(testProxyLogon26855('ServerInfo~nohostpath'), false);
  assert.equal(testProxyLogon26855('Sid~S-1-5-21'), false);
});

test('the blog query needs an empty AuthenticatedUser and keeps the excluded rows', () => {
  const a = 'ServerInfo~localhost/owa/auth/logon.aspx?';
  assert.equal(blogQuery26855(row(a, 200), a), true);
  assert.equal(blogQuery26855(row(a, 200, 'CORP\\admin'), a), false);
});

test('classifies each row into its ProxyLogon stage and outcome', () => {
  const cases: [string, number, string, string][] = [
    ['ServerInfo~localhost/owa/auth/logon.aspx?', 200, 'exhunt.proxylogon.scanner-probe', 'probe'],
    ['ServerInfo~a]@ex:444/autodiscover/autodiscover.xml?#', 200, 'exhunt.proxylogon.ssrf-recon', 'attempt'],
    ['ServerInfo~a]@ex:444/mapi/emsmdb/?#', 200, 'exhunt.proxylogon.sid-theft', 'success'],
    ['ServerInfo~a]@ex:444/ecp/proxyLogon.ecp?#', 241, 'exhunt.proxylogon.ecp-session', 'success'],
    ['ServerInfo~a]@ex:444/ecp/proxyLogon.ecp?#', 500, 'exhunt.proxylogon.ecp-session', 'attempt'],
    [
      'ServerInfo~a]@ex:444/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=c1&schema=OABVirtualDirectory#',
      200,
      'exhunt.proxylogon.set-vdir',
      'success',
    ],
    [
      'ServerInfo~a]@ex:444/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=c1&schema=ResetOABVirtualDirectory#',
      200,
      'exhunt.proxylogon.reset-vdir',
      'compromise',
    ],
    [
      'ServerInfo~a]@ex:444/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=c1&schema=ResetOABVirtualDirectory#',
      500,
      'exhunt.proxylogon.reset-vdir',
      'attempt',
    ],
    ['ServerInfo~a]@ex:444/ews/exchange.asmx?#', 200, 'exhunt.proxylogon.ssrf', 'success'],
  ];
  for (const [anchor, status, id, outcome] of cases) {
    const hits = serverInfoDetector.check(row(anchor, status), { path: 'p' });
    assert.equal(hits?.length, 1, anchor);
    assert.equal(hits?.[0]?.rule.id, id, anchor);
    assert.equal(hits?.[0]?.outcome, outcome, `${anchor} ${status}`);
    assert.deepEqual(hits?.[0]?.sourceIps, ['130.255.189.21']);
  }
  const reset = serverInfoDetector.check(row(cases[6]![0], 200), { path: 'p' })?.[0];
  assert.equal(reset?.details?.ecpCanary, 'c1');
  assert.equal(reset?.details?.testProxyLogon, 'CVE-2021-26855 CVE-2021-27065');
});

test('ignores ordinary anchor mailboxes', () => {
  assert.equal(serverInfoDetector.check(row('Sid~S-1-5-21-1-2-3-500', 200), { path: 'p' }), undefined);
  assert.equal(serverInfoDetector.check(row('SMTP:user@corp.example', 200), { path: 'p' }), undefined);
});
