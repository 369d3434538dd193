// Tests for the rule-file outline: names, tags, flags and meta kinds, past comments, strings and regexes that look like rules.

import assert from 'node:assert/strict';
import test from 'node:test';
import { outlineRules } from './outline.js';

test('rule names, tags, global/private and meta kinds, past text that looks like structure', () => {
  const src = [
    'import "pe"',
    '// rule commented_out { condition: true }',
    '/* rule block_comment : t { } */',
    'private rule helper { condition: filesize > 0 }',
    'global private rule small { condition: filesize < 1MB }',
    'rule tagged : web shell {',
    '  meta:',
    '    author = "someone \\" rule fake {"',
    '    score = 85',
    '    neg = -3',
    '    live = true',
    '    off = false',
    '  strings:',
    '    $a = "} rule not_a_rule {"',
    '    $h = { 4D 5A [2-4] ( 90 | 00 ) ?? }',
    '    $r = /rule\\/x{1,3}\\}/ nocase',
    '  condition:',
    '    helper and ($a or $h or $r) and filesize / 2 > 10 and pe.number_of_sections > 0',
    '}',
    'rule last{condition:true}',
  ].join('\n');
  assert.deepEqual(outlineRules(src), [
    { name: 'helper', tags: [], global: false, private: true, meta: {} },
    { name: 'small', tags: [], global: true, private: true, meta: {} },
    {
      name: 'tagged',
      tags: ['web', 'shell'],
      global: false,
      private: false,
      meta: { author: 'string', score: 'number', neg: 'number', live: true, off: false },
    },
    { name: 'last', tags: [], global: false, private: false, meta: {} },
  ]);
});

test('text it cannot follow gives what it found so far, and never throws', () => {
  assert.deepEqual(
    outlineRules('rule a { condition: true }\nrule b :').map((r) => r.name),
    ['a'],
  );
  for (const s of ['', 'rule', 'rule {', '"unterminated', '/* open', 'rule x { $a = /open']) outlineRules(s);
});
