// Feeds and fleet sightings, on SQLite and PostgreSQL: who sees and changes which feed, the audit trail,
// and the per-server counters that ingest keeps of what feeds matched.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listAudit } from './audit.js';
import { createFeed, deleteFeed, feedContents, getFeed, listFeeds, setFeedEnabled } from './feeds.js';
import type { NewFeed } from './feeds.js';
import { ingestReport } from './ingest.js';
import { createOrganisation } from './orgs.js';
import { ALL, orgScope } from './scope.js';
import { listFleetSightings } from './sightings.js';
import { backends, finding, makeReport } from './testing.js';
import type { Fixture } from './testing.js';

const feed = (name: string, sha: string): NewFeed => ({
  name,
  format: 'text',
  content: `203.0.113.50\n# ${name}\n`,
  sha256: sha.repeat(64),
  size: 30,
  indicators: 1,
  problems: [{ code: 'ioc.bad-entry', message: 'bad', path: name, line: 3, severity: 'warning' }],
  actor: 'test',
});

/** A finding of an indicator match, as the IOC matchers make them. */
const match = (id: string, time: string, rule = 'indicator--0a000000-0000-4000-8000-000000000001') =>
  finding(id, {
    time,
    rule: { id: rule, title: 'Indicator match', author: 'CERT', source: 'cert (feed 1)' },
    stage: 'recon',
    outcome: 'attempt',
    sourceIps: ['203.0.113.50'],
    details: { indicatorType: 'ip', indicator: '203.0.113.50', feed: 'cert (feed 1)' },
  });

