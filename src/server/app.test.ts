// The API in-process on SQLite and PostgreSQL: authentication everywhere, sessions, roles, report ingest.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createUser } from '../store/index.js';
import { backends, finding, makeReport } from '../store/testing.js';
import { hashPassword } from './auth.js';
import type { Fixture } from '../store/testing.js';
import { API_PREFIX } from './route.js';
import { ROUTES } from './routes/index.js';
import { ensureAdministrator } from './runtime.js';
import { testApp, tokenFor } from './testing/fixtures.js';
import type { TestApp } from './testing/fixtures.js';

const url = (u: string) => API_PREFIX + u.replace(/:\w+/g, '1');

for (const b of await backends())
  describe(`API on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    before(async () => {
      fx = await b.create();
      t = await testApp(fx);
    });
    after(async () => {
      await t.close();
      await fx.dispose();
    });

    test('nothing but health, the OpenAPI document and sign-in answers without authentication', async () => {
      const open = new Set<string>();
      for (const r of ROUTES) {
        const res = await t.app.inject({
          method: r.method,
          url: url(r.url),
          payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
        });
        if (res.statusCode !== 401) open.add(`${r.method} ${r.url}`);
      }
      assert.deepEqual([...open].sort(), ['GET /health', 'GET /openapi.json', 'POST /session']);
      const bad = await t.app.inject({
        method: 'GET',
        url: url('/servers'),
        headers: { authorization: 'Bearer exh_nope' },
      });
      assert.equal(bad.statusCode, 401);
    });

    test('the OpenAPI document lists every route with its method', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: url('/openapi.json') })).json<{
        openapi: string;
        paths: Record<string, Record<string, unknown>>;
      }>();
      assert.equal(doc.openapi, '3.1.0');
      for (const r of ROUTES)
        assert.ok(
          doc.paths[API_PREFIX + r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()],
          `${r.method} ${r.url}`,
        );
    });

    test('the first administrator signs in with the printed password; sessions live in the database', async () => {
      const lines: string[] = [];
      await ensureAdministrator(fx.store, (l) => lines.push(l), 'http://x');
      await ensureAdministrator(fx.store, (l) => lines.push(l), 'http://x');
      const password = /password (\S+)/.exec(lines.join('\n'))?.[1];
      assert.ok(password, 'printed once');
      assert.equal(lines.filter((l) => l.includes('with password ')).length, 1);
      const wrong = await t.app.inject({
        method: 'POST',
        url: url('/session'),
        payload: { username: 'admin', password: 'guess' },
      });
      assert.equal(wrong.statusCode, 401);
      const ok = await t.app.inject({
        method: 'POST',
        url: url('/session'),
        payload: { username: 'admin', password },
      });
      assert.equal(ok.statusCode, 200);
      const set = String(ok.headers['set-cookie']);
      assert.match(set, /HttpOnly; SameSite=Strict/);
      const cookie = set.split(';')[0] as string;
      const me = await t.app.inject({ method: 'GET', url: url('/session'), headers: { cookie } });
      assert.equal(me.json<{ role: string }>().role, 'administrator');
      // A change by cookie must carry the header a cross-site form cannot send.
      const csrf = await t.app.inject({
        method: 'POST',
        url: url('/organisations'),
        headers: { cookie },
        payload: { name: 'viacookie' },
      });
      assert.equal(csrf.statusCode, 403);
      const made = await t.app.inject({
        method: 'POST',
        url: url('/organisations'),
        headers: { cookie, 'x-requested-with': 'exhunt' },
        payload: { name: 'viacookie' },
      });
      assert.equal(made.statusCode, 201);
      await t.app.inject({
        method: 'DELETE',
        url: url('/session'),
        headers: { cookie, 'x-requested-with': 'exhunt' },
      });
      assert.equal(
        (await t.app.inject({ method: 'GET', url: url('/session'), headers: { cookie } })).statusCode,
        401,
      );
    });

    test('failed sign-ins make the next ones wait (429 with Retry-After), even with the right password', async () => {
      // An app of its own, so that this address's failures do not reach the other tests.
      const own = await testApp(fx);
      try {
        const signIn = (username: string, password: string) =>
          own.app.inject({ method: 'POST', url: url('/session'), payload: { username, password } });
        for (let i = 0; i < 6; i++) assert.equal((await signIn('mallory', `guess${i}`)).statusCode, 401);
        const blocked = await signIn('mallory', 'guess6');
        assert.equal(blocked.statusCode, 429);
        assert.ok(Number(blocked.headers['retry-after']) >= 1);
        // The address is blocked too: another account's sign-in from it waits as well.
        assert.equal((await signIn('admin', 'whatever')).statusCode, 429);
      } finally {
        await own.close();
      }
    });

    test('a user changes their password: the old one stops working and their other sessions end', async () => {
      const own = await testApp(fx);
      try {
        await createUser(
          fx.store,
          {
            username: 'pw-user',
            role: 'administrator',
            orgId: null,
            passwordHash: await hashPassword('first password 1'),
          },
          'test',
        );
        const signIn = (password: string) =>
          own.app.inject({
            method: 'POST',
            url: url('/session'),
            payload: { username: 'pw-user', password },
          });
        const cookieOf = (r: { headers: Record<string, unknown> }) =>
          String(r.headers['set-cookie']).split(';')[0]!;
        const here = cookieOf(await signIn('first password 1'));
        const elsewhere = cookieOf(await signIn('first password 1'));
        const change = (cookie: string, current: string, password: string) =>
          own.app.inject({
            method: 'POST',
            url: url('/session/password'),
            headers: { cookie, 'x-requested-with': 'exhunt' },
            payload: { current, password },
          });
        assert.equal((await change(here, 'not it', 'second password 2')).statusCode, 403);
        assert.equal((await change(here, 'first password 1', 'short')).statusCode, 400);
        const ok = await change(here, 'first password 1', 'second password 2');
        assert.equal(ok.statusCode, 200);
        assert.equal(ok.json<{ sessionsEnded: number }>().sessionsEnded, 1);
        const still = (cookie: string) =>
          own.app.inject({ method: 'GET', url: url('/session'), headers: { cookie } });
        assert.equal((await still(here)).statusCode, 200, 'the session that changed it goes on');
        assert.equal((await still(elsewhere)).statusCode, 401, 'the other one ended');
        assert.equal((await signIn('first password 1')).statusCode, 401);
        assert.equal((await signIn('second password 2')).statusCode, 200);
        // A token has no password to change.
        const byToken = await own.app.inject({
          method: 'POST',
          url: url('/session/password'),
          headers: await tokenFor(fx, 'pw-org', 'viewer'),
          payload: { current: 'x', password: 'third password 3' },
        });
        assert.equal(byToken.statusCode, 400);
      } finally {
        await own.close();
      }
    });

    test('roles: viewers read, analysts upload and triage, administrators administer', async () => {
      const viewer = await tokenFor(fx, 'roles', 'viewer');
      const analyst = await tokenFor(fx, 'roles', 'analyst');
      const report = makeReport('attempted', [finding('x1', { outcome: 'attempt' })]);
      const post = (h: Record<string, string>) =>
        t.app.inject({ method: 'POST', url: url('/reports?server=r1'), headers: h, payload: report });
      assert.equal((await post(viewer)).statusCode, 403);
      assert.equal((await post(analyst)).statusCode, 201);
      assert.equal(
        (await t.app.inject({ method: 'GET', url: url('/servers'), headers: viewer })).statusCode,
        200,
      );
      const tok = await t.app.inject({
        method: 'POST',
        url: url('/tokens'),
        headers: analyst,
        payload: { name: 'n', role: 'viewer' },
      });
      assert.equal(tok.statusCode, 403);
      const audit = await t.app.inject({ method: 'GET', url: url('/audit'), headers: viewer });
      assert.equal(audit.statusCode, 403);
    });

    test('reports: bare with ?server= or wrapped, validated, idempotent, exposure from the build', async () => {
      const analyst = await tokenFor(fx, 'acme', 'analyst');
      const report = makeReport('compromised', [finding('c1')]);
      const a = await t.app.inject({
        method: 'POST',
        url: url('/reports?server=ex01'),
        headers: analyst,
        payload: report,
      });
      assert.equal(a.statusCode, 201, a.body);
      const again = await t.app.inject({
        method: 'POST',
        url: url('/reports'),
        headers: analyst,
        payload: { server: 'ex01', report },
      });
      assert.equal(again.statusCode, 200);
      assert.equal(again.json<{ scanId: number }>().scanId, a.json<{ scanId: number }>().scanId);
      const invalid = await t.app.inject({
        method: 'POST',
        url: url('/reports?server=ex01'),
        headers: analyst,
        payload: { ...report, verdict: 'owned' },
      });
      assert.equal(invalid.statusCode, 400);
      assert.match(invalid.json<{ message: string }>().message, /\/verdict/);
      const noServer = await t.app.inject({
        method: 'POST',
        url: url('/reports'),
        headers: analyst,
        payload: report,
      });
      assert.equal(noServer.statusCode, 400);
      const built = makeReport('clean', [], {
        scan: { ...report.scan, finishedAt: '2021-06-01T00:00:00.000Z' },
      });
      const c = await t.app.inject({
        method: 'POST',
        url: url('/reports?server=ex02&build=15.1.2176.2'),
        headers: analyst,
        payload: built,
      });
      assert.equal(c.statusCode, 201);
      const servers = (await t.app.inject({ method: 'GET', url: url('/servers'), headers: analyst })).json<{
        items: { name: string; verdict: string; exposure: { vulnerable: string[] } | null }[];
      }>();
      assert.deepEqual(
        servers.items.map((s) => [s.name, s.verdict]),
        [
          ['ex01', 'compromised'],
          ['ex02', 'clean'],
        ],
      );
      assert.ok(servers.items[1]?.exposure?.vulnerable.includes('CVE-2021-26855'));
      const admin = await tokenFor(fx, null, 'administrator');
      const noOrg = await t.app.inject({
        method: 'POST',
        url: url('/reports?server=ex09'),
        headers: admin,
        payload: report,
      });
      assert.equal(noOrg.statusCode, 400);
      const inOrg = await t.app.inject({
        method: 'POST',
        url: url('/reports?server=ex09&org=acme'),
        headers: admin,
        payload: report,
      });
      assert.equal(inOrg.statusCode, 201);
    });
  });
