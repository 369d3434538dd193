// The campaign routes through the API, on SQLite and PostgreSQL: clusters, noise, a cluster with its
// timeline, its STIX bundle, and a tenant kept to its own servers.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ClusterDetail, ClusterPage, NoiseIndicator } from '../store/index.js';
import {
  FIXTURE_WIDESPREAD,
  loadCampaignFleet,
  SCANNER_IP,
  SHELL_A,
  SHELL_B,
} from '../store/fleet-campaign-fixture.js';
import { backends } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { openApiDocument } from './openapi.js';
import { API_PREFIX } from './route.js';
import { ROUTES } from './routes/index.js';
import { testApp, tokenFor } from './testing/fixtures.js';
import type { TestApp } from './testing/fixtures.js';

const W = `widespread=${FIXTURE_WIDESPREAD}`;

for (const b of await backends())
  describe(`campaign routes on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    let admin: Record<string, string>;
    let south: Record<string, string>;
    before(async () => {
      fx = await b.create();
      t = await testApp(fx);
      await loadCampaignFleet(fx.store);
      admin = await tokenFor(fx, null, 'administrator');
      south = await tokenFor(fx, 'south', 'viewer');
    });
    after(async () => {
      await t.close();
      await fx.dispose();
    });
    const get = (url: string, who: Record<string, string>) =>
      t.app.inject({ method: 'GET', url: `${API_PREFIX}${url}`, headers: who });

    test('GET /campaigns: one row per attacker, the scanner in background noise', async () => {
      const res = await get(`/campaigns?${W}`, admin);
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json<ClusterPage>();
      assert.equal(page.items.length, 2);
      const shells = page.items
        .map((c) => c.indicators.find((i) => i.kind === 'webshell-hash')?.value)
        .sort();
      assert.deepEqual(shells, [SHELL_A, SHELL_B]);
      assert.ok(page.noise.top.some((n) => n.value === SCANNER_IP && n.reason === 'widespread'));
      const noise = await get(`/campaigns/noise?${W}&reason=scanner`, admin);
      assert.deepEqual(
        noise.json<{ items: NoiseIndicator[] }>().items.map((n) => n.value),
        ['mozilla/5.0 zgrab/0.x'],
      );
      // The old per-indicator list is still there.
      const old = await get('/campaigns/indicators?min=2', admin);
      assert.equal(old.statusCode, 200);
      assert.ok(old.body.includes(SCANNER_IP));
    });

    test('GET /campaigns/:id and its STIX bundle; a tenant gets its own servers and 404 for the rest', async () => {
      const page = (await get(`/campaigns?${W}`, admin)).json<ClusterPage>();
      const a = page.items.find((c) => c.indicators.some((i) => i.value === SHELL_A));
      const bb = page.items.find((c) => c.indicators.some((i) => i.value === SHELL_B));
      assert.ok(a && bb);
      const detail = (await get(`/campaigns/${a.id}?${W}`, admin)).json<ClusterDetail>();
      assert.deepEqual(
        detail.timeline.map((e) => e.victim.name),
        ['north', 'east'],
      );
      assert.deepEqual(
        detail.victims.map((v) => v.verdict),
        ['compromised', 'compromised'],
      );
      const stix = await get(`/campaigns/${a.id}/stix?${W}`, admin);
      assert.equal(stix.statusCode, 200);
      assert.match(String(stix.headers['content-type']), /^application\/stix\+json/);
      const bundle = stix.json<{ type: string; objects: { type: string; name?: string }[] }>();
      assert.equal(bundle.type, 'bundle');
      assert.deepEqual(
        bundle.objects
          .filter((o) => o.type === 'identity' && o.name !== 'exhunt')
          .map((o) => o.name)
          .sort(),
        ['east', 'north'],
      );
      assert.equal(bundle.objects.filter((o) => o.type === 'sighting').length, 2);
      // The tenant south: cluster B with its own server only; cluster A does not exist for it.
      assert.equal((await get(`/campaigns/${a.id}?${W}`, south)).statusCode, 404);
      assert.equal((await get(`/campaigns/${a.id}/stix?${W}`, south)).statusCode, 404);
      const mine = await get(`/campaigns/${bb.id}/stix?${W}`, south);
      assert.equal(mine.statusCode, 200);
      assert.ok(mine.body.includes('south-ex1'));
      assert.ok(!/west|north|east/.test(mine.body), mine.body);
      const list = await get(`/campaigns?${W}`, south);
      assert.ok(!/west|north|east|OutlookEN|outlooken/i.test(list.body), list.body);
    });

    test('the OpenAPI document lists the campaign routes', () => {
      const doc = openApiDocument(ROUTES) as { paths: Record<string, unknown> };
      for (const p of [
        '/campaigns',
        '/campaigns/noise',
        '/campaigns/{id}',
        '/campaigns/{id}/stix',
        '/campaigns/indicators',
      ])
        assert.ok(`${API_PREFIX}${p}` in doc.paths, p);
    });
  });
