// Store contract, on SQLite and PostgreSQL: the campaign clusters of a fleet with two attackers and a scanner.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getCluster, listClusters, listNoise } from './clusters.js';
import type { CampaignFleet } from './fleet-campaign-fixture.js';
import {
  FIXTURE_WIDESPREAD,
  loadCampaignFleet,
  SCANNER_IP,
  SHELL_A,
  SHELL_B,
} from './fleet-campaign-fixture.js';
import { ALL, orgScope } from './scope.js';
import { backends } from './testing.js';
import type { Fixture } from './testing.js';

const settings = { widespreadOrgs: FIXTURE_WIDESPREAD };

for (const b of await backends())
  describe(`campaign clusters on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let fleet: CampaignFleet;
    before(async () => {
      fx = await b.create();
      fleet = await loadCampaignFleet(fx.store);
    });
    after(() => fx.dispose());

    test('administrators: two attackers are two clusters, the scanner is background noise', async () => {
      const page = await listClusters(fx.store, ALL, settings);
      assert.equal(page.items.length, 2, JSON.stringify(page.items.map((c) => c.indicators)));
      const byShell = (sha: string) => page.items.find((c) => c.indicators.some((i) => i.value === sha));
      const a = byShell(SHELL_A);
      const bb = byShell(SHELL_B);
      assert.ok(a && bb && a.id !== bb.id);
      assert.deepEqual(
        a.victims.map((v) => v.name),
        ['north', 'east'],
      );
      assert.deepEqual(
        a.victims.map((v) => [v.servers, v.verdict]),
        [
          [2, 'compromised'],
          [1, 'compromised'],
        ],
      );
      assert.deepEqual(
        bb.victims.map((v) => [v.name, v.verdict]),
        [
          ['south', 'compromised'],
          ['west', 'exploited'],
        ],
      );
      assert.deepEqual(a.cves, ['CVE-2021-26855']);
      assert.deepEqual(a.stages, ['webshell-use']);
      assert.equal(a.firstSeen, '2021-03-03T06:00:00.000Z');
      assert.equal(a.lastSeen, '2021-03-05T06:00:00.000Z');
      assert.ok(a.indicators.every((i) => i.value !== SCANNER_IP && !i.value.includes('zgrab')));
      const values = page.noise.top.map((n) => `${n.reason} ${n.value}`);
      assert.ok(values.includes(`widespread ${SCANNER_IP}`), values.join('\n'));
      assert.ok(values.includes('scanner mozilla/5.0 zgrab/0.x'), values.join('\n'));
      assert.ok(values.includes('client-library python-requests/2.25.1'), values.join('\n'));
      // Raise the threshold past the fleet's size and the scanner's address merges the two attackers.
      const merged = await listClusters(fx.store, ALL, { widespreadOrgs: 100 });
      assert.equal(merged.items.length, 1);
    });

    test('any member indicator finds its cluster; the timeline says who was hit first', async () => {
      const page = await listClusters(fx.store, ALL, settings);
      const a = page.items.find((c) => c.indicators.some((i) => i.value === SHELL_A));
      assert.ok(a);
      const member = a.indicators.find((i) => i.kind === 'ip');
      assert.ok(member);
      const detail = await getCluster(fx.store, ALL, member.id, settings);
      assert.equal(detail?.id, a.id);
      assert.deepEqual(
        detail?.timeline.map((t) => [t.victim.name, t.time]),
        [
          ['north', '2021-03-03T06:00:00.000Z'],
          ['east', '2021-03-05T06:00:00.000Z'],
        ],
      );
      assert.equal(detail?.indicatorCount, detail?.indicators.length);
      const noise = await listNoise(fx.store, ALL, settings);
      const scanner = noise.items.find((n) => n.value === SCANNER_IP);
      assert.ok(scanner);
      assert.equal(await getCluster(fx.store, ALL, scanner.id, settings), undefined);
    });

    test('a tenant sees its own servers as victims and nothing of other organisations', async () => {
      const south = orgScope(fleet.orgs.south);
      const page = await listClusters(fx.store, south, settings);
      assert.equal(page.items.length, 1);
      const [c] = page.items;
      assert.deepEqual(
        c?.victims.map((v) => [v.kind, v.name]),
        [['server', 'south-ex1']],
      );
      const text = JSON.stringify([page, await getCluster(fx.store, south, c?.id ?? 0, settings)]);
      assert.ok(!/west|north|east|OutlookEN|198\.51\.100/i.test(text), text);
      const all = await listClusters(fx.store, ALL, settings);
      const a = all.items.find((x) => x.indicators.some((i) => i.value === SHELL_A));
      assert.equal(await getCluster(fx.store, south, a?.id ?? 0, settings), undefined);
      const north = await listClusters(fx.store, orgScope(fleet.orgs.north), settings);
      assert.deepEqual(
        north.items[0]?.victims.map((v) => v.name),
        ['north-ex1', 'north-ex2'],
      );
    });

    test('paging walks every cluster once; min filters by victims', async () => {
      const first = await listClusters(fx.store, ALL, { ...settings, limit: 1 });
      assert.equal(first.items.length, 1);
      assert.ok(first.next);
      const second = await listClusters(fx.store, ALL, { ...settings, limit: 1, cursor: first.next ?? '' });
      assert.equal(second.items.length, 1);
      assert.notEqual(second.items[0]?.id, first.items[0]?.id);
      assert.equal(second.next, null);
      assert.equal((await listClusters(fx.store, ALL, { ...settings, min: 3 })).items.length, 0);
    });
  });
