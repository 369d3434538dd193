// Value forms and condition forms as (rule, event, expected) triples, written from the specification.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRuleSet, compileRule } from './compile.js';
import { identityFieldMap } from './fieldmap.js';
import type { Fields } from './testkit.js';
import { detection, matcher, rec } from './testkit.js';

type Triple = [Fields, boolean, string?];

function check(body: string, cases: Triple[]): void {
  const m = matcher(body);
  for (const [fields, want, text] of cases) {
    assert.equal(m(fields, text), want, `${body.trim()}\n  on ${JSON.stringify(fields)} ${text ?? ''}`);
  }
}

test('plain value: case-insensitive equality, not substring', () => {
  check('  sel:\n    Image: C:\\Windows\\cmd.exe\n  condition: sel', [
    [{ Image: 'c:\\windows\\CMD.EXE' }, true],
    [{ Image: 'C:\\Windows\\cmd.exe.bak' }, false],
    [{ Other: 'C:\\Windows\\cmd.exe' }, false],
    [{}, false],
  ]);
});

test('wildcards * and ?, with backslash escapes', () => {
  check("  sel:\n    f: 'ab*cd?'\n  condition: sel", [
    [{ f: 'abXXcdZ' }, true],
    [{ f: 'abcdZ' }, true],
    [{ f: 'abcd' }, false],
    [{ f: 'xabcdZ' }, false],
  ]);
  check("  sel:\n    f: 'a\\*b'\n  condition: sel", [
    [{ f: 'a*b' }, true],
    [{ f: 'aXb' }, false],
  ]);
  check("  sel:\n    f: 'a\\?'\n  condition: sel", [
    [{ f: 'a?' }, true],
    [{ f: 'ab' }, false],
  ]);
  // `\\*` is a backslash followed by a wildcard; `\\\*` a backslash and a plain star.
  check("  sel:\n    f: 'dir\\\\*'\n  condition: sel", [
    [{ f: 'dir\\anything' }, true],
    [{ f: 'dirX' }, false],
  ]);
  check("  sel:\n    f: 'dir\\\\\\*'\n  condition: sel", [
    [{ f: 'dir\\*' }, true],
    [{ f: 'dir\\x' }, false],
  ]);
  // A single backslash not before a wildcard is literal; `\\\\` is two backslashes.
  check("  sel:\n    f: '\\\\\\\\srv\\share'\n  condition: sel", [
    [{ f: '\\\\srv\\share' }, true],
    [{ f: '\\srv\\share' }, false],
  ]);
});

test('multi-segment wildcards keep order', () => {
  check("  sel:\n    f: '*a*b*c*'\n  condition: sel", [
    [{ f: 'xaxbxcx' }, true],
    [{ f: 'cba' }, false],
    [{ f: 'abc' }, true],
  ]);
  check("  sel:\n    f: 'ab*ba'\n  condition: sel", [
    [{ f: 'aba' }, false],
    [{ f: 'abba' }, true],
  ]);
});

test('list of values is OR; map is AND', () => {
  check('  sel:\n    a: [x, y]\n    b: z\n  condition: sel', [
    [{ a: 'y', b: 'z' }, true],
    [{ a: 'x', b: 'z' }, true],
    [{ a: 'x', b: 'w' }, false],
    [{ a: 'w', b: 'z' }, false],
  ]);
});

test('list of maps is OR', () => {
  check('  sel:\n    - a: x\n      b: y\n    - c: z\n  condition: sel', [
    [{ a: 'x', b: 'y' }, true],
    [{ c: 'z' }, true],
    [{ a: 'x' }, false],
  ]);
});

test('keywords search the whole text, OR-ed; |all makes them AND', () => {
  check('  keywords:\n    - evil\n    - bad\n  condition: keywords', [
    [{}, true, 'some EVIL line'],
    [{}, true, 'so bad'],
    [{}, false, 'nice line'],
  ]);
  check(
    "  keywords:\n    '|all':\n      - OabVirtualDirectory\n      - ' -ExternalUrl '\n  condition: keywords",
    [
      [{}, true, 'Set-OabVirtualDirectory -ExternalUrl http://x'],
      [{}, false, 'Set-OabVirtualDirectory -InternalUrl http://x'],
    ],
  );
});

test('keyword with wildcard inside still searches anywhere', () => {
  check("  keywords:\n    - 'a*c'\n  condition: keywords", [
    [{}, true, 'xx abc yy'],
    [{}, false, 'xx ca yy'],
  ]);
});

test('null matches a missing or null field; empty string only an empty value', () => {
  check('  sel:\n    f: null\n  condition: sel', [
    [{}, true],
    [{ f: null }, true],
    [{ f: '' }, false],
    [{ f: 'x' }, false],
  ]);
  check("  sel:\n    f: ''\n  condition: sel", [
    [{ f: '' }, true],
    [{}, false],
    [{ f: 'x' }, false],
  ]);
  check('  sel:\n    a: x\n  filter:\n    f: null\n  condition: sel and not filter', [
    [{ a: 'x', f: 'set' }, true],
    [{ a: 'x' }, false],
  ]);
});