for (const b of await backends())
  describe(`feeds and sightings on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let a: ReturnType<typeof orgScope>;
    let z: ReturnType<typeof orgScope>;
    const ids: Record<string, number> = {};
    before(async () => {
      fx = await b.create();
      a = orgScope((await createOrganisation(fx.store, 'alpha', 'test')).id);
      z = orgScope((await createOrganisation(fx.store, 'zulu', 'test')).id);
      ids.a = (await createFeed(fx.store, a, feed('alpha-feed', 'a'))).feed.id;
      ids.z = (await createFeed(fx.store, z, feed('zulu-feed', 'b'))).feed.id;
      ids.shared = (await createFeed(fx.store, 'shared', feed('shared-feed', 'c'))).feed.id;
    });
    after(() => fx.dispose());

    test('a tenant sees its own feeds and the shared ones, never another tenant’s', async () => {
      assert.deepEqual(
        (await listFeeds(fx.store, a)).map((f) => [f.name, f.shared, f.organisation]),
        [
          ['alpha-feed', false, 'alpha'],
          ['shared-feed', true, null],
        ],
      );
      assert.deepEqual(
        (await listFeeds(fx.store, ALL)).map((f) => f.name),
        ['alpha-feed', 'zulu-feed', 'shared-feed'],
      );
      assert.equal(await getFeed(fx.store, a, ids.z as number), undefined);
      assert.deepEqual([...(await feedContents(fx.store, a, [ids.a!, ids.z!, ids.shared!])).keys()].sort(), [
        ids.a,
        ids.shared,
      ]);
      const got = await getFeed(fx.store, a, ids.a as number);
      assert.deepEqual(got?.problems, [
        { code: 'ioc.bad-entry', message: 'bad', path: 'alpha-feed', line: 3, severity: 'warning' },
      ]);
      assert.equal(got?.problemCount, 1);
      assert.equal(got?.enabled, true);
    });

    test('the same content twice for one owner is one feed; for another owner it is another', async () => {
      const again = await createFeed(fx.store, a, feed('renamed', 'a'));
      assert.deepEqual([again.created, again.feed.id, again.feed.name], [false, ids.a, 'alpha-feed']);
      const other = await createFeed(fx.store, 'shared', feed('copy', 'a'));
      assert.equal(other.created, true);
      assert.equal(await deleteFeed(fx.store, ALL, other.feed.id, 'test'), true);
    });

    test('a tenant changes only its own feeds; administrators change any, shared ones included', async () => {
      assert.equal(await setFeedEnabled(fx.store, a, ids.z as number, false, 'x'), undefined);
      assert.equal(await setFeedEnabled(fx.store, a, ids.shared as number, false, 'x'), undefined);
      assert.equal(await deleteFeed(fx.store, a, ids.z as number, 'x'), false);
      assert.equal(await deleteFeed(fx.store, a, ids.shared as number, 'x'), false);
      assert.equal((await getFeed(fx.store, ALL, ids.z as number))?.enabled, true);
      assert.equal((await setFeedEnabled(fx.store, a, ids.a as number, false, 'alice'))?.enabled, false);
      assert.equal(
        (await setFeedEnabled(fx.store, ALL, ids.shared as number, false, 'root'))?.enabled,
        false,
      );
      assert.equal((await setFeedEnabled(fx.store, ALL, ids.shared as number, true, 'root'))?.enabled, true);
      const log = await listAudit(fx.store, a, {});
      const mine = log.items.filter((e) => e.target === `feed:${ids.a}`).map((e) => [e.action, e.actor]);
      assert.deepEqual(mine, [
        ['feed.disable', 'alice'],
        ['feed.upload', 'test'],
      ]);
      // Shared feeds' entries belong to no tenant.
      assert.ok(!log.items.some((e) => e.target === `feed:${ids.shared}`));
      assert.ok(
        (await listAudit(fx.store, ALL, { action: 'feed.enable' })).items.some(
          (e) => e.target === `feed:${ids.shared}` && e.organisationId === null,
        ),
      );
    });

    test('ingest counts feed matches per server: scans, findings, first and last seen; tenants see their own', async () => {
      const r1 = makeReport('attempted', [
        match('m1', '2022-10-03T06:00:00.000Z'),
        match('m2', '2022-10-03T08:00:00.000Z'),
      ]);
      const r2 = makeReport('attempted', [match('m3', '2022-10-01T01:00:00.000Z')], {
        scan: { ...r1.scan, startedAt: '2022-10-05T00:00:00.000Z' },
      });
      await ingestReport(fx.store, a, { serverName: 'alpha-ex1', report: r1, actor: 't' });
      await ingestReport(fx.store, a, { serverName: 'alpha-ex1', report: r2, actor: 't' });
      await ingestReport(fx.store, z, { serverName: 'zulu-ex1', report: r1, actor: 't' });
      const mine = await listFleetSightings(fx.store, a, { limit: 100 });
      const m = mine.items.filter((s) => s.kind === 'matched');
      assert.equal(m.length, 1);
      assert.deepEqual(
        m.map((s) => [s.server.name, s.firstSeen, s.lastSeen, s.scans, s.kind === 'matched' && s.findings]),
        [['alpha-ex1', '2022-10-01T01:00:00.000Z', '2022-10-03T08:00:00.000Z', 2, 3]],
      );
      assert.equal(
        m[0]?.kind === 'matched' && m[0].ruleId,
        'indicator--0a000000-0000-4000-8000-000000000001',
      );
      // The same address is also among the indicators the scans found (the campaign tables).
      assert.ok(mine.items.some((s) => s.kind === 'found' && s.value === '203.0.113.50'));
      assert.ok(!JSON.stringify(mine).includes('zulu'));
      const all = await listFleetSightings(fx.store, ALL, { limit: 100 });
      assert.deepEqual([...new Set(all.items.map((s) => s.organisation.name))].sort(), ['alpha', 'zulu']);
      const newer = await listFleetSightings(fx.store, a, { limit: 100, since: '2022-10-03T07:00:00.000Z' });
      assert.equal(newer.items.filter((s) => s.kind === 'matched').length, 1);
      const none = await listFleetSightings(fx.store, a, { limit: 100, since: '2030-01-01T00:00:00.000Z' });
      assert.deepEqual(none.items, []);
      const cut = await listFleetSightings(fx.store, ALL, { limit: 1 });
      assert.equal(cut.truncated, true);
    });
  });
