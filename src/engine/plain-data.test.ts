// Parsed rules keep their prototype-less objects across a structured clone.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePlain, encodePlain } from './plain-data.js';

test('objects without prototype, Maps, Sets and odd keys come back as they were', () => {
  const bare = Object.create(null) as Record<string, unknown>;
  Object.defineProperty(bare, '__proto__', { value: { t: 'field' }, enumerable: true, writable: true, configurable: true }); // prettier-ignore
  bare['constructor'] = [1, null, 'x'];
  const value = { bare, m: new Map([['k', { s: new Set(['a']) }]]), re: /a.b/i, n: undefined, nan: NaN };
  const back = decodePlain(structuredClone(encodePlain(value))) as typeof value;
  assert.equal(Object.getPrototypeOf(back.bare), null);
  assert.deepEqual(Object.keys(back.bare), ['__proto__', 'constructor']);
  assert.deepEqual(back, value);
  // Without the encoding, the clone gains a prototype: what the encoding is for.
  assert.notEqual(Object.getPrototypeOf(structuredClone(bare)), null);
});
