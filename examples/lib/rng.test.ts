// Tests for the seeded generator: same seed, same stream; forks independent of later use.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from './rng.js';

test('the same seed gives the same stream', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  for (let i = 0; i < 100; i++) assert.equal(a.u32(), b.u32());
  assert.notEqual(new Rng(1).u32(), new Rng(2).u32());
});

test('helpers stay in range and guids have the GUID shape', () => {
  const r = new Rng(7);
  for (let i = 0; i < 1000; i++) {
    const n = r.int(3, 5);
    assert.ok(n >= 3 && n <= 5);
  }
  assert.match(r.guid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(r.weighted([['only', 1]]), 'only');
});

test('forks with the same label from the same parent state agree', () => {
  assert.equal(new Rng(9).fork('x').u32(), new Rng(9).fork('x').u32());
  assert.notEqual(new Rng(9).fork('x').u32(), new Rng(9).fork('y').u32());
});
