// Security suite: the sign-in throttle under concurrency, on SQLite and PostgreSQL. Attempts are reserved
// before the password is checked, so a burst cannot slip guesses past the check, and the scrypt pool keeps
// one key's burst from holding up another user's sign-in.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createUser, findLogin } from '../../store/index.js';
import { backends } from '../../store/testing.js';
import type { Fixture } from '../../store/testing.js';
import { hashPassword, scryptPool, verifyPassword } from '../auth.js';
import { API_PREFIX } from '../route.js';
import { testApp } from '../testing/fixtures.js';
import type { TestApp } from '../testing/fixtures.js';

const GUESSES = 100;

for (const b of await backends())
  describe(`the sign-in throttle under concurrency on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    const passwords: Record<string, string> = {
      burst: 'burst password 1',
      changer: 'changer password 1',
      alice: 'alice password 1',
      victim: 'victim password 1',
    };
    before(async () => {
      fx = await b.create();
      t = await testApp(fx);
      for (const [username, password] of Object.entries(passwords))
        await createUser(
          fx.store,
          { username, role: 'administrator', orgId: null, passwordHash: await hashPassword(password) },
          'test',
        );
    });
    after(async () => {
      await t?.close();
      await fx?.dispose();
    });

    const signIn = (username: string, password: string, remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/session`,
        payload: { username, password },
        remoteAddress,
      });

    test(`${GUESSES} concurrent guesses with the right one last do not sign in`, async () => {
      const started = scryptPool.started;
      const all = await Promise.all(
        Array.from({ length: GUESSES }, (_, i) =>
          signIn('burst', i === GUESSES - 1 ? passwords.burst! : `wrong ${i}`, '192.0.2.10'),
        ),
      );
      const codes = all.map((r) => r.statusCode);
      assert.equal(codes.filter((c) => c === 200).length, 0, `signed in: ${codes.join(',')}`);
      assert.equal(all.at(-1)!.statusCode, 429);
      assert.ok(Number(all.at(-1)!.headers['retry-after']) >= 1);
      assert.ok(
        codes.every((c) => c === 401 || c === 429 || c === 503),
        codes.join(','),
      );
      // Only the free attempts plus the one that locks were checked at all.
      assert.ok(scryptPool.started - started <= 6, `${scryptPool.started - started} passwords checked`);
    });

    test(`${GUESSES} concurrent password changes with the right current password last change nothing`, async () => {
      const login = await signIn('changer', passwords.changer!, '192.0.2.20');
      assert.equal(login.statusCode, 200, login.body);
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const all = await Promise.all(
        Array.from({ length: GUESSES }, (_, i) =>
          t.app.inject({
            method: 'POST',
            url: `${API_PREFIX}/session/password`,
            headers: { cookie, 'x-requested-with': 'exhunt' },
            payload: {
              current: i === GUESSES - 1 ? passwords.changer : `wrong ${i}`,
              password: 'taken over password 2',
            },
            remoteAddress: '192.0.2.20',
          }),
        ),
      );
      assert.equal(all.filter((r) => r.statusCode === 200).length, 0);
      assert.equal(all.at(-1)!.statusCode, 429);
      const stored = await findLogin(fx.store, 'changer');
      assert.ok(await verifyPassword(passwords.changer!, stored!.passwordHash), 'the password is unchanged');
    });

    test("another user signs in during an attacker's burst, without waiting for the attacker's checks", async () => {
      const started = scryptPool.started;
      const burst = Array.from({ length: GUESSES }, (_, i) => signIn('victim', `guess ${i}`, '203.0.113.5'));
      const alice = await signIn('alice', passwords.alice!, '198.51.100.7');
      await Promise.all(burst);
      assert.equal(alice.statusCode, 200, alice.body);
      // The burst's guesses past the free ones were refused before any scrypt work, so Alice's check
      // queued behind at most those few (not a hundred).
      assert.ok(scryptPool.started - started <= 7, `${scryptPool.started - started} passwords checked`);
    });
  });
