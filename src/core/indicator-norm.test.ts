import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseAddress, normaliseFileName, normaliseHash, normaliseUserAgent } from './indicator-norm.js';

test('a user agent as IIS (+ for spaces) and as HttpProxy (commas as spaces) is one value', () => {
  const iis = 'Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)';
  const proxy = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML  like Gecko)';
  const raw = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)';
  assert.equal(normaliseUserAgent(iis), normaliseUserAgent(proxy));
  assert.equal(normaliseUserAgent(raw), normaliseUserAgent(iis));
  assert.equal(normaliseUserAgent('  Python-Requests/2.25.1 '), 'python-requests/2.25.1');
  assert.notEqual(normaliseUserAgent('curl/7.1'), normaliseUserAgent('curl/7.2'));
});

test('addresses: one form for IPv4-mapped, bracketed, with port, and IPv6 case and zero runs', () => {
  assert.equal(normaliseAddress('::ffff:203.0.113.7'), '203.0.113.7');
  assert.equal(normaliseAddress('::FFFF:203.0.113.7'), '203.0.113.7');
  assert.equal(normaliseAddress('203.0.113.7:4431'), '203.0.113.7');
  assert.equal(normaliseAddress(' 203.0.113.7 '), '203.0.113.7');
  assert.equal(normaliseAddress('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
  assert.equal(normaliseAddress('[2001:db8::1]:443'), '2001:db8::1');
  assert.equal(normaliseAddress('300.1.1.1'), undefined);
  assert.equal(normaliseAddress('not an address'), undefined);
  assert.equal(normaliseAddress('fe80::1%eth0'), undefined);
});

test('webshell and tool names are case-folded file names; hashes lower case', () => {
  assert.equal(normaliseFileName('C:\\inetpub\\wwwroot\\aspnet_client\\Shell.ASPX'), 'shell.aspx');
  assert.equal(normaliseFileName('FrontEnd/HttpProxy/owa/auth/shell.aspx'), 'shell.aspx');
  assert.equal(normaliseFileName('ProcDump64.exe'), normaliseFileName('procdump64.EXE'));
  assert.equal(normaliseHash(' ABCDEF '), 'abcdef');
});
