// Retro-hunts over fifty organisations (64 servers, examples/lib/fleet.ts) on SQLite and on PostgreSQL with
// pg-boss workers: every server's bundle is uploaded and analysed, then a feed is added whose indicators are
// in some servers' evidence (one attacker group's exploit address, which stored findings already name, and an
// address planted as an ordinary request, which no finding names) and a rule pack whose rule matches the
// planted request. The hunts must find exactly the servers whose evidence holds them inside the time range
// (not the one whose planted line is older), once however often they run, with a notification per new hit
// only in the organisation with a channel, and a tenant must see only its own part. Expectations come from
// the generator's description and what was planted.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ATTACKER_GROUPS, fleetOrganisations, fleetServerTree } from '../../examples/lib/fleet.js';
import type { FleetServer } from '../../examples/lib/fleet.js';
import type { ScanReport } from '../core/report.js';
import { scan } from '../engine/scan.js';
import { ingestReport, orgScope } from '../store/index.js';
import type { RetrohuntHitView, RetrohuntView } from '../store/index.js';
import { backends } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { analyseHandler, giveUpHandler } from './jobs/analyse.js';
import { API_PREFIX } from './route.js';
import { testApp, tokenFor } from './testing/fixtures.js';
import type { TestApp } from './testing/fixtures.js';
import { plantRequest, zipFolder } from './testing/retrohunt-fleet.js';
import { until } from './testing/wait.js';

const SEED = 1;
const SCALE = 0.05;
const orgs = fleetOrganisations(50, SEED);
const servers = orgs.flatMap((o) => o.servers);

/** An address no generated traffic uses (TEST-NET-1), planted as one ordinary request. */
const MARK_IP = '192.0.2.147';
const MARK_QUERY = 'replaceCurrent=1&rh=0517';
const MARK_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0';
const SINCE = '2020-01-01T00:00:00.000Z';
/** The group whose exploit address the feed lists: stored findings name it at each of its victims. */
const group = ATTACKER_GROUPS[1]!;

const planted = servers.filter((_, i) => i % 5 === 2);
/** Planted too, but in 2019, before the hunts' range: never a hit. */
const early = servers.find((s, i) => i % 5 === 4 && s.attack?.group !== group.id)!;
const groupVictims = servers.filter((s) => s.attack?.group === group.id);
const feedExpected = new Set([...planted, ...groupVictims].map((s) => s.name));

const FEED = `# retro-hunt test feed\n${MARK_IP}\n${group.exploitIp}\n`;
const PACK = `title: Planted logon marker
id: 6f1e0c0e-5b8a-4c55-9d0e-17b17b17b170
status: test
author: exhunt tests
logsource:
  category: webserver
detection:
  selection:
    cs-uri-query|contains: 'rh=0517'
  condition: selection
level: high
`;

interface Prepared {
  root: string;
  zips: Map<string, Buffer>;
  reports: Map<string, ScanReport>;
}
let prepared: Promise<Prepared> | undefined;

/** Trees planted, zipped and scanned once (as a worker scans a bundle), for both databases. */
function prepare(): Promise<Prepared> {
  prepared ??= (async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-retrohunt-'));
    const zips = new Map<string, Buffer>();
    const reports = new Map<string, ScanReport>();
    for (const s of servers) {
      const dir = path.join(root, s.name);
      await fleetServerTree(s, { seed: SEED, scale: SCALE }).tree.write(dir);
      const mark = { ip: MARK_IP, userAgent: MARK_UA, query: MARK_QUERY };
      if (planted.includes(s)) await plantRequest(dir, { ...mark, at: new Date((s.from + s.to) / 2) });
      if (s === early) await plantRequest(dir, { ...mark, at: new Date('2019-06-01T10:00:00Z') });
      const zip = await zipFolder(dir);
      zips.set(s.name, zip);
      const zipPath = `${dir}.zip`;
      await writeFile(zipPath, zip);
      reports.set(s.name, (await scan(zipPath, { threads: 0 })).report);
    }
    return { root, zips, reports };
  })();
  return prepared;
}
after(async () => {
  if (prepared) await rm((await prepared).root, { recursive: true, force: true });
});

test('the planted fleet has what the checks need', () => {
  assert.ok(servers.length >= 50, `${servers.length} servers`);
  assert.ok(planted.length >= 10 && groupVictims.length >= 2);
  assert.ok(!planted.includes(early) && !feedExpected.has(early.name));
  // Some planted servers are not the group's victims: only the full path can find those.
  assert.ok(planted.some((s) => !groupVictims.includes(s)));
  assert.ok(feedExpected.size < servers.length / 2);
});

interface HuntDetail extends RetrohuntView {
  hits: RetrohuntHitView[];
  incompleteBundles: unknown[];
}

