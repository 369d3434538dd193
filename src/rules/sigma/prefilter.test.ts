// Required literals: what they prove, and where they must give up (negation, regex, numeric compares).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRule } from './compile.js';
import { identityFieldMap } from './fieldmap.js';
import { literalClauses, regexLiterals, requiredLiterals } from './prefilter.js';
import { detection, rec } from './testkit.js';

const req = (body: string): string[] | undefined => requiredLiterals(detection(body));

test('field values give their literal pieces, lower-cased', () => {
  assert.deepEqual(req('  sel:\n    cs-uri-query|contains: /ECP/\n  condition: sel'), ['/ecp/']);
  assert.deepEqual(req('  sel:\n    sc-status: 401\n  condition: sel'), ['401']);
  assert.deepEqual(req("  sel:\n    f|contains: ['/owa/', '/ecp/']\n  condition: sel"), ['/ecp/', '/owa/']);
});

test('AND keeps the most selective part, OR unions, a covered literal is dropped', () => {
  assert.deepEqual(
    req("  sel:\n    cs-method: POST\n    f|contains: '/autodiscover.json'\n  condition: sel"),
    ['/autodiscover.json'],
  );
  assert.deepEqual(req('  a:\n    f: abc\n  b:\n    g: xabcx\n  condition: a or b'), ['abc']);
  assert.deepEqual(req("  sel:\n    f|contains|all: ['/ecp/', '.js']\n  condition: sel"), ['/ecp/']);
});

test('characters a source may rewrite cut the literal (space/+, quotes, backslash, ?)', () => {
  assert.deepEqual(req("  sel:\n    ua: 'Mozilla/5.0 (X11; Linux x86_64)'\n  condition: sel"), [
    'mozilla/5.0',
  ]);
  assert.deepEqual(req("  sel:\n    f|contains: 'autodiscover.json?@'\n  condition: sel"), [
    'autodiscover.json',
  ]);
  assert.deepEqual(req("  sel:\n    Image|endswith: '\\\\w3wp.exe'\n  condition: sel"), ['w3wp.exe']);
  // Keywords are searched in the same text: kept whole.
  assert.deepEqual(req("  kw:\n    - '=cmd+/c+'\n  condition: kw"), ['=cmd+/c+']);
});

test('keywords, |all keywords, 1 of and all of', () => {
  assert.deepEqual(req("  kw:\n    '|all': [OabVirtualDirectory, ' -ExternalUrl ']\n  condition: kw"), [
    'oabvirtualdirectory',
  ]);
  assert.deepEqual(req('  s1:\n    f: aaa\n  s2:\n    f: bbb\n  condition: 1 of s*'), ['aaa', 'bbb']);
  assert.deepEqual(req('  s1:\n    f: aaa\n  s2:\n    f: bbbb\n  condition: all of s*'), ['bbbb']);
});

test('undefined where nothing can be proven', () => {
  assert.equal(req('  sel:\n    f: x\n  condition: not sel'), undefined);
  assert.equal(req("  sel:\n    f|re: 'abc'\n  condition: sel"), undefined);
  assert.equal(req('  sel:\n    f|gt: 5\n  condition: sel'), undefined);
  assert.equal(req('  sel:\n    f|neq: abc\n  condition: sel'), undefined);
  assert.equal(req('  sel:\n    f: null\n  condition: sel'), undefined);
  assert.equal(req("  sel:\n    f: '*'\n  condition: sel"), undefined);
  assert.equal(req('  a:\n    f: abc\n  b:\n    f|re: x\n  condition: a or b'), undefined);
  assert.equal(req("  sel:\n    f|cidr: '10.0.0.0/8'\n  condition: sel"), undefined);
  assert.equal(req("  sel:\n    f|expand: '%x%'\n  condition: sel"), undefined);
  // But a negated part next to a positive one does not hide the positive one.
  assert.deepEqual(req('  sel:\n    f: abc\n  flt:\n    g: x\n  condition: sel and not flt'), ['abc']);
});