test('numbers match numeric values and their string forms', () => {
  check('  sel:\n    EventID: 4688\n  condition: sel', [
    [{ EventID: 4688 }, true],
    [{ EventID: '4688' }, true],
    [{ EventID: 46880 }, false],
    [{ EventID: '4689' }, false],
  ]);
  check("  sel:\n    EventID: '4688'\n  condition: sel", [
    [{ EventID: 4688 }, true],
    [{ EventID: '4688' }, true],
  ]);
  check('  sel:\n    EventID: [1, 4688]\n  condition: sel', [
    [{ EventID: 1 }, true],
    [{ EventID: 2 }, false],
  ]);
});

test('hex literals stay text (0x1410 is not 5136)', () => {
  check('  sel:\n    GrantedAccess: 0x1410\n  condition: sel', [
    [{ GrantedAccess: '0x1410' }, true],
    [{ GrantedAccess: '5136' }, false],
  ]);
});

test('booleans compare as text', () => {
  check('  sel:\n    f: true\n  condition: sel', [
    [{ f: true }, true],
    [{ f: 'True' }, true],
    [{ f: false }, false],
  ]);
});

test('array field values match when any element matches', () => {
  check('  sel:\n    Data|contains: Get-App\n  condition: sel', [
    [{ Data: ['x', 'Cmdlet failed. Cmdlet Get-App, '] }, true],
    [{ Data: ['x', 'y'] }, false],
    [{ Data: [] }, false],
  ]);
});

test('conditions: and, or, not, parentheses, condition lists', () => {
  const body = '  a:\n    f: 1\n  b:\n    g: 1\n  c:\n    h: 1\n';
  check(`${body}  condition: a and (b or c) and not (b and c)`, [
    [{ f: 1, g: 1 }, true],
    [{ f: 1, h: 1 }, true],
    [{ f: 1, g: 1, h: 1 }, false],
    [{ g: 1 }, false],
  ]);
  check(`${body}  condition:\n    - a and b\n    - c`, [
    [{ f: 1, g: 1 }, true],
    [{ h: 1 }, true],
    [{ f: 1 }, false],
  ]);
  check(`${body}  condition: not a`, [
    [{ g: 1 }, true],
    [{ f: 1 }, false],
  ]);
});

test('1 of / all of patterns and them; _ identifiers are not in them', () => {
  const body = '  sel_a:\n    f: 1\n  sel_b:\n    g: 1\n  _aux:\n    h: 1\n';
  check(`${body}  condition: 1 of sel_*`, [
    [{ g: 1 }, true],
    [{ h: 1 }, false],
  ]);
  check(`${body}  condition: all of sel_*`, [
    [{ f: 1, g: 1 }, true],
    [{ f: 1 }, false],
  ]);
  check(`${body}  condition: 1 of them`, [
    [{ f: 1 }, true],
    [{ h: 1 }, false],
  ]);
  check(`${body}  condition: all of them`, [
    [{ f: 1, g: 1 }, true],
    [{ f: 1, h: 1 }, false],
  ]);
  check(`${body}  condition: 1 of sel_* and not _aux`, [
    [{ f: 1 }, true],
    [{ f: 1, h: 1 }, false],
  ]);
});

test('field map renames and preconditions are applied', () => {
  const r = detection('  sel:\n    Image|endswith: \\cmd.exe\n  condition: sel');
  const fm = {
    ...identityFieldMap('evtx'),
    fields: new Map([['Image', { field: 'NewProcessName' }]]),
    conditions: { Channel: 'Security', EventID: 4688 },
  };
  const m = compileRule(r, fm);
  assert.equal(m(rec({ NewProcessName: 'C:\\x\\cmd.exe', Channel: 'security', EventID: 4688 })), true);
  assert.equal(m(rec({ NewProcessName: 'C:\\x\\cmd.exe', Channel: 'Security', EventID: 1 })), false);
  assert.equal(m(rec({ Image: 'C:\\x\\cmd.exe', Channel: 'Security', EventID: 4688 })), false);
});

test('rule sets share one cache but see each record afresh (records may be reused objects)', () => {
  const a = detection('  sel:\n    f: x\n  condition: sel');
  const b = { ...detection('  sel:\n    f|contains: y\n  condition: sel'), id: 'r2' };
  const { set, errors } = compileRuleSet([a, b], identityFieldMap());
  assert.deepEqual(errors, []);
  const fields: Fields = { f: 'x' };
  const r = rec(fields);
  assert.deepEqual(
    set.match(r).map((x) => x.id),
    ['r1'],
  );
  fields['f'] = 'xyz';
  assert.deepEqual(
    set.match(r).map((x) => x.id),
    ['r2'],
  );
  fields['f'] = 'nothing';
  assert.equal(set.match(r).length, 0);
});
