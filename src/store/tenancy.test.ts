// Store contract, run on SQLite and PostgreSQL: tenant isolation in every read, and the campaign counters.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getCampaign, listCampaigns } from './campaigns.js';
import { listFindings, listWebshells } from './findings.js';
import { listIndicators } from './indicator-list.js';
import { ingestReport } from './ingest.js';
import { createOrganisation, findOrganisation, listOrganisations } from './orgs.js';
import { listRemediation, setRemediationStatus } from './remediation.js';
import { getScan, getScanReport, listScans } from './scans.js';
import { ALL, orgScope } from './scope.js';
import { getServer, listServers } from './servers.js';
import { backends, finding, makeReport, step, webshell } from './testing.js';
import type { Fixture } from './testing.js';

const SHELL = 'c'.repeat(64);

for (const b of await backends())
  describe(`store contract (tenancy) on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let a: ReturnType<typeof orgScope>;
    let z: ReturnType<typeof orgScope>;
    let aScan = 0;
    before(async () => {
      fx = await b.create();
      a = orgScope((await createOrganisation(fx.store, 'alpha', 'test')).id);
      z = orgScope((await createOrganisation(fx.store, 'zulu', 'test')).id);
      // 203.0.113.7 hits both tenants; 192.0.2.1 two servers of alpha only; 10.0.0.5 is private.
      const shared = (id: string, time: string) =>
        finding(id, {
          time,
          sourceIps: ['203.0.113.7', '10.0.0.5'],
          rule: { id: 'exhunt.ecp.reset', title: 'ECP reset', author: 'exhunt', source: 'exhunt' },
          stage: 'webshell-write',
        });
      const local = (id: string) =>
        finding(id, { sourceIps: ['192.0.2.1'], userAgent: 'ExchangeServicesClient/0.0.0.0' });
      const ra = await ingestReport(fx.store, a, {
        serverName: 'alpha-ex1',
        report: makeReport('compromised', [shared('a1', '2021-03-03T01:00:00.000Z'), local('a2')], {
          webshells: [webshell('inetpub/wwwroot/aspnet_client/Shell.aspx', SHELL)],
          remediation: { steps: [step('isolate', 'Isolate')], updates: [] },
        }),
        actor: 'test',
      });
      aScan = ra.scanId;
      await ingestReport(fx.store, a, {
        serverName: 'alpha-ex2',
        report: makeReport('exploited', [local('a3')]),
        actor: 'test',
      });
      await ingestReport(fx.store, z, {
        serverName: 'zulu-ex1',
        report: makeReport('compromised', [shared('z1', '2021-03-05T01:00:00.000Z')], {
          webshells: [webshell('FrontEnd/HttpProxy/owa/auth/shell.aspx', SHELL)],
        }),
        actor: 'test',
      });
    });
    after(() => fx.dispose());

    test('a tenant reads nothing of another tenant, by list or by id', async () => {
      const names = JSON.stringify([
        await listServers(fx.store, z, {}),
        await listScans(fx.store, z, {}),
        await listFindings(fx.store, z, {}),
        await listWebshells(fx.store, z, {}),
        await listIndicators(fx.store, z, {}),
        await listRemediation(fx.store, z, {}),
        await listOrganisations(fx.store, z),
        await listCampaigns(fx.store, z, { min: 1 }),
      ]);
      assert.ok(names.includes('zulu-ex1'));
      assert.ok(!/alpha|192\.0\.2\.1|ExchangeServicesClient/.test(names), names);
      assert.equal(await getScan(fx.store, z, aScan), undefined);
      assert.equal(await getScanReport(fx.store, z, aScan), undefined);
      const aServer = (await listServers(fx.store, a, {})).items[0];
      assert.ok(aServer);
      assert.equal(await getServer(fx.store, z, aServer.id), undefined);
      assert.equal(await findOrganisation(fx.store, z, 'alpha'), undefined);
      const step = (await listRemediation(fx.store, a, {})).items[0];
      assert.ok(step);
      assert.equal(await setRemediationStatus(fx.store, z, step.id, 'done', 'x'), false);
      assert.equal((await listRemediation(fx.store, a, {})).items[0]?.status, 'open');
    });

    test('administrators see every tenant', async () => {
      const servers = await listServers(fx.store, ALL, {});
      assert.deepEqual(
        servers.items.map((s) => `${s.organisation.name}/${s.name}`),
        ['alpha/alpha-ex1', 'alpha/alpha-ex2', 'zulu/zulu-ex1'],
      );
    });

    test('campaigns across organisations: victims, first and last seen, rules; private addresses ignored', async () => {
      const page = await listCampaigns(fx.store, ALL, {});
      const ip = page.items.find((c) => c.indicator.kind === 'ip');
      assert.equal(ip?.indicator.value, '203.0.113.7');
      assert.deepEqual(
        ip?.victims.map((v) => v.name),
        ['zulu', 'alpha'],
      );
      assert.equal(ip?.firstSeen, '2021-03-03T01:00:00.000Z');
      assert.equal(ip?.lastSeen, '2021-03-05T01:00:00.000Z');
      assert.deepEqual(ip?.activity, [
        { ruleId: 'exhunt.ecp.reset', title: 'ECP reset', stage: 'webshell-write' },
      ]);
      const kinds = page.items.map((c) => `${c.indicator.kind}=${c.indicator.value}`).sort();
      assert.deepEqual(kinds, [
        'ip=203.0.113.7',
        'user-agent=python-requests/2.25.1',
        `webshell-hash=${SHELL}`,
        'webshell-name=shell.aspx',
      ]);
      assert.ok(!JSON.stringify(page).includes('10.0.0.5'));
    });

    test('a tenant campaign view counts its own servers and names no other tenant', async () => {
      const page = await listCampaigns(fx.store, a, {});
      assert.deepEqual(page.items.map((c) => [c.indicator.value, c.victimCount]).sort(), [
        ['192.0.2.1', 2],
        ['exchangeservicesclient/0.0.0.0', 2],
      ]);
      const shared = (await listCampaigns(fx.store, ALL, { kind: 'ip' })).items[0];
      assert.ok(shared);
      const own = await getCampaign(fx.store, a, shared.indicator.id);
      assert.deepEqual(
        own?.victims.map((v) => [v.kind, v.name]),
        [['server', 'alpha-ex1']],
      );
      assert.equal(own?.victimCount, 1);
    });

    test('counters stay exact under concurrent ingests of many tenants sharing an indicator', async () => {
      const orgs = await Promise.all(
        Array.from({ length: 6 }, async (_, i) =>
          orgScope((await createOrganisation(fx.store, `burst${i}`, 'test')).id),
        ),
      );
      const report = (i: number) =>
        makeReport('attempted', [finding(`b${i}`, { sourceIps: ['198.51.100.250'], outcome: 'attempt' })]);
      await Promise.all(
        orgs.flatMap((o, i) =>
          [0, 1].map((k) =>
            ingestReport(fx.store, o, { serverName: `s${k}`, report: report(i * 2 + k), actor: 'test' }),
          ),
        ),
      );
      const c = (await listCampaigns(fx.store, ALL, { limit: 100 })).items.find(
        (x) => x.indicator.value === '198.51.100.250',
      );
      assert.equal(c?.victimCount, 6);
      const mine = (
        await listIndicators(fx.store, orgs[0] as ReturnType<typeof orgScope>, { value: '198.51.100.250' })
      ).items[0];
      assert.equal(mine?.victims, 2);
    });
  });