test('soundness: every record the rule matches contains a required literal', () => {
  const body = `  sel:
    cs-method: POST
    cs-uri-query|contains:
      - '/owa/auth/Current/'
      - 'autodiscover.json?@'
    ua|startswith: 'python-requests/2.'
  condition: sel`;
  const r = detection(body);
  const lits = requiredLiterals(r);
  assert.ok(lits);
  const m = compileRule(r, identityFieldMap());
  const records = [
    { 'cs-method': 'POST', 'cs-uri-query': '/OWA/auth/Current/x', ua: 'python-requests/2.25.1' },
    {
      'cs-method': 'post',
      'cs-uri-query': '/autodiscover/autodiscover.json?@a.com/mapi',
      ua: 'Python-Requests/2.1',
    },
  ];
  for (const f of records) {
    // The text an IIS line would show: fields space-separated, query split from stem at `?`.
    const text = Object.values(f).join(' ').replace('?', ' ');
    assert.equal(m(rec(f, text)), true);
    assert.ok(
      lits.some((l) => text.toLowerCase().includes(l)),
      `${JSON.stringify(lits)} in ${text}`,
    );
  }
});

test('regular expressions give the pieces every match holds, or nothing', () => {
  assert.deepEqual(regexLiterals('^/ecp/[0-9a-zA-Z]{1,3}\\.js$'), ['/ecp/', '.js']);
  // A character before ?, * or {n} may be absent; before + it is there once.
  assert.deepEqual(regexLiterals('ab?c'), ['a', 'c']);
  assert.deepEqual(regexLiterals('abc{2}'), ['ab']);
  assert.deepEqual(regexLiterals('abc+d*'), ['abc']);
  // Groups and classes end a piece; what is inside them proves nothing.
  assert.deepEqual(regexLiterals('(x|y)abc'), ['abc']);
  assert.deepEqual(regexLiterals('[a\\]b]xyz'), ['xyz']);
  assert.deepEqual(regexLiterals('foo\\d+bar'), ['foo', 'bar']);
  // Alternation at the top level, unknown escapes, broken patterns: nothing is proven.
  assert.equal(regexLiterals('a|b'), undefined);
  assert.equal(regexLiterals('\\u0041bc'), undefined);
  assert.equal(regexLiterals('\\1abc'), undefined);
  assert.equal(regexLiterals('(abc'), undefined);
  // Pieces are cut where a source may write a value otherwise (`+` for a space in IIS headers).
  assert.deepEqual(regexLiterals('Mozilla Firefox'), ['mozilla', 'firefox']);
});

test('clauses: what a rule also needs beside its literals, through AND, OR and 1 of', () => {
  const also = (body: string) => literalClauses(detection(body))?.also;
  // contains|all: each value is needed; a short or common one is not kept.
  assert.deepEqual(
    also("  sel:\n    f|contains|all: ['autodiscover.json', '@', 'powershell']\n  condition: sel"),
    [['powershell']],
  );
  // OR of branches: for each choice of one need per branch, their union.
  const or = "  a:\n    f|startswith: '/ecp/'\n    f|re: '^/ecp/[a-z]{1,3}\\.js$'\n  b:\n    f|startswith: '/owa/auth/current/'\n  condition: a or b"; // prettier-ignore
  assert.deepEqual(also(or), [['.js', '/owa/auth/current/']]);
  // A negation needs nothing; a branch that needs nothing provable makes the OR need nothing.
  assert.deepEqual(
    also("  a:\n    f|contains: 'xyzzy'\n  b:\n    g|contains: 'plugh'\n  condition: a and not b"),
    [],
  );
  assert.deepEqual(
    also("  a:\n    f|contains: 'xyzzy'\n    h|contains: 'frob'\n  b:\n    g|re: 'x|y'\n  condition: a or b"),
    undefined,
  );
});