for (const b of await backends())
  describe(`retro-hunts over 64 servers on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    let admin: Record<string, string>;
    const tokens = new Map<string, Record<string, string>>();
    /** The organisation with a channel that takes retrohunt.hit. */
    const told = planted.find((s) => !groupVictims.includes(s))!.org;
    let feedHunt: HuntDetail;

    const api = (method: 'GET' | 'POST', url: string, headers = admin, payload?: string | object) =>
      t.app.inject({ method, url: API_PREFIX + url, headers, ...(payload !== undefined ? { payload } : {}) });
    const hunt = async (body: object): Promise<HuntDetail> => {
      const r = await api('POST', '/retrohunts', admin, body);
      assert.equal(r.statusCode, 202, r.body);
      const id = r.json<RetrohuntView>().id;
      return until(
        async () => {
          const h = (await api('GET', `/retrohunts/${id}`)).json<HuntDetail>();
          return h.status === 'running' ? undefined : h;
        },
        `retro-hunt ${id}`,
        900_000,
      );
    };
    const serversOf = (h: HuntDetail) => new Set(h.hits.map((x) => x.server));
    const retroFindings = async () =>
      Number(
        (
          await fx.store.db
            .selectFrom('findings')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('finding_id', 'like', 'retrohunt.%')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const outbox = async () =>
      fx.store.db
        .selectFrom('notify_outbox')
        .select(['org_id', 'payload'])
        .where('event', '=', 'retrohunt.hit')
        .execute();

    before(async () => {
      const { zips, reports } = await prepare();
      fx = await b.create();
      t = await testApp(fx);
      admin = await tokenFor(fx, null, 'administrator');
      for (const o of orgs) tokens.set(o.name, await tokenFor(fx, o.name, 'analyst'));
      const ch = await api('POST', '/notifications/channels', tokens.get(told), {
        kind: 'webhook',
        name: 'hook',
        config: { url: 'http://127.0.0.1:9/in', secret: 'a-shared-secret-of-enough-length' },
        events: ['retrohunt.hit'],
      });
      assert.equal(ch.statusCode, 201, ch.body);
      // Each bundle is uploaded as the collector does; its scan is the one made above from the same zip
      // (what the worker's analysis job would store), so the fleet is analysed once for both databases.
      for (const s of servers) {
        const up = await t.app.inject({
          method: 'POST',
          url: `${API_PREFIX}/bundles?server=${encodeURIComponent(s.name)}`,
          headers: { ...tokens.get(s.org)!, 'content-type': 'application/zip' },
          payload: zips.get(s.name)!,
        });
        assert.equal(up.statusCode, 202, up.body);
        const bundleId = up.json<{ id: number }>().id;
        const orgId = (await fx.store.db.selectFrom('bundles').select('org_id').where('id', '=', bundleId).executeTakeFirstOrThrow()).org_id; // prettier-ignore
        await ingestReport(fx.store, orgScope(orgId), {
          serverName: s.name,
          report: reports.get(s.name)!,
          bundleId,
          actor: 'test',
        });
      }
      // The workers: in this process, on the SQLite jobs table or pg-boss.
      const deps = { store: fx.store, storage: t.storage, threads: 0 };
      await t.queue.work(analyseHandler(deps), 2, giveUpHandler(deps));
    });
    after(async () => {
      await t?.close();
      await fx?.dispose();
    });

    test('a feed added later finds exactly the servers whose evidence holds its indicators in the range', async () => {
      const up = await api('POST', '/feeds?shared=true&name=late-feed', { ...admin, 'content-type': 'text/plain' }, FEED); // prettier-ignore
      assert.equal(up.statusCode, 201, up.body);
      const feedId = up.json<{ id: number }>().id;
      feedHunt = await hunt({ feed: feedId, since: SINCE });
      assert.equal(feedHunt.status, 'done', feedHunt.error ?? '');
      assert.deepEqual(feedHunt.progress, {
        total: servers.length,
        done: servers.length,
        failed: 0,
        withLoss: 0,
      });
      assert.deepEqual(feedHunt.incompleteBundles, []);
      assert.deepEqual([...serversOf(feedHunt)].sort(), [...feedExpected].sort());
      for (const h of feedHunt.hits) {
        const s = servers.find((x) => x.name === h.server) as FleetServer;
        assert.ok(h.isNew && h.findingId !== null, `${h.server}: a new finding`);
        assert.match(h.author, /late-feed/, 'a list names itself as its author');
        // The group's address is answered from stored indicators, and again from the bundle; the planted
        // one only from the bundle, since no finding named it.
        if (h.title.includes(group.exploitIp)) assert.equal(h.via, 'bundle+index', h.server);
        else {
          assert.ok(h.title.includes(MARK_IP) && planted.includes(s), h.title);
          assert.equal(h.via, 'bundle', h.server);
        }
      }
      // Each hit is a finding of its server that names the feed and cites the evidence.
      const one = feedHunt.hits.find((h) => h.title.includes(MARK_IP))!;
      const f = (await api('GET', `/findings?serverId=${one.serverId}&rule=${encodeURIComponent(one.ruleId)}`)).json<{
        items: { finding: { rule: { source: string }; evidence: { path: string; line?: number }[]; details: Record<string, string> } }[];
      }>().items; // prettier-ignore
      assert.equal(f.length, 1);
      assert.equal(f[0]!.finding.rule.source, `late-feed (feed ${feedId})`);
      assert.match(f[0]!.finding.evidence[0]!.path, /W3SVC1\/u_ex\d{6}\.log$/);
      assert.equal(f[0]!.finding.details.retrohunt, String(feedHunt.id));
    });

    test('notifications: one per server newly hit, only in the organisation with a channel', async () => {
      const rows = await outbox();
      const hitHere = new Set(feedHunt.hits.filter((h) => servers.find((s) => s.name === h.server)!.org === told).map((h) => h.server)); // prettier-ignore
      assert.ok(hitHere.size > 0);
      assert.equal(rows.length, hitHere.size);
      const orgId = (await fx.store.db.selectFrom('organisations').select('id').where('name', '=', told).executeTakeFirstOrThrow()).id; // prettier-ignore
      for (const r of rows) {
        assert.equal(r.org_id, orgId);
        const p = JSON.parse(r.payload) as { server: { name: string }; retrohunt: { id: number } };
        assert.ok(hitHere.has(p.server.name));
        assert.equal(p.retrohunt.id, feedHunt.id);
      }
    });

    test('rerunning the same hunt finds the same servers and makes no new finding or notification', async () => {
      const findings = await retroFindings();
      const sent = (await outbox()).length;
      const again = await hunt({ feed: feedHunt.trigger.id, since: SINCE });
      assert.equal(again.status, 'done');
      assert.deepEqual([...serversOf(again)].sort(), [...feedExpected].sort());
      assert.equal(again.newFindings, 0);
      assert.ok(again.hits.every((h) => !h.isNew && h.findingId !== null));
      assert.equal(await retroFindings(), findings);
      assert.equal((await outbox()).length, sent);
      // A changed feed is uploaded again under its name: what it already found is not found anew.
      const v2 = await api('POST', '/feeds?shared=true&name=late-feed', { ...admin, 'content-type': 'text/plain' }, `${FEED}192.0.2.250\n`); // prettier-ignore
      assert.equal(v2.statusCode, 201, v2.body);
      const next = await hunt({ feed: v2.json<{ id: number }>().id, since: SINCE, mode: 'index' });
      assert.deepEqual([...serversOf(next)].sort(), groupVictims.map((s) => s.name).sort());
      assert.equal(next.newFindings, 0);
      assert.equal(await retroFindings(), findings);
    });

    test('a tenant sees its own part of a hunt over every organisation, and no other', async () => {
      const mine = (await api('GET', `/retrohunts/${feedHunt.id}`, tokens.get(told))).json<HuntDetail>();
      const own = servers.filter((s) => s.org === told);
      assert.deepEqual(mine.progress.total, own.length);
      assert.ok(mine.hits.length > 0);
      assert.ok(mine.hits.every((h) => own.some((s) => s.name === h.server)));
    });

    test('a stored rule pack hunted over some organisations finds the planted request there, in range only', async () => {
      const up = await api('POST', '/rule-packs?shared=true&name=marker-pack', { ...admin, 'content-type': 'text/plain' }, PACK); // prettier-ignore
      assert.equal(up.statusCode, 201, up.body);
      const covered = [...new Set([...planted.slice(0, 3).map((s) => s.org), early.org])];
      const h = await hunt({ rules: up.json<{ id: number }>().id, orgs: covered, since: SINCE });
      assert.equal(h.status, 'done', h.error ?? '');
      const inCovered = servers.filter((s) => covered.includes(s.org));
      assert.equal(h.progress.total, inCovered.length);
      const expected = planted.filter((s) => covered.includes(s.org)).map((s) => s.name);
      assert.deepEqual([...serversOf(h)].sort(), expected.sort());
      assert.ok(
        h.hits.every(
          (x) => x.ruleId === '6f1e0c0e-5b8a-4c55-9d0e-17b17b17b170' && x.author === 'exhunt tests',
        ),
      );
    });

    test('starting a hunt is audited, and a tenant cannot hunt another organisation', async () => {
      const audit = (await api('GET', '/audit?action=retrohunt.start&limit=100')).json<{
        items: unknown[];
      }>();
      assert.ok(audit.items.length >= 3);
      const other = orgs.find((o) => o.name !== told)!.name;
      const r = await api('POST', '/retrohunts', tokens.get(told), {
        feed: feedHunt.trigger.id,
        orgs: [other],
      });
      assert.equal(r.statusCode, 403, r.body);
    });
  });
