// The agent routes on SQLite and PostgreSQL: a batch sent twice is stored once (per organisation), the
// verdict it raises is queued as a notification, heartbeats show on the agents list, the rules version
// changes with the organisation's feeds, and a silent agent is told once per silence.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createFeed, queueSilentAgents } from '../store/index.js';
import type { AgentFindingIn } from '../store/index.js';
import { backends, finding, makeReport } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { API_PREFIX } from './route.js';
import { testApp, tokenFor } from './testing/fixtures.js';
import type { TestApp } from './testing/fixtures.js';

const item = (key: string, outcome: 'success' | 'compromise' | 'probe'): AgentFindingIn => ({
  key,
  source: 'httpproxy',
  family: 'HttpProxy/Ecp',
  seenAt: new Date().toISOString(),
  finding: finding(`f-${key}`, { outcome }),
});

for (const b of await backends())
  describe(`agent routes on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    let acme: Record<string, string>;
    let zulu: Record<string, string>;
    before(async () => {
      fx = await b.create();
      t = await testApp(fx);
      acme = await tokenFor(fx, 'acme', 'analyst');
      zulu = await tokenFor(fx, 'zulu', 'analyst');
    });
    after(async () => {
      await t.close();
      await fx.dispose();
    });
    const api = (who: Record<string, string>, method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({ method, url: `${API_PREFIX}${url}`, headers: who, ...(payload ? { payload } : {}) });
    const send = (who: Record<string, string>, items: AgentFindingIn[]) =>
      api(who, 'POST', '/agent/findings', { agentId: 'a1', server: 'ex01', items });

    test('a batch sent again stores nothing twice; another organisation keeps its own', async () => {
      const channel = await api(acme, 'POST', '/notifications/channels', {
        kind: 'webhook',
        name: 'soc',
        config: { url: 'http://127.0.0.1:9/in', secret: 'a-shared-secret-of-enough-length' },
        events: ['server.exploited', 'server.compromised', 'agent.silent'],
      });
      assert.equal(channel.statusCode, 201, channel.body);
      const batch = [
        item('k-one-0001', 'probe'),
        item('k-two-0002', 'success'),
        item('k-two-0002', 'success'),
      ];
      const first = await send(acme, batch);
      assert.equal(first.statusCode, 200, first.body);
      const counts = (r: typeof first) => r.json<{ stored: number; duplicates: number }>();
      assert.deepEqual([counts(first).stored, counts(first).duplicates], [2, 1]);
      const again = await send(acme, batch);
      assert.deepEqual([counts(again).stored, counts(again).duplicates], [0, 3]);
      const other = await send(zulu, batch);
      assert.equal(counts(other).stored, 2, 'keys are per organisation');
      const rows = await fx.store.db.selectFrom('findings').select(['org_id', 'finding_id']).execute();
      assert.equal(rows.length, 4);
      const server = await fx.store.db
        .selectFrom('servers as s')
        .innerJoin('organisations as o', 'o.id', 's.org_id')
        .select(['s.latest_verdict', 's.latest_scan_id'])
        .where('o.name', '=', 'acme')
        .executeTakeFirstOrThrow();
      assert.equal(server.latest_verdict, 'exploited');
      // The scan row behind it reads like any other in the server's views.
      const scan = await api(acme, 'GET', `/scans/${server.latest_scan_id}`);
      assert.equal(scan.statusCode, 200, scan.body);
      const findings = await api(acme, 'GET', `/findings?server=ex01`);
      assert.equal(findings.statusCode, 200, findings.body);
      // Exploited is news once; a compromise later is news again.
      await send(acme, [item('k-three-003', 'compromise')]);
      const told = await fx.store.db.selectFrom('notify_outbox').select('event').orderBy('id').execute();
      assert.deepEqual(
        told.map((r) => r.event),
        ['server.exploited', 'server.compromised'],
      );
    });

    test('heartbeats list the agent with its lag; the rules version follows the feeds', async () => {
      const beat = async () =>
        (
          await api(acme, 'POST', '/agent/heartbeat', {
            agentId: 'a1',
            server: 'ex01',
            version: '1.0.0',
            rulesVersion: 'local',
            indicators: 3,
            lagSeconds: 2.4,
            spool: { bytes: 0, commits: 0, full: false },
            files: 5,
            losses: [],
          })
        ).json<{ rulesVersion: string }>().rulesVersion;
      const v1 = await beat();
      const list = (await api(acme, 'GET', '/agents')).json<{ items: { serverName: string; lagSeconds: number; silent: boolean; scanId: number | null }[] }>(); // prettier-ignore
      assert.equal(list.items.length, 1);
      assert.deepEqual(
        [list.items[0]!.serverName, list.items[0]!.lagSeconds, list.items[0]!.silent],
        ['ex01', 2, false],
      );
      assert.ok(list.items[0]!.scanId, 'the agent links to its scan');
      assert.equal((await api(zulu, 'GET', '/agents')).json<{ items: unknown[] }>().items.length, 0);
      const orgId = (await fx.store.db.selectFrom('organisations').select('id').where('name', '=', 'acme').executeTakeFirstOrThrow()).id; // prettier-ignore
      const content = '198.51.100.77\n';
      await createFeed(
        fx.store,
        { orgId },
        {
          name: 'new feed',
          format: 'text',
          content,
          sha256: createHash('sha256').update(content).digest('hex'),
          size: content.length,
          indicators: 1,
          problems: [],
          actor: 'test',
        },
      );
      const v2 = await beat();
      assert.notEqual(v2, v1, 'a new feed is a new rules version');
      const rules = (await api(acme, 'GET', '/agent/rules')).json<{ version: string; indicators: unknown }>();
      assert.equal(rules.version, v2);
      assert.match(JSON.stringify(rules.indicators), /198\.51\.100\.77/);
    });

    test("an agent's findings are the server's events and count in its triage score as a scan's do", async () => {
      const now = Date.now();
      const hourAgo = new Date(now - 3600_000).toISOString();
      const scanned = new Date(now - 7200_000).toISOString();
      const probe = (id: string, ip: string) =>
        finding(id, {
          rule: {
            id: 'exhunt.probe.autodiscover',
            title: 'Autodiscover probe',
            author: 'exhunt',
            source: 'exhunt',
          },
          stage: 'recon',
          outcome: 'probe',
          severity: 'low',
          time: hourAgo,
          sourceIps: [ip],
          evidence: [
            {
              path: 'inetpub/logs/LogFiles/W3SVC1/u_ex.log',
              line: Number(id.slice(-1)),
              excerpt: `GET /autodiscover/autodiscover.json?@x ${ip}`,
            },
          ],
        });
      const attack = finding('agent-ssrf', { time: hourAgo });
      const report = (verdict: 'clean' | 'exploited', findings: ReturnType<typeof finding>[]) =>
        makeReport(verdict, findings, {
          scan: {
            startedAt: scanned,
            finishedAt: scanned,
            evidence: { root: '/e', kind: 'folder' },
            layout: 'system-drive',
          },
        });
      const upload = async (server: string, r: ReturnType<typeof makeReport>) => {
        const res = await api(acme, 'POST', `/reports?server=${server}`, r);
        assert.ok([200, 201].includes(res.statusCode), res.body);
        return res.json<{ serverId: number }>().serverId;
      };
      // Two servers: one scanned clean and then watched, one whose scan found the same attack.
      const watched = await upload('ex-watched', report('clean', []));
      const scannedId = await upload('ex-scanned', report('exploited', [attack]));
      const score = async (id: number) =>
        (await api(acme, 'GET', `/servers/${id}`)).json<{ verdict: string; latestScanId: number; triage: { score: number; reasons: { code: string }[] } }>(); // prettier-ignore
      const cleanScore = (await score(watched)).triage.score;
      const agentSend = (items: AgentFindingIn[]) =>
        api(acme, 'POST', '/agent/findings', { agentId: 'a-watch', server: 'ex-watched', items });
      const wrap = (f: ReturnType<typeof finding>, key: string): AgentFindingIn => ({ key, source: 'iis', family: 'IIS', seenAt: new Date().toISOString(), finding: f }); // prettier-ignore
      assert.equal((await agentSend([wrap(probe('probe-1', '203.0.113.1'), 'key-probe-1')])).statusCode, 200);
      const second = await agentSend([wrap(probe('probe-2', '203.0.113.2'), 'key-probe-2'), wrap(attack, 'key-attack-1')]); // prettier-ignore
      assert.equal(second.statusCode, 200, second.body);
      const scanId = second.json<{ scanId: number }>().scanId;
      // The Events tab's list: the request as an event, the two probes of one rule folded into one group.
      const events = (await api(acme, 'GET', `/events?scanId=${scanId}`)).json<{ items: { kind: string; event: { id: string; outcome: string; count?: number; sources?: string[]; findings: string[] } }[] }>(); // prettier-ignore
      const requests = events.items.filter((e) => e.kind === 'event');
      const probes = events.items.filter((e) => e.kind === 'probe');
      assert.deepEqual(
        requests.map((e) => [e.event.id, e.event.outcome, e.event.findings]),
        [['E1', 'success', ['agent-ssrf']]],
      );
      assert.equal(probes.length, 1, 'one group per rule, whatever the batches');
      assert.equal(probes[0]!.event.count, 2);
      assert.deepEqual([...probes[0]!.event.sources!].sort(), ['203.0.113.1', '203.0.113.2']);
      // The server now reads as the scanned one: exploited, and scored with the same reasons and weight.
      const [w, sc] = [await score(watched), await score(scannedId)];
      assert.equal(w.verdict, 'exploited');
      assert.equal(w.latestScanId, scanId, 'the server page opens on the agent scan that raised the verdict');
      assert.ok(w.triage.score > cleanScore, `${cleanScore} -> ${w.triage.score}`);
      assert.deepEqual(
        w.triage.reasons.map((r) => r.code).sort(),
        sc.triage.reasons.map((r) => r.code).sort(),
      );
      assert.equal(w.triage.score, sc.triage.score);
      // Sent again (a lost answer): nothing is counted twice.
      await agentSend([wrap(attack, 'key-attack-1')]);
      assert.equal((await score(watched)).triage.score, w.triage.score);
      const again = (await api(acme, 'GET', `/events?scanId=${scanId}`)).json<{ items: unknown[] }>();
      assert.equal(again.items.length, events.items.length);
      // The agents list, filtered by server, for the server's page.
      const listed = (await api(acme, 'GET', `/agents?serverId=${watched}`)).json<{ items: { agentId: string }[] }>(); // prettier-ignore
      assert.deepEqual(
        listed.items.map((a) => a.agentId),
        [],
      );
    });

    test('a silent agent is told once per silence', async () => {
      const later = new Date(Date.now() + 3600_000);
      assert.equal(await queueSilentAgents(fx.store, 60, later), 1);
      assert.equal(await queueSilentAgents(fx.store, 60, later), 0);
      const told = await fx.store.db
        .selectFrom('notify_outbox')
        .select(['event', 'payload'])
        .where('event', '=', 'agent.silent')
        .execute();
      assert.equal(told.length, 1);
      assert.match(told[0]!.payload, /ex01/);
      // A heartbeat ends the silence; the next one is told again.
      await api(acme, 'POST', '/agent/heartbeat', {
        agentId: 'a1',
        server: 'ex01',
        version: '1',
        rulesVersion: 'x',
        lagSeconds: 0,
      });
      assert.equal(await queueSilentAgents(fx.store, 60, later), 1);
    });
  });
