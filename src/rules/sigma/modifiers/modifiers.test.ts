// Every modifier, positive and negative, as (rule, event, expected) triples from the modifiers appendix.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRule, tryCompileRule } from '../compile.js';
import { identityFieldMap } from '../fieldmap.js';
import type { Fields } from '../testkit.js';
import { detection, matcher, rec } from '../testkit.js';
import { base64Offsets } from './encoding.js';

type Triple = [Fields, boolean];

function check(sel: string, cases: Triple[]): void {
  const m = matcher(`  sel:\n${sel}\n  condition: sel`);
  for (const [f, want] of cases) assert.equal(m(f), want, `${sel.trim()} on ${JSON.stringify(f)}`);
}

function rejects(sel: string, re: RegExp, placeholders: Record<string, string[]> = {}): void {
  const res = tryCompileRule(
    detection(`  sel:\n${sel}\n  condition: sel`),
    identityFieldMap('*', placeholders),
  );
  assert.ok(res.error, `expected rejection of ${sel}`);
  assert.match(res.error.message, re);
  assert.equal(res.error.line > 0, true);
}

test('contains / startswith / endswith', () => {
  check('    f|contains: ecp', [
    [{ f: '/ECP/x' }, true],
    [{ f: '/owa/' }, false],
  ]);
  check('    f|startswith: /ecp', [
    [{ f: '/ecp/x' }, true],
    [{ f: 'x/ecp' }, false],
  ]);
  check('    f|endswith: .aspx', [
    [{ f: 'shell.ASPX' }, true],
    [{ f: 'shell.aspx.txt' }, false],
  ]);
  check('    EventID|startswith: 46', [
    [{ EventID: 4688 }, true],
    [{ EventID: 1 }, false],
  ]);
});

test('all: every value must match', () => {
  check("    f|contains|all: ['/ecp/', '.js']", [
    [{ f: '/ecp/y.js' }, true],
    [{ f: '/ecp/y.css' }, false],
  ]);
});

test('exists: true and false', () => {
  check('    f|exists: true', [
    [{ f: '' }, true],
    [{ f: null }, true],
    [{}, false],
  ]);
  check('    f|exists: false', [
    [{}, true],
    [{ f: 'x' }, false],
  ]);
  rejects("    f|exists: 'yes'", /boolean/);
});

test('cased: case-sensitive matching', () => {
  check('    f|cased: Evil', [
    [{ f: 'Evil' }, true],
    [{ f: 'evil' }, false],
  ]);
  check('    f|contains|cased: Evil', [
    [{ f: 'xEvilx' }, true],
    [{ f: 'xEVILx' }, false],
  ]);
});

test('neq: different from the value, strings and numbers', () => {
  check('    f|neq: a', [
    [{ f: 'b' }, true],
    [{ f: 'A' }, false],
  ]);
  check('    EventID|neq: 4688', [
    [{ EventID: 1 }, true],
    [{ EventID: 4688 }, false],
  ]);
});

test('re: case-sensitive by default; i, m, s sub-modifiers', () => {
  check("    f|re: '^/ecp/[a-z]+\\.js$'", [
    [{ f: '/ecp/y.js' }, true],
    [{ f: '/ECP/y.js' }, false],
    [{ f: '/ecp/1.js' }, false],
  ]);
  check("    f|re|i: '^/ecp/'", [
    [{ f: '/ECP/x' }, true],
    [{ f: 'x/ecp/' }, false],
  ]);
  check("    f|re|m: '^b$'", [
    [{ f: 'a\nb\nc' }, true],
    [{ f: 'ab' }, false],
  ]);
  check("    f|re|s: 'a.b'", [
    [{ f: 'a\nb' }, true],
    [{ f: 'ab' }, false],
  ]);
  check("    f|re: 'a.b'", [[{ f: 'a\nb' }, false]]);
  rejects("    f|re: '(unclosed'", /invalid regular expression/);
  rejects('    f|i: x', /sub-modifier/);
});

