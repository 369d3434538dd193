// Indicator feeds through the API on SQLite and PostgreSQL: upload (raw, JSON, form), problems with their
// lines, roles, tenants, size limit; a worker applying the feeds to a bundle; the fleet export.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends, makeReport, finding } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { FeedCache } from './intel/cache.js';
import { analyseHandler, giveUpHandler } from './jobs/analyse.js';
import { API_PREFIX } from './route.js';
import { evidenceZip, testApp, tokenFor } from './testing/fixtures.js';
import type { TestApp } from './testing/fixtures.js';
import { until } from './testing/wait.js';

type Obj = { type: string; id: string; [k: string]: unknown };
interface Feed {
  id: number;
  name: string;
  format: string;
  shared: boolean;
  enabled: boolean;
  indicators: number;
  problemCount: number;
  problems: { code: string; path: string; line?: number }[];
  duplicate?: boolean;
}

const FEED_ID = 'indicator--1b000000-0000-4000-8000-0000000000aa';
/** The address evidenceZip's attacker uses, as a CERT would send it. */
const STIX_FEED = {
  type: 'bundle',
  id: 'bundle--1b000000-0000-4000-8000-000000000001',
  objects: [
    {
      type: 'indicator',
      spec_version: '2.1',
      id: FEED_ID,
      created: '2021-03-04T00:00:00.000Z',
      modified: '2021-03-04T00:00:00.000Z',
      name: 'Fleet test sources',
      pattern: "[ipv4-addr:value = '198.51.100.9']",
      pattern_type: 'stix',
      valid_from: '2021-03-01T00:00:00Z',
    },
  ],
};
const PARTLY = '203.0.113.50\nnot an indicator at all!!\n198.51.100.0/24\nip,999.1.1.1\n';
const BROKEN = JSON.stringify(
  {
    type: 'bundle',
    id: 'bundle--1b000000-0000-4000-8000-000000000002',
    objects: [
      {
        type: 'indicator',
        spec_version: '2.1',
        id: 'indicator--1b000000-0000-4000-8000-0000000000bb',
        pattern: "[ipv4-addr:value = '203.0.113.",
        pattern_type: 'stix',
        valid_from: '2022-10-01T00:00:00Z',
      },
    ],
  },
  null,
  2,
);

function form(name: string, text: string): { payload: Buffer; headers: Record<string, string> } {
  const boundary = 'exhuntfeedboundary7';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="feed"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), Buffer.from(text), Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

