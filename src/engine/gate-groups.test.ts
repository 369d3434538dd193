// The gate's groups and clauses: a line runs only the Sigma rules whose literals it holds, the kernel drops a
// bit when a rule's other needs are missing, and the findings are exactly those of the JavaScript-only path.

import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import type { Hit } from '../core/detector.js';
import type { LineGate } from '../core/source.js';
import { literalClauses } from '../rules/sigma/index.js';
import { parseWith } from '../sources/parse-text.js';
import { params } from '../sources/text/testing/fuzz.js';
import { MatcherSet } from './matchers.js';
import { createRuleSet } from './ruleset.js';
import { loadSigmaMatchers } from './sigma.js';

const sigma = await loadSigmaMatchers({ builtinRules: true, rulePaths: [], mappingPaths: [] });
const rules = createRuleSet((s) => sigma.forSource(s));

const PROXYSHELL = '78bfee77-4591-4481-a2ce-a8f324772475';
const PROXYNOTSHELL = '380d717f-0ef1-4514-9abb-59d359ad7704';

test('ProxyShell needs autodiscover.json and also one of its back-end paths; ProxyNotShell also powershell', () => {
  const rule = (id: string) => sigma.packs.rules.find((r) => r.id === id)!;
  const shell = literalClauses(rule(PROXYSHELL))!;
  assert.deepEqual(shell.any, ['autodiscover.json']);
  // `@` alone is on every Autodiscover request: too short to keep; the back-end set cuts.
  assert.ok(shell.also.some((s) => s.includes('/powershell') && s.includes('/mapi/nspi')));
  assert.ok(shell.also.every((s) => s.every((l) => l.length >= 4)));
  const notShell = literalClauses(rule(PROXYNOTSHELL))!;
  assert.deepEqual(notShell.any, ['autodiscover.json']);
  assert.deepEqual(notShell.also, [['powershell']]);
});

test('the Sigma rules of a source get a gate bit per group, with their clauses', () => {
  const gate = rules.forSource('iis-w3c').gate();
  const bitsOf = (text: string) => new Set(gate.literals.filter((l) => l.text === text).map((l) => l.mask));
  // autodiscover.json: ProxyShell (two rules, same needs) and ProxyNotShell; /ecp/ has a bit of its own.
  assert.equal(bitsOf('autodiscover.json').size, 2);
  const ecp = [...bitsOf('/ecp/')];
  assert.equal(ecp.length, 1);
  assert.ok(![...bitsOf('autodiscover.json')].includes(ecp[0]!));
  for (const b of bitsOf('autodiscover.json')) assert.ok(gate.clauses?.some((c) => c.mask === b));
});

const IIS_HEAD =
  '#Software: Microsoft Internet Information Services 10.0\r\n' +
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n';

function iis(
  method: string,
  stem: string,
  query: string,
  user: string,
  ua: string,
  ref: string,
  status: number,
) {
  return `2021-08-10 02:11:12 10.0.0.5 ${method} ${stem} ${query} 443 ${user} 203.0.113.7 ${ua} ${ref} ${status} 0 0 15\r\n`;
}

const HP_COLS =
  'DateTime,RequestId,UrlStem,UrlQuery,Method,HttpStatus,AuthenticatedUser,UserAgent,ClientIpAddress,Generic';
const HP_HEAD = `${HP_COLS}\r\n#Software: Microsoft Exchange Server\r\n#Version: 15.01.2176.002\r\n#Log-type: HttpProxy Logs\r\n#Fields: ${HP_COLS}\r\n`;

function hp(
  stem: string,
  query: string,
  method: string,
  status: number,
  user: string,
  ua: string,
  generic: string,
) {
  return `2021-08-10T02:11:12.000Z,1f,${stem},${query},${method},${status},${user},${ua},203.0.113.7,${generic}\r\n`;
}

