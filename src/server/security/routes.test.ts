// Security suite, generated from the route table (so a route added tomorrow is covered the day it is
// added), on SQLite and on PostgreSQL when present: every route refuses missing, bad, revoked and
// lower-role credentials; every parameter refuses hostile values (out-of-range numbers, NUL and control
// bytes, prototype names, overlong strings) with a 4xx and a reason, never a 500; every JSON body refuses
// fields past their limits; every response carries the framing and sniffing headers.
// Another tenant's ids on every route: isolation.test.ts, generated from the same table.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createToken, revokeToken, ALL } from '../../store/index.js';
import { backends, makeReport } from '../../store/testing.js';
import type { Fixture } from '../../store/testing.js';
import { API_PREFIX, SMALL_BODY_BYTES } from '../route.js';
import type { RouteDef } from '../route.js';
import { ROUTES } from '../routes/index.js';
import { testApp, tokenFor } from '../testing/fixtures.js';
import type { TestApp } from '../testing/fixtures.js';

const RANK = { viewer: 1, analyst: 2, administrator: 3 } as const;
type Method = RouteDef['method'];

/** Values a parameter must survive (URL-encoded as sent). */
const HOSTILE = [
  'Infinity',
  '-Infinity',
  'NaN',
  '1e400',
  '99999999999999999999',
  '9007199254740993',
  '1.5',
  '-1',
  '0x10',
  '%00',
  'a%00b',
  '%01%07%1b%7f',
  '%0d%0aX-Injected:%201',
  'constructor',
  '__proto__',
  'toString',
  `${'x'.repeat(5000)}`,
  '%ff%fe',
  encodeURIComponent(Buffer.from(JSON.stringify([1.5, 'a', 2.5])).toString('base64url')),
  encodeURIComponent(Buffer.from(JSON.stringify(['a\u0000', 1])).toString('base64url')),
  encodeURIComponent(Buffer.from(JSON.stringify([1e300, 1e300, 'x', 1e300])).toString('base64url')),
];

function assertHeaders(r: LightMyRequestResponse, what: string): void {
  assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/, `${what}: CSP`);
  assert.equal(r.headers['x-frame-options'], 'DENY', `${what}: X-Frame-Options`);
  assert.equal(r.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.equal(r.headers['referrer-policy'], 'no-referrer', `${what}: referrer-policy`);
}

/** A 4xx with a reason in the body, or a success: never a 5xx. */
function assertHandled(r: LightMyRequestResponse, what: string): void {
  assert.ok(r.statusCode < 500, `${what}: ${r.statusCode} ${r.body.slice(0, 300)}`);
  if (r.statusCode >= 400 && r.headers['content-type']?.toString().includes('json'))
    assert.ok((r.json<{ message?: string }>().message ?? '').length > 0, `${what}: no reason given`);
}

const urlOf = (def: RouteDef, id = '1') => API_PREFIX + def.url.replace(/:(\w+)/g, id);