for (const b of await backends())
  describe(`indicator feeds on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    let alpha: Record<string, string>;
    let viewer: Record<string, string>;
    let zulu: Record<string, string>;
    let admin: Record<string, string>;
    before(async () => {
      fx = await b.create();
      t = await testApp(fx);
      alpha = await tokenFor(fx, 'tenant-alpha', 'analyst');
      viewer = await tokenFor(fx, 'tenant-alpha', 'viewer');
      zulu = await tokenFor(fx, 'tenant-zulu', 'analyst');
      admin = await tokenFor(fx, null, 'administrator');
    });
    after(async () => {
      await t.close();
      await fx.dispose();
    });

    const push = (who: Record<string, string>, body: string | object, q = '', type = 'text/plain') =>
      t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/feeds${q ? `?${q}` : ''}`,
        headers: { ...who, ...(typeof body === 'string' ? { 'content-type': type } : {}) },
        payload: body,
      });
    const get = (who: Record<string, string>, url: string) =>
      t.app.inject({ method: 'GET', url: `${API_PREFIX}${url}`, headers: who });

    test('a partly broken feed is kept with its problems and their lines; a wholly broken one is refused', async () => {
      const before = (await get(admin, '/feeds')).json<{ items: Feed[] }>().items.length;
      const ok = await push(alpha, PARTLY, 'name=partly.txt', 'application/octet-stream');
      assert.equal(ok.statusCode, 201, ok.body);
      const f = ok.json<Feed>();
      assert.deepEqual(
        [f.name, f.format, f.indicators, f.problemCount, f.shared],
        ['partly.txt', 'text', 2, 2, false],
      );
      const stored = (await get(alpha, `/feeds/${f.id}`)).json<Feed>();
      assert.deepEqual(
        stored.problems.map((p) => [p.code, p.path, p.line]),
        [
          ['ioc.bad-entry', 'partly.txt', 2],
          ['ioc.bad-entry', 'partly.txt', 4],
        ],
      );
      const bad = await push(alpha, BROKEN, 'name=broken.json', 'application/stix+json');
      assert.equal(bad.statusCode, 400, bad.body);
      const refused = bad.json<{ message: string; problems: Feed['problems'] }>();
      assert.match(refused.message, /nothing in "broken\.json" could be loaded/);
      assert.deepEqual(
        refused.problems.map((p) => [p.code, p.path, p.line]),
        [['ioc.bad-pattern', 'broken.json', 8]],
      );
      const junk = await push(alpha, 'just some words\n', 'name=junk');
      assert.equal(junk.statusCode, 400);
      assert.equal((await get(admin, '/feeds')).json<{ items: Feed[] }>().items.length, before + 1);
      const again = await push(alpha, PARTLY, 'name=other-name');
      assert.equal(again.statusCode, 200);
      assert.deepEqual([again.json<Feed>().id, again.json<Feed>().duplicate], [f.id, true]);
    });

    test('feeds arrive as JSON or as a form too; the form names the feed', async () => {
      const json = await push(alpha, STIX_FEED, 'name=cert-stix');
      assert.equal(json.statusCode, 201, json.body);
      assert.deepEqual([json.json<Feed>().format, json.json<Feed>().indicators], ['stix', 1]);
      const f = form('list.csv', 'type,value\nip,192.0.2.201\n');
      const viaForm = await t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/feeds`,
        headers: { ...alpha, ...f.headers },
        payload: f.payload,
      });
      assert.equal(viaForm.statusCode, 201, viaForm.body);
      assert.equal(viaForm.json<Feed>().name, 'list.csv');
    });

    test('roles: viewers cannot upload; only administrators upload, change or delete shared feeds', async () => {
      assert.equal((await push(viewer, '192.0.2.1\n')).statusCode, 403);
      assert.equal((await push(alpha, '192.0.2.2\n', 'shared=true')).statusCode, 403);
      assert.equal((await push(admin, '192.0.2.3\n')).statusCode, 400, 'administrators name an org or share');
      const shared = await push(admin, '192.0.2.4\n', 'shared=true&name=everyone');
      assert.equal(shared.statusCode, 201, shared.body);
      const id = shared.json<Feed>().id;
      assert.equal(shared.json<Feed>().shared, true);
      const forAlpha = await push(admin, '192.0.2.5\n', 'org=tenant-alpha&name=from-admin');
      assert.equal(forAlpha.statusCode, 201);
      const patch = (who: Record<string, string>, enabled: boolean) =>
        t.app.inject({
          method: 'PATCH',
          url: `${API_PREFIX}/feeds/${id}`,
          headers: who,
          payload: { enabled },
        });
      assert.equal((await patch(alpha, false)).statusCode, 403);
      assert.equal(
        (await t.app.inject({ method: 'DELETE', url: `${API_PREFIX}/feeds/${id}`, headers: alpha }))
          .statusCode,
        403,
      );
      const off = await patch(admin, false);
      assert.equal(off.statusCode, 200);
      assert.equal(off.json<Feed>().enabled, false);
      assert.equal((await patch(admin, true)).json<Feed>().enabled, true);
      const log = (await get(admin, '/audit')).json<{ items: { action: string; target: string }[] }>();
      assert.deepEqual(
        log.items.filter((e) => e.target === `feed:${id}`).map((e) => e.action),
        ['feed.enable', 'feed.disable', 'feed.upload'],
      );
    });

    test('a tenant lists, reads, changes and deletes only its own feeds, and reads the shared ones', async () => {
      const z = await push(zulu, '192.0.2.99\n', 'name=zulu-private');
      assert.equal(z.statusCode, 201);
      const zid = z.json<Feed>().id;
      const seen = (await get(alpha, '/feeds')).json<{ items: Feed[] }>().items;
      assert.ok(seen.some((f) => f.shared) && seen.some((f) => !f.shared));
      assert.ok(!seen.some((f) => f.name === 'zulu-private'));
      assert.equal((await get(alpha, `/feeds/${zid}`)).statusCode, 404);
      assert.equal((await get(alpha, '/feeds?org=tenant-zulu')).statusCode, 403);
      for (const method of ['PATCH', 'DELETE'] as const) {
        const r = await t.app.inject({
          method,
          url: `${API_PREFIX}/feeds/${zid}`,
          headers: alpha,
          ...(method === 'PATCH' ? { payload: { enabled: false } } : {}),
        });
        assert.equal(r.statusCode, 404, `${method}: ${r.body}`);
      }
      assert.equal((await get(zulu, `/feeds/${zid}`)).json<Feed>().enabled, true);
      const del = await t.app.inject({ method: 'DELETE', url: `${API_PREFIX}/feeds/${zid}`, headers: zulu });
      assert.equal(del.statusCode, 204);
      assert.equal((await get(zulu, `/feeds/${zid}`)).statusCode, 404);
    });

    test('a feed over the size limit is refused with 413, raw, as text, as JSON or as a form', async () => {
      const small = await testApp(fx, { maxFeedBytes: 200 });
      try {
        const big = '192.0.2.10\n'.repeat(40);
        for (const type of ['application/octet-stream', 'text/plain', 'text/csv']) {
          const r = await small.app.inject({
            method: 'POST',
            url: `${API_PREFIX}/feeds`,
            headers: { ...alpha, 'content-type': type },
            payload: big,
          });
          assert.equal(r.statusCode, 413, `${type}: ${r.body}`);
          assert.match(r.json<{ message: string }>().message, /larger than the limit of 200 bytes/);
        }
        // A client that does not announce the length is cut off at the limit too.
        const chunked = await small.app.inject({
          method: 'POST',
          url: `${API_PREFIX}/feeds`,
          headers: { ...alpha, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
          payload: big,
        });
        assert.equal(chunked.statusCode, 413, chunked.body);
        const json = await small.app.inject({
          method: 'POST',
          url: `${API_PREFIX}/feeds`,
          headers: alpha,
          payload: { ...STIX_FEED, padding: 'x'.repeat(400) },
        });
        assert.equal(json.statusCode, 413, json.body);
        const f = form('big.txt', big);
        const viaForm = await small.app.inject({
          method: 'POST',
          url: `${API_PREFIX}/feeds`,
          headers: { ...alpha, ...f.headers },
          payload: f.payload,
        });
        assert.equal(viaForm.statusCode, 413, viaForm.body);
      } finally {
        await small.close();
      }
    });

    test('a worker applies the organisation’s feeds to a bundle: findings name the feed, the export cites it', async () => {
      const feeds = (await get(alpha, '/feeds')).json<{ items: Feed[] }>().items;
      const stix = feeds.find((f) => f.name === 'cert-stix');
      assert.ok(stix, 'uploaded by an earlier test');
      const cache = new FeedCache();
      const deps = { store: fx.store, storage: t.storage, threads: 0, feeds: cache };
      await t.queue.work(analyseHandler(deps), 1, giveUpHandler(deps));
      const analysed = async (tag: string, server: string) => {
        const up = await t.app.inject({
          method: 'POST',
          url: `${API_PREFIX}/bundles?server=${server}`,
          headers: { ...alpha, 'content-type': 'application/zip' },
          payload: await evidenceZip(tag),
        });
        assert.equal(up.statusCode, 202, up.body);
        t.queue.notify();
        const id = up.json<{ id: number }>().id;
        const done = await until(async () => {
          const r = (await get(alpha, `/bundles/${id}`)).json<{
            status: string;
            scanId: number;
            error: string;
          }>();
          return r.status === 'done' || r.status === 'failed' ? r : undefined;
        }, `bundle ${id}`);
        assert.equal(done.status, 'done', done.error);
        const found = (await get(alpha, `/findings?scanId=${done.scanId}&limit=500`)).json<{
          items: { finding: { rule: { id: string; source: string }; details?: Record<string, string> } }[];
        }>();
        return found.items.map((i) => i.finding);
      };
      const first = await analysed('intel-1', 'ex-intel');
      const hits = first.filter((f) => f.rule.id === FEED_ID);
      assert.ok(hits.length >= 2, 'the address in HttpProxy and IIS');
      for (const h of hits) {
        assert.equal(h.rule.source, `cert-stix (feed ${stix.id})`);
        assert.equal(h.details?.feed, `cert-stix (feed ${stix.id})`);
      }
      // Our curated indicators are applied too, after the organisation's feeds.
      assert.ok(first.some((f) => f.rule.source.startsWith('builtin:')));
      const second = await analysed('intel-2', 'ex-intel-2');
      assert.ok(second.some((f) => f.rule.id === FEED_ID));
      const parsed = cache.parses;
      assert.ok(parsed >= 1);

      // Disabled, the feed is not applied; the shared feed naming the same address then is.
      const off = await t.app.inject({
        method: 'PATCH',
        url: `${API_PREFIX}/feeds/${stix.id}`,
        headers: alpha,
        payload: { enabled: false },
      });
      assert.equal(off.statusCode, 200);
      const shared = await push(admin, '198.51.100.9\n', 'shared=true&name=cert-shared');
      assert.equal(shared.statusCode, 201);
      const third = await analysed('intel-3', 'ex-intel-3');
      assert.ok(!third.some((f) => f.rule.id === FEED_ID));
      assert.ok(third.some((f) => f.rule.source === `cert-shared (feed ${shared.json<Feed>().id})`));
      assert.equal(cache.parses, parsed + 1, 'only the new feed was parsed; the others came from the cache');
      await t.app.inject({
        method: 'PATCH',
        url: `${API_PREFIX}/feeds/${stix.id}`,
        headers: alpha,
        payload: { enabled: true },
      });

      // The fleet export in alpha's scope: the imported indicator as the CERT sent it, a sighting per server.
      await t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/reports?server=zulu-ex`,
        headers: zulu,
        payload: makeReport('exploited', [finding('z1', { sourceIps: ['192.0.2.222'] })]),
      });
      const res = await get(alpha, '/intel/stix');
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^application\/stix\+json/);
      const bundle = res.json<{ type: string; id: string; objects: Obj[] }>();
      assert.equal(bundle.type, 'bundle');
      const byId = new Map(bundle.objects.map((o) => [o.id, o]));
      assert.equal(byId.size, bundle.objects.length);
      for (const o of bundle.objects)
        for (const [k, v] of Object.entries(o))
          for (const ref of k.endsWith('_ref') ? [v] : k.endsWith('_refs') ? (v as unknown[]) : [])
            assert.ok(byId.has(ref as string), `${o.id} ${k} → ${String(ref)}`);
      const ind = byId.get(FEED_ID);
      assert.deepEqual(
        [ind?.type, ind?.name, ind?.pattern],
        ['indicator', 'Fleet test sources', STIX_FEED.objects[0]?.pattern],
      );
      const sightings = bundle.objects.filter((o) => o.type === 'sighting');
      for (const s of sightings) assert.equal(byId.get(s.sighting_of_ref as string)?.type, 'indicator');
      const places = sightings
        .filter((s) => s.sighting_of_ref === FEED_ID)
        .map((s) => byId.get((s.where_sighted_refs as string[])[0] as string)?.name)
        .sort();
      assert.deepEqual(places, ['ex-intel', 'ex-intel-2', 'ex-intel-3']);
      assert.ok(!res.body.includes('192.0.2.222') && !res.body.includes('zulu'));

      const csv = await get(alpha, '/intel/csv');
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      const row = csv.body.split('\r\n').find((l) => l.startsWith('ip,198.51.100.9,'));
      assert.match(
        row ?? '',
        /,matched,.*,ex-intel; ex-intel-2; ex-intel-3,cert-(stix|shared) \(feed \d+\),/,
      );
      assert.ok(!csv.body.includes('192.0.2.222'));

      // Another tenant's export holds nothing of alpha's; an administrator's names organisations.
      const theirs = await get(zulu, '/intel/stix');
      assert.equal(theirs.statusCode, 200);
      assert.ok(theirs.body.includes('192.0.2.222'));
      for (const m of ['198.51.100.9', 'ex-intel', 'tenant-alpha', FEED_ID])
        assert.ok(!theirs.body.includes(m), m);
      assert.equal((await get(zulu, '/intel/csv?org=tenant-alpha')).statusCode, 403);
      assert.equal((await get(viewer, '/intel/stix')).statusCode, 403);
      const all = (await get(admin, '/intel/stix')).json<{ objects: Obj[] }>();
      const orgs = all.objects.filter((o) => o.identity_class === 'organization').map((o) => o.name);
      assert.deepEqual(orgs.sort(), ['tenant-alpha', 'tenant-zulu']);
      const adminCsv = (await get(admin, '/intel/csv')).body.split('\r\n');
      assert.equal(
        adminCsv[0],
        'type,value,kind,first_seen,last_seen,scans,servers,organisations,feed,stix_id',
      );
      const log = (await get(alpha, '/audit?action=intel.export')).json<{
        items: { detail: { format: string } }[];
      }>();
      assert.deepEqual(
        log.items.map((e) => e.detail.format),
        ['csv', 'stix'],
      );
    });
  });
