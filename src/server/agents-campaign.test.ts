// Agents' findings feed the campaigns, on SQLite and PostgreSQL: two servers, each watched by an agent, each
// sent a batch naming the same attacker address, user agent and webshell, are one campaign across the two
// (through the campaigns API, announced as `campaign.new`), the incremental clusters equal a full recompute,
// a batch sent again changes nothing, a later batch counts the agent's scan once, and a retro-hunt over the
// stored indicators finds the watched servers (also one whose agent raised no verdict).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Finding } from '../core/finding.js';
import { RULE_IDS } from '../core/rule-ids.js';
import { clusterState, computeClusters, DEFAULT_CLUSTER_SETTINGS } from '../store/cluster-state.js';
import { noteCampaigns } from '../store/campaign-notify.js';
import type { AgentFindingIn, ClusterPage, RetrohuntHitView, RetrohuntView } from '../store/index.js';
import { backends, canonClusters, finding } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { API_PREFIX } from './route.js';
import { testApp, tokenFor } from './testing/fixtures.js';
import type { TestApp } from './testing/fixtures.js';
import { until } from './testing/wait.js';

const IP = '198.51.100.66';
const UA = 'Attacker/7';
const SHELL = 'inetpub/wwwroot/aspnet_client/shell.aspx';

/** What an agent on `server` finds of the attacker: the exploit, the webshell written, and its use. */
function attack(server: string, time: string): Finding[] {
  const from = { time, sourceIps: [IP], userAgent: UA };
  return [
    finding(`${server}-ssrf`, from),
    finding(`${server}-shell`, {
      rule: { id: RULE_IDS.webshellFile, title: 'Webshell on disk', author: 'exhunt', source: 'exhunt' },
      stage: 'webshell-write',
      outcome: 'compromise',
      severity: 'critical',
      time,
      sourceIps: [],
      evidence: [{ path: SHELL, excerpt: 'eval(Request["x"])' }],
      file: { path: SHELL },
      details: { reasons: 'eval of request data' },
    }),
    finding(`${server}-use`, {
      ...from,
      stage: 'webshell-use',
      outcome: 'compromise',
      evidence: [{ path: 'inetpub/logs/LogFiles/W3SVC1/u_ex.log', line: 3, excerpt: 'POST /aspnet_client/shell.aspx' }], // prettier-ignore
      request: { method: 'POST', path: '/aspnet_client/shell.aspx' },
    }),
  ];
}

interface HuntDetail extends RetrohuntView {
  hits: RetrohuntHitView[];
}

