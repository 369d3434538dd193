// Condition parser: precedence, `x of` forms, and located errors.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConditionError, parseCondition, resolveOf } from './condition.js';

test('precedence: or < and < not', () => {
  assert.deepEqual(parseCondition('a or b and not c'), {
    t: 'or',
    items: [
      { t: 'id', name: 'a' },
      {
        t: 'and',
        items: [
          { t: 'id', name: 'b' },
          { t: 'not', item: { t: 'id', name: 'c' } },
        ],
      },
    ],
  });
});

test('parentheses bind tightest', () => {
  assert.deepEqual(parseCondition('(a or b) and c'), {
    t: 'and',
    items: [
      {
        t: 'or',
        items: [
          { t: 'id', name: 'a' },
          { t: 'id', name: 'b' },
        ],
      },
      { t: 'id', name: 'c' },
    ],
  });
});

test('not binds looser than x of', () => {
  assert.deepEqual(parseCondition('sel and not 1 of filter*'), {
    t: 'and',
    items: [
      { t: 'id', name: 'sel' },
      { t: 'not', item: { t: 'of', all: false, pattern: 'filter*' } },
    ],
  });
});

test('1 of / all of them, keywords are case-insensitive', () => {
  assert.deepEqual(parseCondition('1 OF them'), { t: 'of', all: false, pattern: 'them' });
  assert.deepEqual(parseCondition('All of sel_*'), { t: 'of', all: true, pattern: 'sel_*' });
});

test('errors carry an offset', () => {
  const cases: [string, RegExp][] = [
    ['sel and', /end of condition/],
    ['(sel', /closing parenthesis/],
    ['sel)', /unexpected '\)'/],
    ['2 of sel*', /only '1 of'/],
    ['sel | count() > 5', /obsolete/],
    ['a near b', /unexpected 'near'|obsolete/],
    ['1 sel', /expected 'of'/],
    ['', /empty/],
  ];
  for (const [text, re] of cases) {
    assert.throws(
      () => parseCondition(text),
      (e: unknown) => e instanceof ConditionError && re.test(e.message),
      text,
    );
  }
});

test('resolveOf: them skips underscore identifiers, patterns use *', () => {
  const ids = ['sel_a', 'sel_b', 'filter', '_hidden'];
  assert.deepEqual(resolveOf('them', ids), ['sel_a', 'sel_b', 'filter']);
  assert.deepEqual(resolveOf('sel_*', ids), ['sel_a', 'sel_b']);
  assert.deepEqual(resolveOf('*a*', ids), ['sel_a']);
  assert.deepEqual(resolveOf('sel.', ids), []);
});