test('re: a leading PCRE inline flag group becomes a flag; one JavaScript lacks is refused', () => {
  check("    f|re: '(?i)^/ecp/.*\\.js$'", [
    [{ f: '/ECP/Y.JS' }, true],
    [{ f: '/owa/y.js' }, false],
  ]);
  check("    f|re: '(?is)a.b'", [[{ f: 'A\nB' }, true]]);
  rejects("    f|re: '(?x)a b'", /inline flag '\(\?x\)' has no JavaScript equivalent/);
  rejects("    f|re: 'a(?i)b'", /invalid regular expression/);
});

test('base64 and base64offset', () => {
  check('    f|base64: /bin/sh', [
    [{ f: 'L2Jpbi9zaA==' }, true],
    [{ f: 'l2jpbi9zaa==' }, false],
  ]);
  // 'http://' at each offset inside a longer encoded text.
  const enc = (s: string): string => Buffer.from(s).toString('base64');
  check('    f|base64offset|contains: http://', [
    [{ f: enc('http://evil') }, true],
    [{ f: enc('xhttp://evil') }, true],
    [{ f: enc('xyhttp://evil') }, true],
    [{ f: enc('xyzhttp://evil') }, true],
    [{ f: enc('https://evil') }, false],
  ]);
  assert.deepEqual(base64Offsets(Buffer.from('http://')), ['aHR0cDovL', 'h0dHA6Ly', 'odHRwOi8v']);
  rejects('    f|base64: a*b', /wildcards/);
});

test('utf16le / wide / utf16be / utf16 with base64offset (PowerShell -enc)', () => {
  const enc16 = (s: string): string => Buffer.from(s, 'utf16le').toString('base64');
  for (const mod of ['utf16le', 'wide']) {
    check(`    CommandLine|${mod}|base64offset|contains: 'Invoke-'`, [
      [{ CommandLine: `powershell -enc ${enc16('iex; Invoke-Expression x')}` }, true],
      [{ CommandLine: `powershell -enc ${enc16('iex; Get-Item x')}` }, false],
    ]);
  }
  const be = Buffer.from('cmd', 'utf16le').swap16().toString('base64');
  check('    f|utf16be|base64: cmd', [
    [{ f: be }, true],
    [{ f: Buffer.from('cmd', 'utf16le').toString('base64') }, false],
  ]);
  const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('cmd', 'utf16le')]).toString('base64');
  check('    f|utf16|base64: cmd', [
    [{ f: bom }, true],
    [{ f: Buffer.from('cmd', 'utf16le').toString('base64') }, false],
  ]);
});

test('windash: -, /, en dash, em dash, horizontal bar', () => {
  check("    CommandLine|windash|contains: ' -ma '", [
    [{ CommandLine: 'procdump -ma lsass' }, true],
    [{ CommandLine: 'procdump /ma lsass' }, true],
    [{ CommandLine: 'procdump \u2013ma lsass' }, true],
    [{ CommandLine: 'procdump \u2014ma lsass' }, true],
    [{ CommandLine: 'procdump \u2015ma lsass' }, true],
    [{ CommandLine: 'procdump +ma lsass' }, false],
  ]);
  check("    CommandLine|contains|windash: '-a -b'", [
    [{ CommandLine: 'x /a -b' }, true],
    [{ CommandLine: 'x -a /b' }, true],
    [{ CommandLine: 'x -a +b' }, false],
  ]);
});

test('cidr: IPv4, IPv6 and IPv4-mapped IPv6', () => {
  check("    c-ip|cidr: ['10.0.0.0/8', '192.168.1.0/24']", [
    [{ 'c-ip': '10.1.2.3' }, true],
    [{ 'c-ip': '192.168.1.77' }, true],
    [{ 'c-ip': '192.168.2.1' }, false],
    [{ 'c-ip': '::ffff:10.9.9.9' }, true],
    [{ 'c-ip': 'not-an-ip' }, false],
    [{}, false],
  ]);
  check("    ip|cidr: 'fd00::/8'", [
    [{ ip: 'fd12:3456::1' }, true],
    [{ ip: 'fe80::1' }, false],
    [{ ip: '10.0.0.1' }, false],
  ]);
  check("    ip|cidr: '2001:db8::/126'", [
    [{ ip: '2001:db8::3' }, true],
    [{ ip: '2001:db8::4' }, false],
  ]);
  rejects("    ip|cidr: '10.0.0.0/33'", /cidr/);
  rejects("    ip|cidr: 'abc'", /cidr/);
});