/** Findings (line and rule) of a log read with the source's gate, and read with none (every line in JavaScript). */
function findings(
  source: string,
  text: string,
  chunk = 1 << 16,
): { gated: string[]; plain: string[]; tallied: number } {
  const set = rules.forSource(source);
  const run = (gate: LineGate | undefined) => {
    const p = parseWith(source, 'x.log', text, chunk, gate);
    const out: string[] = [];
    const hits: Hit[] = [];
    for (const r of p.records) {
      set.run(r, { path: 'x.log' }, hits);
      for (const h of hits) out.push(`${r.line} ${h.rule.id}`);
      hits.length = 0;
    }
    return { out: out.sort(), tallied: p.tallied.records };
  };
  const g = run(set.gate());
  return { gated: g.out, plain: run(undefined).out, tallied: g.tallied };
}

test('IIS: a benign autodiscover.json line is plain; attacks are found as without the gate', () => {
  const text =
    IIS_HEAD +
    iis(
      'GET',
      '/autodiscover/autodiscover.json',
      'Email=jdoe%40corp.example&Protocol=ActiveSync',
      '-',
      'Outlook-iOS/2.0',
      '-',
      200,
    ) + // prettier-ignore
    iis(
      'GET',
      '/autodiscover/autodiscover.json',
      '@evil.com/powershell/?X-Rps-CAT=VgEA&Email=autodiscover/autodiscover.json%3F@evil.com',
      '-',
      'python-requests/2.26.0',
      '-',
      401,
    ) + // prettier-ignore
    iis(
      'POST',
      '/autodiscover/autodiscover.json',
      'a=dsxvu@fnsso.flq/mapi/nspi/?&Email=autodiscover/autodiscover.json%3Fa=dsxvu@fnsso.flq',
      '-',
      'Mozilla/5.0',
      '-',
      200,
    ) + // prettier-ignore
    // The back-end path in another column than the query: the kernel keeps the bit (it checks the line).
    iis(
      'GET',
      '/autodiscover/autodiscover.json',
      'Email=a@b.c',
      '-',
      'Mozilla/5.0',
      'https://x/powershell',
      401,
    ) + // prettier-ignore
    iis('POST', '/ecp/y.js', '-', '-', 'ExchangeServicesClient/0.0.0.0', '-', 200);
  const f = findings('iis-w3c', text);
  assert.deepEqual(f.gated, f.plain);
  assert.ok(f.gated.some((x) => x.endsWith(PROXYSHELL)));
  assert.ok(f.gated.length >= 3);
  // Only the benign Autodiscover line is counted in place.
  assert.equal(f.tallied, 1);
});

test('HttpProxy: quoted rows and rows of several lines are read as before', () => {
  const text =
    HP_HEAD +
    hp(
      '/autodiscover/autodiscover.json',
      '?Email=jdoe%40corp.example&Protocol=Ews',
      'GET',
      200,
      '',
      'Outlook',
      'x',
    ) +
    hp(
      '/autodiscover/autodiscover.json',
      '"?@evil.com/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.com"',
      'POST',
      200,
      '',
      'python-requests/2.25',
      'x',
    ) + // prettier-ignore
    // A quoted value with a comma: the columns after it are not where a count of commas says.
    hp(
      '/autodiscover/autodiscover.json',
      '"?a=1,b=2@x/powershell/?X-Rps-CAT=1"',
      'GET',
      401,
      '',
      'python-requests/2.25',
      'x',
    ) + // prettier-ignore
    hp('/autodiscover/autodiscover.json', '"?@x', 'GET', 401, '', 'y', 'x').replace(
      /\r\n$/,
      '\r\n/powershell"\r\n',
    );
  for (const chunk of [5, 64, 1 << 16]) {
    const f = findings('httpproxy', text, chunk);
    assert.deepEqual(f.gated, f.plain, `chunk ${chunk}`);
    assert.ok(f.gated.length >= 2, `chunk ${chunk}: ${f.gated.join('; ')}`);
    assert.equal(f.tallied, 1, `chunk ${chunk}`);
  }
});