for (const b of await backends())
  describe(`agent findings in campaigns on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    let analyst: Record<string, string>;
    let admin: Record<string, string>;
    let orgId = 0;
    before(async () => {
      fx = await b.create();
      t = await testApp(fx);
      analyst = await tokenFor(fx, 'acme', 'analyst');
      admin = await tokenFor(fx, null, 'administrator');
      orgId = (await fx.store.db.selectFrom('organisations').select('id').where('name', '=', 'acme').executeTakeFirstOrThrow()).id; // prettier-ignore
    });
    after(async () => {
      await t.close();
      await fx.dispose();
    });
    const api = (
      who: Record<string, string>,
      method: 'GET' | 'POST',
      url: string,
      payload?: object | string,
    ) => t.app.inject({ method, url: `${API_PREFIX}${url}`, headers: who, ...(payload ? { payload } : {}) });
    const time = new Date(Date.now() - 3600_000).toISOString();
    const batchOf = (server: string): AgentFindingIn[] =>
      attack(server, time).map((f) => ({ key: `key-${f.id}`, source: 'iis', family: 'IIS', seenAt: time, finding: f })); // prettier-ignore
    const send = (agentId: string, server: string) =>
      api(analyst, 'POST', '/agent/findings', { agentId, server, items: batchOf(server) });
    /** Every row the clustering and the stored-indicator views read, to show a repeated batch adds nothing. */
    const snapshot = async () => {
      const db = fx.store.db;
      return {
        indicators: await db.selectFrom('indicators').selectAll().orderBy('id').execute(),
        servers: await db.selectFrom('indicator_servers').selectAll().orderBy('indicator_id').orderBy('server_id').execute(), // prettier-ignore
        orgs: await db.selectFrom('indicator_orgs').selectAll().orderBy('indicator_id').execute(),
        sessions: await db.selectFrom('server_sessions').selectAll().orderBy('server_id').orderBy('session_key').execute(), // prettier-ignore
        links: await db.selectFrom('server_session_indicators').selectAll().orderBy('server_id').orderBy('session_key').orderBy('indicator_id').execute(), // prettier-ignore
        changes: await db.selectFrom('cluster_changes').select(['seq', 'server_id', 'indicators']).orderBy('seq').execute(), // prettier-ignore
      };
    };

    test('two watched servers hit by one attacker are one campaign, told once', async () => {
      const channel = await api(analyst, 'POST', '/notifications/channels', {
        kind: 'webhook',
        name: 'soc',
        config: { url: 'http://127.0.0.1:9/in', secret: 'a-shared-secret-of-enough-length' },
        events: ['campaign.new', 'campaign.grown'],
      });
      assert.equal(channel.statusCode, 201, channel.body);
      for (const [agent, server] of [
        ['agent-a', 'ex-a'],
        ['agent-b', 'ex-b'],
      ] as const) {
        const r = await send(agent, server);
        assert.equal(r.statusCode, 200, r.body);
        assert.equal(r.json<{ stored: number }>().stored, 3);
      }
      // Each batch is one entry of the clustering's log, as an upload is.
      const logged = await fx.store.db
        .selectFrom('cluster_changes')
        .select('server_id')
        .orderBy('seq')
        .execute();
      assert.equal(logged.length, 2);
      const page = (await api(analyst, 'GET', '/campaigns')).json<ClusterPage>();
      assert.equal(page.items.length, 1, JSON.stringify(page.items));
      const c = page.items[0]!;
      assert.deepEqual(c.victims.map((v) => v.name).sort(), ['ex-a', 'ex-b']);
      assert.deepEqual(c.indicators.map((i) => `${i.kind} ${i.value}`).sort(), [
        'ip 198.51.100.66',
        'user-agent attacker/7',
        'webshell-name shell.aspx',
      ]);
      // An agent's webshell is named, not hashed: no empty hash is stored as an indicator.
      const hashes = await fx.store.db.selectFrom('indicators').select('value').where('kind', '=', 'webshell-hash').execute(); // prettier-ignore
      assert.deepEqual(hashes, []);
      assert.equal(await noteCampaigns(fx.store, orgId), 1);
      const told = await fx.store.db.selectFrom('notify_outbox').select(['event', 'payload']).where('event', 'like', 'campaign.%').execute(); // prettier-ignore
      assert.deepEqual(
        told.map((r) => r.event),
        ['campaign.new'],
      );
      assert.match(told[0]!.payload, /ex-a/);
      assert.match(told[0]!.payload, /ex-b/);
    });

    test('the incremental clusters equal a full recompute', async () => {
      for (const scope of [undefined, orgId]) {
        const inc = await clusterState(fx.store, scope, DEFAULT_CLUSTER_SETTINGS);
        const ref = await computeClusters(fx.store, scope, DEFAULT_CLUSTER_SETTINGS);
        assert.equal(inc.clusters.length, 1);
        assert.deepEqual(canonClusters(inc), canonClusters(ref), `org ${scope ?? 'all'}`);
      }
    });

    test('a batch sent again changes nothing', async () => {
      const before = await snapshot();
      const r = await send('agent-b', 'ex-b');
      assert.deepEqual(r.json<{ stored: number; duplicates: number }>(), {
        ...r.json<object>(),
        stored: 0,
        duplicates: 3,
      });
      assert.deepEqual(await snapshot(), before);
      assert.equal(await noteCampaigns(fx.store, orgId), 0);
      const page = (await api(analyst, 'GET', '/campaigns')).json<ClusterPage>();
      assert.equal(page.items[0]!.victimCount, 2);
    });

    test("a later batch naming the attacker again counts the agent's scan once, as one upload counts", async () => {
      const counts = async () =>
        (
          await fx.store.db
            .selectFrom('indicator_servers as x')
            .innerJoin('indicators as i', 'i.id', 'x.indicator_id')
            .innerJoin('indicator_orgs as o', 'o.indicator_id', 'i.id')
            .innerJoin('servers as s', 's.id', 'x.server_id')
            .select(['s.name', 'i.kind', 'x.scans', 'o.sightings', 'o.server_count'])
            .orderBy('s.name')
            .orderBy('i.kind')
            .execute()
        ).map((r) => [r.name, r.kind, Number(r.scans), Number(r.sightings), Number(r.server_count)]);
      const sessions = async () =>
        (await fx.store.db.selectFrom('server_sessions').select('scans').execute()).map((r) =>
          Number(r.scans),
        );
      const before = await counts();
      assert.ok(before.every(([, , scans, sightings, servers]) => scans === 1 && sightings === 2 && servers === 2), JSON.stringify(before)); // prettier-ignore
      const later = new Date(Date.now() - 600_000).toISOString();
      const items = attack('ex-a', later).map((f) => ({ key: `later-${f.id}`, source: 'iis', family: 'IIS', seenAt: later, finding: { ...f, id: `later-${f.id}` } })); // prettier-ignore
      const r = await api(analyst, 'POST', '/agent/findings', { agentId: 'agent-a', server: 'ex-a', items });
      assert.equal(r.json<{ stored: number }>().stored, 3);
      assert.deepEqual(await counts(), before);
      assert.ok((await sessions()).every((n) => n === 1));
      // The later sighting is kept, and the clusters still equal a full recompute.
      const last = await fx.store.db
        .selectFrom('indicator_servers as x')
        .innerJoin('indicators as i', 'i.id', 'x.indicator_id')
        .innerJoin('servers as s', 's.id', 'x.server_id')
        .select(['s.name', 'x.first_seen', 'x.last_seen'])
        .where('i.kind', '=', 'ip')
        .orderBy('s.name')
        .execute();
      assert.deepEqual(
        last.map((r) => [r.name, r.first_seen, r.last_seen]),
        [
          ['ex-a', time, later],
          ['ex-b', time, time],
        ],
      );
      const inc = await clusterState(fx.store, orgId, DEFAULT_CLUSTER_SETTINGS);
      assert.deepEqual(canonClusters(inc), canonClusters(await computeClusters(fx.store, orgId, DEFAULT_CLUSTER_SETTINGS))); // prettier-ignore
      assert.equal(await noteCampaigns(fx.store, orgId), 0, 'the same two servers: no news');
    });

    test('a retro-hunt over the stored indicators finds the watched servers, also one whose verdict no agent raised', async () => {
      // ex-c: its agent saw the address only in a context finding, so the server has no latest scan.
      const ctx = finding('ex-c-ctx', { time, sourceIps: [IP], userAgent: UA, stage: 'context', outcome: 'context' }); // prettier-ignore
      const c = await api(analyst, 'POST', '/agent/findings', { agentId: 'agent-c', server: 'ex-c', items: [{ key: 'key-ex-c-ctx', source: 'iis', family: 'IIS', seenAt: time, finding: ctx }] }); // prettier-ignore
      assert.equal(c.json<{ stored: number }>().stored, 1);
      const row = await fx.store.db.selectFrom('servers').select('latest_scan_id').where('name', '=', 'ex-c').executeTakeFirstOrThrow(); // prettier-ignore
      assert.equal(row.latest_scan_id, null);
      const feed = await api({ ...admin, 'content-type': 'text/plain' }, 'POST', '/feeds?shared=true&name=agent-feed', `${IP}\n`); // prettier-ignore
      assert.equal(feed.statusCode, 201, feed.body);
      const r = await api(admin, 'POST', '/retrohunts', {
        feed: feed.json<{ id: number }>().id,
        mode: 'index',
      });
      assert.equal(r.statusCode, 202, r.body);
      const id = r.json<RetrohuntView>().id;
      const hunt = await until(async () => {
        const h = (await api(admin, 'GET', `/retrohunts/${id}`)).json<HuntDetail>();
        return h.status === 'running' ? undefined : h;
      }, `retro-hunt ${id}`);
      assert.equal(hunt.status, 'done');
      // Named by one stored scan of each server: the agent's, however many batches named it.
      assert.deepEqual(hunt.hits.map((h) => [h.server, h.via, h.occurrences]).sort(), [
        ['ex-a', 'index', 1],
        ['ex-b', 'index', 1],
        ['ex-c', 'index', 1],
      ]);
      // The hit on ex-c is a finding of its agent's scan, the one scan it has.
      const hitC = hunt.hits.find((h) => h.server === 'ex-c')!;
      assert.notEqual(hitC.findingId, null);
      const scanOf = await fx.store.db.selectFrom('findings as f').innerJoin('scans as s', 's.id', 'f.scan_id').select('s.report_sha256').where('f.id', '=', hitC.findingId!).executeTakeFirstOrThrow(); // prettier-ignore
      assert.equal(scanOf.report_sha256, 'agent:agent-c');
    });
  });