test('lt / lte / gt / gte', () => {
  check('    n|lt: 10', [
    [{ n: 9 }, true],
    [{ n: '9' }, true],
    [{ n: 10 }, false],
    [{ n: 'x' }, false],
  ]);
  check('    n|lte: 10', [
    [{ n: 10 }, true],
    [{ n: 11 }, false],
  ]);
  check('    n|gt: 10', [
    [{ n: 11 }, true],
    [{ n: 10 }, false],
  ]);
  check('    n|gte: 10', [
    [{ n: '10' }, true],
    [{ n: 9 }, false],
    [{}, false],
  ]);
  rejects('    n|gt: many', /numeric/);
});

test('fieldref: compare two fields of the record, with neq and positions', () => {
  check('    a|fieldref: b', [
    [{ a: 'X', b: 'x' }, true],
    [{ a: 'x', b: 'y' }, false],
    [{ a: 'x' }, false],
  ]);
  check('    a|fieldref|neq: b', [
    [{ a: 'x', b: 'y' }, true],
    [{ a: 'x', b: 'x' }, false],
  ]);
  check('    a|fieldref|endswith: b', [
    [{ a: 'c:\\x\\cmd.exe', b: 'cmd.exe' }, true],
    [{ a: 'cmd.exe.x', b: 'cmd.exe' }, false],
  ]);
});

test('expand: placeholders from the configuration, rejected when unknown', () => {
  const r = detection("  sel:\n    User|expand: '%Admins%'\n  condition: sel");
  const m = compileRule(r, identityFieldMap('*', { Admins: ['adm_*', 'root'] }));
  assert.equal(m(rec({ User: 'ADM_bob' })), true);
  assert.equal(m(rec({ User: 'root' })), true);
  assert.equal(m(rec({ User: 'bob' })), false);
  rejects("    User|expand: '%Nope%'", /placeholder '%Nope%'/);
  const lit = compileRule(
    detection("  sel:\n    f|expand: '\\%plain%x%'\n  condition: sel"),
    identityFieldMap('*', { x: ['1'] }),
  );
  assert.equal(lit(rec({ f: '%plain1' })), true);
  // Without expand, %name% is literal text.
  check("    f: '%Admins%'", [[{ f: '%admins%' }, true]]);
});

test('time modifiers: minute, hour, day, week, month, year', () => {
  const t = '2021-03-03T06:49:42Z';
  check('    ts|hour: 6', [
    [{ ts: t }, true],
    [{ ts: '2021-03-03T07:00:00Z' }, false],
  ]);
  check('    ts|minute: 49', [[{ ts: t }, true]]);
  check('    ts|day: 3', [[{ ts: t }, true]]);
  check('    ts|month: 3', [[{ ts: t }, true]]);
  check('    ts|year: 2021', [[{ ts: '2021-03-03 06:49:42' }, true]]);
  check('    ts|week: 9', [[{ ts: t }, true]]);
  check('    ts|week: 53', [[{ ts: '2021-01-01T00:00:00Z' }, true]]);
  check('    ts|hour|gte: 22', [
    [{ ts: '2021-03-03T23:10:00Z' }, true],
    [{ ts: t }, false],
    [{ ts: 'garbage' }, false],
  ]);
});

test('modifier order and combination errors reject the rule with a reason', () => {
  rejects('    f|re|contains: x', /cannot follow/);
  rejects('    f|contains|exists: true', /only modifier/);
  rejects('    f|contains|hour: 1', /must come first/);
  rejects('    f|contains|lt: 1', /cannot follow/);
});
