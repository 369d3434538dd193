// Tests for the sign-in throttle: five free failures, then waits that double up to a cap; success forgets.

import assert from 'node:assert/strict';
import test from 'node:test';
import { SignInThrottle } from './throttle.js';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

test('five failures are free, then each one doubles the wait, up to the cap', () => {
  const c = clock();
  const th = new SignInThrottle(c.now, 8_000);
  const k = ['user:bob'];
  for (let i = 0; i < 5; i++) th.failed(k);
  assert.equal(th.wait(k), 0);
  const waits: number[] = [];
  for (let i = 0; i < 6; i++) {
    th.failed(k);
    waits.push(th.wait(k));
  }
  assert.deepEqual(waits, [1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  c.advance(8_000);
  assert.equal(th.wait(k), 0, 'the wait runs out');
});

test('any blocked key blocks; success forgets its keys; old failures are forgotten', () => {
  const c = clock();
  const th = new SignInThrottle(c.now);
  const addr = 'addr:203.0.113.9';
  for (let i = 0; i < 6; i++) th.failed([`user:u${i}`, addr]);
  // Six usernames tried from one address: the address waits, each username does not.
  assert.ok(th.wait([addr]) > 0);
  assert.equal(th.wait(['user:u0']), 0);
  assert.ok(th.wait(['user:someone', addr]) > 0);
  th.succeeded([addr]);
  assert.equal(th.wait([addr]), 0);
  for (let i = 0; i < 5; i++) th.failed(['user:carol']);
  c.advance(16 * 60_000);
  th.failed(['user:carol']);
  assert.equal(th.wait(['user:carol']), 0, 'failures from long ago no longer count');
});
