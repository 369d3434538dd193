// Campaign notifications on SQLite and PostgreSQL: an attacker cluster of one organisation's servers is
// announced when it reaches a second server (campaign.new) and again for each further server
// (campaign.grown), to that organisation's channels only, naming only its servers; a rescan, a scanner seen
// everywhere and another tenant's victims announce nothing. Delivered to a local webhook.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Finding } from '../core/finding.js';
import { createChannel } from '../store/notifications.js';
import { createOrganisation, ingestReport } from '../store/index.js';
import { orgScope } from '../store/scope.js';
import { attackerSession, backends, finding, makeReport, sessionsOf, webshell } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { startDispatcher } from './notify/dispatcher.js';
import type { Dispatcher } from './notify/dispatcher.js';
import { sinks } from './testing/sinks.js';
import type { Sinks } from './testing/sinks.js';

const SHELL = 'c3'.repeat(32);
/** In data/internet-scanners.json: background noise wherever it is seen. */
const ZGRAB = 'Mozilla/5.0 zgrab/0.x';

interface CampaignBody {
  event: string;
  campaign: { id: number; label: string; victims: number };
  newVictims: { server: { name: string }; verdict: string | null }[];
}

for (const b of await backends())
  describe(`campaign notifications on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let s: Sinks;
    let d: Dispatcher;
    let alpha = 0;
    let zulu = 0;
    before(async () => {
      fx = await b.create();
      s = await sinks();
      alpha = (await createOrganisation(fx.store, 'alpha', 'test')).id;
      zulu = (await createOrganisation(fx.store, 'zulu', 'test')).id;
      for (const [org, name] of [
        [alpha, 'alpha hook'],
        [zulu, 'zulu hook'],
      ] as const)
        await createChannel(fx.store, orgScope(org), {
          kind: 'webhook',
          name,
          config: {
            url: `http://127.0.0.1:${s.ports.hook}/${name.replace(' ', '-')}`,
            secret: 'x'.repeat(20),
          },
          events: ['campaign.new', 'campaign.grown'],
          actor: 'test',
        });
      d = startDispatcher(fx.store, { version: '9.9.9', intervalMs: 0, overdueEveryMs: 0 });
    });
    after(async () => {
      await d.stop();
      await s.close();
      await fx.dispose();
    });

    /** One server hit by the attacker (its own address, the shared webshell) and probed by zgrab. */
    const hit = async (org: number, server: string, ip: string, day: string, scanned = day) => {
      const t = `2021-03-${day}T06:00:00.000Z`;
      const findings: Finding[] = [
        finding(`${server}-x`, { time: t, sourceIps: [ip], userAgent: 'Attacker/7', stage: 'webshell-use', outcome: 'compromise' }), // prettier-ignore
        finding(`${server}-z`, { time: t, sourceIps: ['192.0.2.77'], userAgent: ZGRAB, stage: 'recon', outcome: 'probe', cves: [] }), // prettier-ignore
      ];
      await ingestReport(fx.store, orgScope(org), {
        serverName: server,
        report: makeReport('compromised', findings, {
          scan: { ...makeReport('clean', []).scan, startedAt: `2021-03-${scanned}T10:00:00.000Z` },
          webshells: [webshell('inetpub/wwwroot/aspnet_client/shell.aspx', SHELL)],
          sessions: sessionsOf([
            attackerSession('A', { addresses: [ip], userAgents: ['Attacker/7'], webshells: ['/aspnet_client/shell.aspx'], firstSeen: t, lastSeen: t, findings: [`${server}-x`] }), // prettier-ignore
            attackerSession('Z', { addresses: [], userAgents: [ZGRAB], firstSeen: t, lastSeen: t, outcome: 'probe', findings: [`${server}-z`] }), // prettier-ignore
          ]),
        }),
        actor: 'test',
      });
    };
    /** Runs the dispatcher once; returns the campaign events delivered in that round. */
    const round = async () => {
      const before = s.hooks.length;
      await d.tick();
      return s.hooks.slice(before).map((h) => JSON.parse(h.body) as CampaignBody);
    };
    const outbox = async (org: number) =>
      (
        await fx.store.db
          .selectFrom('notify_outbox')
          .select('payload')
          .where('org_id', '=', org)
          .where('event', 'like', 'campaign.%')
          .orderBy('id')
          .execute()
      ).map((r) => JSON.parse(r.payload) as CampaignBody);

    test('one server is not a campaign; another tenant’s victim does not count', async () => {
      await hit(alpha, 'alpha-ex1', '198.51.100.11', '03');
      await hit(zulu, 'zulu-ex1', '198.51.100.21', '04');
      assert.deepEqual(await round(), []);
    });

    test('a second server of the organisation: campaign.new naming only its servers', async () => {
      await hit(alpha, 'alpha-ex2', '198.51.100.12', '05');
      const got = await round();
      assert.equal(got.length, 1, JSON.stringify(got));
      const [n] = got as [CampaignBody];
      assert.equal(n.event, 'campaign.new');
      assert.equal(n.campaign.victims, 2);
      assert.equal(n.campaign.label, `webshell-hash ${SHELL}`);
      assert.deepEqual(
        n.newVictims.map((v) => [v.server.name, v.verdict]),
        [
          ['alpha-ex1', 'compromised'],
          ['alpha-ex2', 'compromised'],
        ],
      );
      assert.ok(!JSON.stringify(n).includes('zulu'), 'another tenant’s server leaked');
      assert.equal((await outbox(zulu)).length, 0);
    });

    test('a third server: campaign.grown with only the new one; a rescan announces nothing', async () => {
      await hit(alpha, 'alpha-ex3', '198.51.100.13', '07');
      const got = await round();
      assert.deepEqual(
        got.map((g) => [g.event, g.campaign.victims, g.newVictims.map((v) => v.server.name)]),
        [['campaign.grown', 3, ['alpha-ex3']]],
      );
      await hit(alpha, 'alpha-ex3', '198.51.100.13', '07', '09');
      assert.deepEqual(await round(), []);
    });

    test('the other tenant is told of its own campaign, from its own servers only', async () => {
      await hit(zulu, 'zulu-ex2', '198.51.100.22', '08');
      const got = await round();
      assert.equal(got.length, 1, JSON.stringify(got));
      assert.deepEqual(
        got[0]?.newVictims.map((v) => v.server.name),
        ['zulu-ex1', 'zulu-ex2'],
      );
      const z = await outbox(zulu);
      assert.equal(z.length, 1);
      assert.ok(!JSON.stringify(z).includes('alpha-'), 'another tenant’s server leaked');
      // zgrab reached all five servers: background noise, never a campaign of its own.
      const labels = [...(await outbox(alpha)), ...z].map((x) => x.campaign.label);
      assert.ok(
        labels.every((l) => !l.includes('zgrab')),
        labels.join('\n'),
      );
    });
  });