for (const b of await backends())
  describe(`every route, attacked, on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    const who: Record<string, Record<string, string>> = {};
    before(async () => {
      fx = await b.create();
      t = await testApp(fx);
      who.administrator = await tokenFor(fx, null, 'administrator');
      who.analyst = await tokenFor(fx, 'sec-org', 'analyst');
      who.viewer = await tokenFor(fx, 'sec-org', 'viewer');
      const revoked = await createToken(
        fx.store,
        { name: 'gone', role: 'administrator', orgId: null },
        'test',
      );
      await revokeToken(fx.store, ALL, revoked.view.id, 'test');
      who.revoked = { authorization: `Bearer ${revoked.token}` };
      who.bad = { authorization: 'Bearer exh_not-a-token' };
      who.malformed = { authorization: 'Basic YWRtaW46YWRtaW4=' };
      // Something to read, so that list routes run their queries with the hostile parameters.
      const r = await t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/reports?server=sec-ex`,
        headers: who.analyst,
        payload: makeReport('clean', []),
      });
      assert.equal(r.statusCode, 201, r.body);
    });
    after(async () => {
      await t?.close();
      await fx?.dispose();
    });

    const send = (method: Method, url: string, headers: Record<string, string> = {}, payload?: unknown) =>
      t.app.inject({
        method,
        url,
        headers,
        ...(payload !== undefined ? { payload: payload as string } : {}),
      });

    test('no, bad, malformed or revoked credentials: 401 on every route but the public ones', async () => {
      let checked = 0;
      for (const def of ROUTES) {
        if (def.role === 'public') continue;
        for (const h of [{}, who.bad!, who.malformed!, who.revoked!]) {
          const r = await send(def.method, urlOf(def), h);
          assert.equal(r.statusCode, 401, `${def.method} ${def.url} with ${JSON.stringify(h)}: ${r.body}`);
          assertHeaders(r, `${def.method} ${def.url}`);
          checked++;
        }
      }
      assert.ok(checked > 100, `${checked} calls`);
    });

    test('a role below the one a route needs: 403 on every route', async () => {
      let checked = 0;
      for (const def of ROUTES) {
        if (def.role === 'public') continue;
        for (const role of ['viewer', 'analyst'] as const) {
          if (RANK[role] >= RANK[def.role]) continue;
          const r = await send(def.method, urlOf(def), who[role]);
          assert.equal(r.statusCode, 403, `${def.method} ${def.url} as ${role}: ${r.body}`);
          checked++;
        }
      }
      assert.ok(checked > 10, `${checked} calls`);
    });

    test('cookie-signed changes without the CSRF header are refused on every changing route', async () => {
      for (const def of ROUTES.filter((d) => d.method !== 'GET' && d.role !== 'public')) {
        const r = await send(def.method, urlOf(def), { cookie: 'exhunt_session=not-a-session' });
        assert.ok(r.statusCode === 401 || r.statusCode === 403, `${def.method} ${def.url}: ${r.statusCode}`);
      }
    });

    test('every path and query parameter: hostile values give a 4xx with a reason, never a 500', async () => {
      let calls = 0;
      for (const def of ROUTES) {
        const params = Object.keys(def.params?.properties ?? {});
        const queries = Object.keys(def.query?.properties ?? {});
        for (const v of HOSTILE) {
          const targets: string[] = [];
          if (params.length) targets.push(`${API_PREFIX}${def.url.replace(/:(\w+)/g, v)}`);
          for (const q of queries) targets.push(`${urlOf(def)}?${q}=${v}`);
          for (const url of targets) {
            const r = await send(def.method, url, who.administrator);
            assertHandled(r, `${def.method} ${url.slice(0, 120)}`);
            assertHeaders(r, `${def.method} ${def.url}`);
            if (v.includes('%00') && r.statusCode !== 404)
              assert.equal(r.statusCode, 400, `${url}: ${r.body}`);
            calls++;
          }
        }
      }
      assert.ok(calls > 300, `${calls} calls`);
    });

    test('every JSON body: past its size limit 413, fields past their limits or of the wrong kind 4xx', async () => {
      for (const def of ROUTES.filter((d) => d.body)) {
        const url = urlOf(def);
        const limit = def.bodyLimit ? undefined : SMALL_BODY_BYTES;
        if (limit) {
          const big = await send(
            def.method,
            url,
            { ...who.administrator, 'content-type': 'application/json' },
            JSON.stringify({ pad: 'x'.repeat(limit) }),
          );
          assert.equal(big.statusCode, 413, `${def.method} ${def.url}: ${big.body.slice(0, 200)}`);
        }
        const props = Object.keys(def.body?.properties ?? {});
        const J = JSON.stringify;
        const bodies: string[] = [
          '[]',
          '"a string"',
          '42',
          'null',
          '{"constructor":"x","__proto__":{"admin":true}}',
          ...props.map((p) => J({ [p]: 'x'.repeat(200_000) })),
          ...props.map((p) => J({ [p]: 'a\u0000b' })),
          ...props.map((p) => `{${J(p)}:1e400}`),
          ...props.map((p) => J({ [p]: { nested: ['deep'] } })),
        ];
        for (const body of bodies) {
          const r = await send(
            def.method,
            url,
            { ...who.administrator, 'content-type': 'application/json' },
            body,
          );
          const what = `${def.method} ${def.url} ${body.slice(0, 80)}`;
          assertHandled(r, what);
          // Every body here is wrong somewhere (a missing field, a value past its bound, the wrong kind).
          assert.ok(r.statusCode >= 400, `${what}: accepted`);
        }
      }
    });

    test('bad JSON, deep JSON and a wrong content type are 4xx everywhere', async () => {
      for (const def of ROUTES.filter((d) => d.method !== 'GET')) {
        for (const [type, payload] of [
          ['application/json', '{"a":'],
          ['application/json', `${'['.repeat(100)}${']'.repeat(100)}`],
          ['application/xml', '<a/>'],
        ] as const) {
          const r = await send(
            def.method,
            urlOf(def),
            { ...who.administrator, 'content-type': type },
            payload,
          );
          assertHandled(r, `${def.method} ${def.url} ${type}`);
          assert.ok(r.statusCode >= 400, `${def.method} ${def.url} ${type}: ${r.statusCode}`);
        }
      }
    });

    test('pages not routed, and the dashboard paths, carry the same headers', async () => {
      for (const url of ['/', '/index.html', '/nope', `${API_PREFIX}/nope`, `${API_PREFIX}/health`]) {
        const r = await send('GET', url);
        assertHeaders(r, url);
      }
    });
  });
