// Text from evidence in notifications: one line, nothing hidden or reordered, bounded.

import assert from 'node:assert/strict';
import test from 'node:test';
import { oneLine } from './format.js';

test('oneLine: line breaks, controls and bidi overrides shown as escapes, long text cut', () => {
  assert.equal(oneLine('EXCH01\r\nBcc: x@y'), 'EXCH01\\x0d\\nBcc: x@y');
  assert.equal(oneLine('mail\u202eexe.cod'), 'mail\\u202eexe.cod');
  assert.equal(oneLine('a\u2028b'), 'a\\u2028b');
  assert.equal(oneLine('x'.repeat(300)).length, 200);
  assert.equal(oneLine(undefined), '');
});
