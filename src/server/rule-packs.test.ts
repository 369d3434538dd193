// Sigma rule packs on the server, on SQLite and PostgreSQL: checked at upload as a scan loads them (the
// rules that load, the others as problems with their lines), one pack per content, refused when no rule
// loads, and a tenant's pack invisible to, and unusable by, another tenant.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { API_PREFIX } from './route.js';
import { testApp, tokenFor } from './testing/fixtures.js';
import type { TestApp } from './testing/fixtures.js';

const GOOD = `title: Marker in a query
id: 0b6b3d52-3d1c-4d0e-9a3e-5c5f0e1d2a01
author: soc
logsource:
  category: webserver
detection:
  selection:
    cs-uri-query|contains: 'rh=0517'
  condition: selection
level: high
`;
/** A modifier our engine does not know: that rule is skipped with its line. */
const BAD = `title: Broken
id: 0b6b3d52-3d1c-4d0e-9a3e-5c5f0e1d2a02
logsource:
  category: webserver
detection:
  selection:
    cs-uri-query|nosuchmodifier: 'x'
  condition: selection
`;

interface Pack {
  id: number;
  rules: number;
  problemCount: number;
  problems: { code: string; line?: number; path: string }[];
  duplicate: boolean;
}

for (const b of await backends())
  describe(`rule packs on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    let acme: Record<string, string>;
    let globex: Record<string, string>;
    before(async () => {
      fx = await b.create();
      t = await testApp(fx);
      acme = await tokenFor(fx, 'acme', 'analyst');
      globex = await tokenFor(fx, 'globex', 'analyst');
    });
    after(async () => {
      await t.close();
      await fx.dispose();
    });
    const upload = (headers: Record<string, string>, body: string, q = 'name=soc-pack') =>
      t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/rule-packs?${q}`,
        headers: { ...headers, 'content-type': 'text/plain' },
        payload: body,
      });

    test('what loads is counted, the rest are problems with lines; the same content again is the same pack', async () => {
      const r = await upload(acme, `${GOOD}---\n${BAD}`);
      assert.equal(r.statusCode, 201, r.body);
      const p = r.json<Pack>();
      assert.equal(p.rules, 1);
      assert.ok(p.problemCount >= 1);
      assert.ok(
        p.problems.every((x) => x.path === 'soc-pack' && typeof x.line === 'number' && x.line > 12),
        r.body,
      );
      const again = await upload(acme, `${GOOD}---\n${BAD}`);
      assert.equal(again.statusCode, 200);
      assert.equal(again.json<Pack>().id, p.id);
      assert.equal(again.json<Pack>().duplicate, true);
    });

    test('a pack where no rule loads is refused with its problems; a tenant cannot share one', async () => {
      const r = await upload(acme, BAD, 'name=broken');
      assert.equal(r.statusCode, 400, r.body);
      assert.ok(r.json<Pack>().problems.length >= 1);
      const shared = await upload(acme, GOOD, 'shared=true');
      assert.equal(shared.statusCode, 403, shared.body);
    });

    test('another tenant neither sees nor hunts with a tenant’s pack', async () => {
      const mine = (await t.app.inject({ method: 'GET', url: `${API_PREFIX}/rule-packs`, headers: acme })).json<{ items: Pack[] }>(); // prettier-ignore
      assert.equal(mine.items.length, 1);
      const theirs = (await t.app.inject({ method: 'GET', url: `${API_PREFIX}/rule-packs`, headers: globex })).json<{ items: Pack[] }>(); // prettier-ignore
      assert.deepEqual(theirs.items, []);
      const id = mine.items[0]!.id;
      const get = await t.app.inject({
        method: 'GET',
        url: `${API_PREFIX}/rule-packs/${id}`,
        headers: globex,
      });
      assert.equal(get.statusCode, 404);
      const hunt = await t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/retrohunts`,
        headers: globex,
        payload: { rules: id },
      });
      assert.equal(hunt.statusCode, 404, hunt.body);
      // Its owner can: no bundle yet, so the hunt is done at once with nothing.
      const own = await t.app.inject({ method: 'POST', url: `${API_PREFIX}/retrohunts`, headers: acme, payload: { rules: id } }); // prettier-ignore
      assert.equal(own.statusCode, 202, own.body);
      assert.equal(own.json<{ status: string }>().status, 'done');
    });
  });