// Random lines made of the pieces the rules look for, in every column, with and without quotes.
const PIECES = ['autodiscover.json', '/powershell', '/mapi/nspi', '@evil.com', 'X-Rps-CAT=1', '/ecp/', 'y.js', '/EWS', 'Email=autodiscover/autodiscover.json', 'powershell', '/owa/auth/', 'x.aspx', '/ecp/DDI/DDIService.svc/SetObject', 'python-requests/2.1', 'cmd=whoami', 'a', '-', '/OWA/auth/', 'logon.aspx', 'LogOn.aspx', 'RedirSuiteServerProxy.aspx', 'errorFS.aspx', 'signout.aspx', '/oab/', 'oab.xml', '.ASPX', '.asp', 'x.svc', ';', '?', '/aspnet_client/', '/ecp/auth/', 'TimeOutLogoff.aspx', 'current/', '.aspx.png', '/ecp/ab.js', '/ecp/abcd.js', '/ecp/default.flt', '/ecp/main.css', '.js', '/owa/auth/Current/']; // prettier-ignore
const value = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 3 }).map((a) => a.join(''));

test('property: with the gate, the same findings as with every line in JavaScript (IIS and HttpProxy)', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          method: fc.constantFrom('GET', 'POST'),
          stem: value,
          query: value,
          user: fc.constantFrom('-', 'corp\\u'),
          ua: value,
          ref: value,
          status: fc.constantFrom(200, 302, 401, 404),
          quote: fc.constantFrom(0, 0, 1, 2),
        }),
        { minLength: 1, maxLength: 12 },
      ),
      fc.integer({ min: 1, max: 300 }),
      (rows, chunk) => {
        const w3c = IIS_HEAD + rows.map((r) => iis(r.method, r.stem, r.query, r.user, r.ua, r.ref, r.status)).join(''); // prettier-ignore
        const a = findings('iis-w3c', w3c, chunk);
        assert.deepEqual(a.gated, a.plain);
        const q = (s: string, n: number) => (n === 1 ? `"${s},${s}"` : n === 2 ? `"${s}""x"` : s);
        const csv = HP_HEAD + rows.map((r) => hp(r.stem, q(r.query, r.quote), r.method, r.status, r.user === '-' ? '' : r.user, r.ua, r.ref)).join(''); // prettier-ignore
        const b = findings('httpproxy', csv, chunk);
        assert.deepEqual(b.gated, b.plain);
      },
    ),
    params(60),
  );
});

test('webshell folders: Exchange pages and non-scripts stay plain; shells are found as without the gate', () => {
  const row = (stem: string, status: number, ref = '-') =>
    iis('GET', stem, '-', '-', 'Mozilla/5.0', ref, status);
  const text =
    IIS_HEAD +
    row('/owa/auth/logon.aspx', 200) +
    row('/owa/auth.owa', 302, 'https://mail.corp.example/owa/auth/logon.aspx?url=x') +
    row('/OAB/0a1b/oab.xml', 200) +
    row('/oab/', 200) +
    row('/owa/auth/15.2.1/themes/resources/x.png', 200) +
    // counted: a shell's name, an unknown script (200), a known name that is also Exchange's own page
    row('/owa/auth/errorFS.aspx', 404) +
    row('/owa/auth/zntwv.aspx', 200) +
    row('/owa/auth/RedirSuiteServerProxy.aspx', 200) +
    row('/oab/x.aspx', 200) +
    row('/owa/auth/Current/themes/x.ashx', 200);
  const f = findings('iis-w3c', text);
  assert.deepEqual(f.gated, f.plain);
  assert.equal(f.tallied, 5);
  assert.ok(f.gated.length >= 4, f.gated.join('; '));
});

test('a matcher past the bits shares the last one and is tested in JavaScript', () => {
  const groups = Array.from({ length: 40 }, (_, i) => ({ literals: [`lit${i}x`], also: [[`also${i}`]] }));
  const seen: number[] = [];
  const set = new MatcherSet([{ groups, check: (_r, _c, g) => (seen.push(g ?? -1), undefined) }]);
  const gate = set.gate();
  // Clauses only for bits of one group each.
  assert.ok(gate.clauses!.every((c) => c.mask !== 1 << 30));
  assert.equal(gate.clauses!.length, 30);
});
