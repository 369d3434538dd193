// Tests for CVE-2021-27065 in ECP Server lines: whole, trimmed or cut lines, and Test-ProxyLogon's pattern kept exact.

import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { fakeRecord } from '../../core/fake-record.js';
import { ecpVdirDetector, matchesTpl27065, scriptInUrl, TPL_27065 } from './ecp-vdir.js';

const check = (text: string) => ecpVdirDetector.check(fakeRecord('ecp-server', {}, { text }), { path: 'e' });
const SCRIPT = `<script language=""JScript"" runat=""server"">function Page_Load(){eval(Request[""q7z""],""unsafe"");}</script>`;

test('the full log line: flagged, and Test-ProxyLogon would flag it too', () => {
  const line = `2021-03-02T22:14:15.221Z,EX01,ECP.Request,"S:TIME=9;'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://g/${SCRIPT}''.Identity=''x''';S:URL=/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=c1&schema=OABVirtualDirectory"`;
  const hit = check(line)?.[0];
  assert.equal(hit?.rule.id, 'exhunt.proxylogon.ecp-vdir-script');
  assert.equal(hit?.outcome, 'success');
  assert.equal(hit?.details?.testProxyLogon, 'CVE-2021-27065');
  assert.equal(hit?.details?.ecpCanary, 'c1');
});

test('a trimmed line (time and command only): flagged though Test-ProxyLogon would not', () => {
  const line = `2021-03-02T22:14:15.221Z,'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://g/${SCRIPT}''.Identity=''5e0b9d1c'''`;
  assert.equal(TPL_27065.test(line), false);
  const hit = check(line)?.[0];
  assert.equal(hit?.outcome, 'success');
  assert.equal(hit?.details?.testProxyLogon, 'no');
  assert.match(hit?.details?.cmd ?? '', /^Set-OabVirtualDirectory\.ExternalUrl='http:\/\/g\/<script/);
});

test('a line cut inside the script, without closing tag or quote: flagged', () => {
  for (const line of [
    `2021-03-02T22:14:15.221Z,'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://g/<script language=""JScript"" runat=""server"">function Page_Lo`,
    `2021-03-02T22:14:15.221Z,S:CMD=Set-OabVirtualDirectory.ExternalUrl='http://g/<%@ Page Language="Jscript"%><%eval(Request.Item["z"]`,
  ])
    assert.equal(check(line)?.[0]?.outcome, 'success', line);
});

test('administrators setting real URLs are not flagged', () => {
  for (const line of [
    `2021-03-04T10:00:00.000Z,EX01,ECP.Request,S:CMD=Set-OabVirtualDirectory.ExternalUrl='https://mail.contoso.example/OAB'.Identity='x';S:URL=/ecp/DDI/DDIService.svc/SetObject?schema=OABVirtualDirectory`,
    `2021-03-04T10:00:00.000Z,'S:CMD=Set-OwaVirtualDirectory.InternalUrl=''https://exch01/owa''.Identity=''EXCH01\\owa (Default Web Site)'''`,
    `2021-03-04T10:00:00.000Z,S:CMD=Get-OabVirtualDirectory.Identity='<x>'`,
  ])
    assert.equal(check(line), undefined, line);
  assert.equal(scriptInUrl("Set-OabVirtualDirectory.ExternalUrl='https://a/b'.Note='x < y'"), false);
});

test('matchesTpl27065 agrees with the script pattern on every short line', () => {
  const token = fc.constantFrom(
    'Set-',
    'set-o',
    'VirtualDirectory',
    'url',
    'Url=',
    '<a>',
    '<b ',
    '>',
    '</a>',
    '</>',
    '<',
    'x',
    ' ',
    '\n',
  );
  fc.assert(
    fc.property(fc.array(token, { maxLength: 14 }), (parts) => {
      const s = parts.join('');
      assert.equal(matchesTpl27065(s), TPL_27065.test(s), JSON.stringify(s));
    }),
    { numRuns: 3000 },
  );
});

test('hostile lines that would stall the script pattern are decided at once', { timeout: 20_000 }, () => {
  const lines = [
    'S:CMD=Set-OabVirtualDirectory.ExternalUrl=' + '<a>'.repeat(200_000),
    'Set-xVirtualDirectory' + 'Url<a>b</a>'.repeat(100_000),
    'Set-' + 'VirtualDirectory Url='.repeat(100_000),
  ];
  for (const l of lines) check(l);
  assert.equal(matchesTpl27065(lines[1]!), false);
});
