// Tenant isolation through the API, on SQLite and PostgreSQL: every route in the route table is called by
// another organisation's analyst with this organisation's ids, names and filters; none reveals anything.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listRemediation, orgScope } from '../store/index.js';
import { buildIncident } from '../analysis/incident.js';
import { backends, finding, makeReport, step, webshell } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { API_PREFIX } from './route.js';
import type { RouteDef } from './route.js';
import { ROUTES } from './routes/index.js';
import { evidenceZip, testApp, tokenFor } from './testing/fixtures.js';
import type { TestApp } from './testing/fixtures.js';

const SHELL = 'd'.repeat(64);
const MARKERS = [
  'tenant-alpha',
  'alpha-secret-server',
  '192.0.2.77',
  'AlphaOnlyAgent/9.9',
  SHELL,
  'alpha-secret-feed',
];
/** A feed of zulu's own, for the upload route. */
const ZULU_FEED = {
  type: 'bundle',
  id: 'bundle--2c000000-0000-4000-8000-000000000001',
  objects: [
    {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--2c000000-0000-4000-8000-000000000001',
      pattern: "[ipv4-addr:value = '192.0.2.160']",
      pattern_type: 'stix',
      valid_from: '2021-03-01T00:00:00Z',
    },
  ],
};

for (const b of await backends())
  describe(`tenant isolation through every route on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    let alpha: Record<string, string>;
    let zulu: Record<string, string>;
    const ids: Record<string, number> = {};
    before(async () => {
      fx = await b.create();
      t = await testApp(fx);
      alpha = await tokenFor(fx, 'tenant-alpha', 'analyst');
      zulu = await tokenFor(fx, 'tenant-zulu', 'analyst');
      const f = finding('a1', { sourceIps: ['192.0.2.77'], userAgent: 'AlphaOnlyAgent/9.9' });
      for (const server of ['alpha-secret-server', 'alpha-second-server']) {
        const report = makeReport('compromised', [f], {
          webshells: [webshell('inetpub/wwwroot/aspnet_client/a.aspx', SHELL)],
          remediation: { steps: [step('isolate', 'Isolate alpha-secret-server')], updates: [] },
        });
        // The events section names the attacker's address, so /events has something to leak.
        report.events = buildIncident(report).events;
        const r = await t.app.inject({
          method: 'POST',
          url: `${API_PREFIX}/reports?server=${server}`,
          headers: alpha,
          payload: report,
        });
        assert.equal(r.statusCode, 201, r.body);
        ids.server ??= r.json<{ serverId: number }>().serverId;
        ids.scan ??= r.json<{ scanId: number }>().scanId;
      }
      const bundle = await t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/bundles?server=alpha-secret-server`,
        headers: { ...alpha, 'content-type': 'application/zip' },
        payload: await evidenceZip('alpha'),
      });
      assert.equal(bundle.statusCode, 202, bundle.body);
      ids.bundle = bundle.json<{ id: number }>().id;
      const feed = await t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/feeds?name=alpha-secret-feed`,
        headers: { ...alpha, 'content-type': 'text/plain' },
        payload: '192.0.2.77\n',
      });
      assert.equal(feed.statusCode, 201, feed.body);
      ids.feed = feed.json<{ id: number }>().id;
      const org = await fx.store.db
        .selectFrom('organisations')
        .select('id')
        .where('name', '=', 'tenant-alpha')
        .executeTakeFirstOrThrow();
      ids.remediation = (await listRemediation(fx.store, orgScope(org.id), {})).items[0]?.id as number;
      ids.indicator = (
        await fx.store.db
          .selectFrom('indicators')
          .select('id')
          .where('value', '=', '192.0.2.77')
          .executeTakeFirstOrThrow()
      ).id;
      ids.token = (
        await fx.store.db
          .selectFrom('api_tokens')
          .select('id')
          .where('org_id', '=', org.id)
          .executeTakeFirstOrThrow()
      ).id;
      await t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/reports?server=zulu-ex`,
        headers: zulu,
        payload: makeReport('clean', []),
      });
    });
    after(async () => {
      await t.close();
      await fx.dispose();
    });

    /** Alpha's id for the resource a route's `:id` names. */
    function idFor(r: RouteDef): number {
      const kind = /^\/(\w+)/.exec(r.url)?.[1];
      const map: Record<string, number | undefined> = {
        servers: ids.server,
        scans: ids.scan,
        bundles: ids.bundle,
        remediation: ids.remediation,
        campaigns: ids.indicator,
        tokens: ids.token,
        feeds: ids.feed,
      };
      return map[kind ?? ''] ?? 1;
    }

    async function call(r: RouteDef, who: Record<string, string>, withOrg: boolean) {
      const props = Object.keys(r.query?.properties ?? {});
      const q = new URLSearchParams();
      if (props.includes('serverId')) q.set('serverId', String(ids.server));
      if (props.includes('scanId')) q.set('scanId', String(ids.scan));
      if (props.includes('server')) q.set('server', 'zulu-side');
      if (props.includes('min')) q.set('min', '1');
      if (withOrg && props.includes('org')) q.set('org', 'tenant-alpha');
      const url = `${API_PREFIX}${r.url.replace(':id', String(idFor(r)))}${q.size ? `?${q.toString()}` : ''}`;
      const bodies: Record<string, unknown> = {
        '/reports': makeReport('clean', []),
        '/session': { username: 'admin', password: 'not-it' },
        '/organisations': { name: 'made-by-zulu' },
        '/users': { username: 'zulu-user', role: 'viewer', org: 'tenant-alpha' },
        '/tokens': { name: 'zulu-token', role: 'viewer', org: 'tenant-alpha' },
        '/remediation/:id': { status: 'done' },
        '/feeds': ZULU_FEED,
        '/feeds/:id': { enabled: false },
      };
      if (r.url === '/bundles')
        return t.app.inject({
          method: r.method,
          url,
          headers: { ...who, 'content-type': 'application/zip' },
          payload: await evidenceZip('zulu'),
        });
      return t.app.inject({
        method: r.method,
        url,
        headers: who,
        ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: bodies[r.url] as object }),
      });
    }

    test('another organisation gets nothing of this one, from any route, by id, filter or name', async () => {
      let refused = 0;
      for (const r of ROUTES)
        for (const withOrg of [false, true]) {
          const res = await call(r, zulu, withOrg);
          const what = `${r.method} ${r.url}${withOrg ? ' (org=tenant-alpha)' : ''}: ${res.statusCode}`;
          assert.ok(res.statusCode < 500, `${what} ${res.body}`);
          for (const m of MARKERS)
            assert.ok(!res.body.includes(m), `${what} reveals ${m}: ${res.body.slice(0, 300)}`);
          if (res.statusCode === 403 || res.statusCode === 404) refused++;
        }
      assert.ok(refused >= 15, `refusals: ${refused}`);
      // Nothing of alpha's changed either: its remediation item is still open.
      const org = await fx.store.db
        .selectFrom('organisations')
        .select('id')
        .where('name', '=', 'tenant-alpha')
        .executeTakeFirstOrThrow();
      assert.equal((await listRemediation(fx.store, orgScope(org.id), {})).items[0]?.status, 'open');
      // Nor its feed, which zulu could neither turn off nor delete.
      const feed = await t.app.inject({
        method: 'GET',
        url: `${API_PREFIX}/feeds/${ids.feed}`,
        headers: alpha,
      });
      assert.equal(feed.json<{ enabled: boolean }>().enabled, true);
    });

    test('the same calls by the organisation itself do show its data (the check above is not vacuous)', async () => {
      const seen = new Set<string>();
      for (const r of ROUTES.filter((x) => x.method === 'GET')) {
        const res = await call(r, alpha, false);
        for (const m of MARKERS) if (res.body.includes(m)) seen.add(`${r.url}`);
      }
      for (const u of [
        '/servers',
        '/servers/:id',
        '/scans',
        '/findings',
        '/events',
        '/webshells',
        '/indicators',
        '/campaigns',
        '/campaigns/:id',
        '/campaigns/:id/stix',
        '/campaigns/indicators',
        '/campaigns/indicators/:id',
        '/remediation',
        '/scans/:id/report',
        '/feeds',
        '/feeds/:id',
        '/intel/stix',
        '/intel/csv',
      ])
        assert.ok(seen.has(u), `${u} shows alpha's data to alpha`);
    });
  });
