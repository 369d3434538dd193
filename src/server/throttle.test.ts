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

test('begin reserves the attempt at once: a burst gets only the free attempts plus one', () => {
  const c = clock();
  const th = new SignInThrottle(c.now);
  const k = ['user:bob', 'addr:198.51.100.1'];
  // A hundred attempts begun before any verification ends (all in one tick, as concurrent requests are).
  const begun = Array.from({ length: 100 }, () => th.begin(k));
  assert.equal(begun.filter((a) => a.ok).length, 6);
  const refused = begun.find((a) => !a.ok);
  assert.ok(refused && !refused.ok && refused.waitMs > 0);
});

test('a success gives the keys back; an unchecked attempt is not counted', () => {
  const c = clock();
  const th = new SignInThrottle(c.now);
  const k = ['user:eve'];
  for (let i = 0; i < 5; i++) {
    const a = th.begin(k);
    assert.ok(a.ok);
    a.done('unchecked');
  }
  const sixth = th.begin(k);
  assert.ok(sixth.ok, 'unchecked attempts were given back');
  sixth.done(true);
  assert.equal(th.size, 0, 'a success forgets the key');
});

test('a full table never drops a locked key: new keys are refused instead', () => {
  const c = clock();
  const th = new SignInThrottle(c.now, 60_000, 10);
  for (let i = 0; i < 6; i++) th.failed(['user:admin']);
  assert.ok(th.wait(['user:admin']) > 0);
  // Unlocked keys make room for new ones, oldest first ...
  for (let i = 0; i < 30; i++) th.failed([`user:noise${i}`]);
  assert.ok(th.size <= 10);
  assert.ok(th.wait(['user:admin']) > 0, 'the locked key survived the flood');
  // ... and when every key is locked, a new key waits rather than pushing one out.
  for (let i = 0; i < 9; i++) for (let j = 0; j < 6; j++) th.failed([`user:l${i}`]);
  const refused = th.begin(['user:newcomer']);
  assert.equal(refused.ok, false);
  assert.ok(th.wait(['user:admin']) > 0);
});
