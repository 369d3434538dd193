// Store contract, run on SQLite and PostgreSQL: ingest, idempotence, latest verdict, paging, remediation.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listAudit } from './audit.js';
import { listFindings } from './findings.js';
import { ingestReport } from './ingest.js';
import { createOrganisation } from './orgs.js';
import { listRemediation, setRemediationStatus } from './remediation.js';
import { getScanReport, listScans } from './scans.js';
import { orgScope } from './scope.js';
import { getServer, listServers } from './servers.js';
import { backends, finding, makeReport, step, webshell } from './testing.js';
import type { Fixture } from './testing.js';

for (const b of await backends())
  describe(`store contract (ingest) on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let org: ReturnType<typeof orgScope>;
    before(async () => {
      fx = await b.create();
      org = orgScope((await createOrganisation(fx.store, 'acme', 'test')).id);
    });
    after(() => fx.dispose());

    test('a report becomes one scan; the same report again is the same scan', async () => {
      const report = makeReport(
        'compromised',
        [
          finding('f1', {
            // The typed sections (schema 1.6) ride along in the stored finding and come back whole.
            request: { method: 'POST', path: '/ecp/y.js', status: 241, requestId: '652377b6-9ae5-435a-8cc8-317aeb7d0ff6', port: 443 }, // prettier-ignore
            indicator: { type: 'user-agent', value: 'python-requests/2.25.1', feed: 'builtin' },
            gate: 'exploitation',
          }),
          finding('f2', {
            severity: 'critical',
            stage: 'webshell-use',
            file: { path: 'inetpub/wwwroot/aspnet_client/discover.aspx', sha256: 'a'.repeat(64), size: 120 },
            command: { text: 'whoami' },
          }),
        ],
        {
          webshells: [webshell('inetpub/wwwroot/aspnet_client/discover.aspx', 'a'.repeat(64))],
        },
      );
      const first = await ingestReport(fx.store, org, { serverName: 'ex01', report, actor: 'test' });
      const again = await ingestReport(fx.store, org, { serverName: 'ex01', report, actor: 'test' });
      assert.equal(first.created, true);
      assert.equal(again.created, false);
      assert.equal(again.scanId, first.scanId);
      const scans = await listScans(fx.store, org, {});
      assert.equal(scans.items.length, 1);
      assert.equal(scans.items[0]?.findings, 2);
      // Given back whole: the stored parts and finding rows make the uploaded report again.
      assert.deepEqual(await getScanReport(fx.store, org, first.scanId), report);
      const log = await listAudit(fx.store, org, { action: 'scan.create' });
      assert.equal(log.items.length, 1);
    });

    test('the latest verdict is the newest scan by its finish time, not by upload order', async () => {
      const newer = makeReport('clean', [], {
        scan: { ...makeReport('clean', []).scan, finishedAt: '2021-04-01T00:00:00.000Z' },
      });
      const older = makeReport('attempted', [finding('p1', { outcome: 'probe', stage: 'recon' })], {
        scan: { ...makeReport('clean', []).scan, finishedAt: '2021-01-01T00:00:00.000Z' },
      });
      const n = await ingestReport(fx.store, org, {
        serverName: 'ex02',
        report: newer,
        actor: 'test',
        exposure: { build: '15.1.2176.2', vulnerable: ['CVE-2021-26855'], unknown: [] },
      });
      await ingestReport(fx.store, org, { serverName: 'ex02', report: older, actor: 'test' });
      const s = await getServer(fx.store, org, n.serverId);
      assert.equal(s?.verdict, 'clean');
      assert.equal(s?.latestScanId, n.scanId);
      assert.deepEqual(s?.exposure?.vulnerable, ['CVE-2021-26855']);
      const compromised = await listServers(fx.store, org, { verdict: 'compromised' });
      assert.deepEqual(
        compromised.items.map((x) => x.name),
        ['ex01'],
      );
    });

    test('findings page newest upload first, every row once, and filter by server, severity and time', async () => {
      const many = Array.from({ length: 23 }, (_, i) =>
        finding(`m${i}`, {
          time: `2021-03-0${1 + (i % 9)}T0${i % 10}:00:00.000Z`,
          severity: i % 2 ? 'low' : 'high',
        }),
      );
      const r = await ingestReport(fx.store, org, {
        serverName: 'ex03',
        report: makeReport('exploited', many),
        actor: 'test',
      });
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const p = await listFindings(fx.store, org, {
          serverId: r.serverId,
          limit: 5,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...p.items.map((x) => x.finding.id));
        cursor = p.next ?? undefined;
        pages++;
      } while (cursor);
      assert.equal(pages, 5);
      // Newest upload first; within one report, the report's order read backwards.
      assert.deepEqual(seen, many.map((f) => f.id).reverse());
      const high = await listFindings(fx.store, org, { serverId: r.serverId, severity: 'high', limit: 100 });
      assert.equal(high.items.length, 12);
      const early = await listFindings(fx.store, org, {
        scanId: r.scanId,
        until: '2021-03-01T23:59:59.999Z',
        limit: 100,
      });
      assert.deepEqual(early.items.map((x) => x.finding.id).sort(), ['m0', 'm18', 'm9']);
      await assert.rejects(listFindings(fx.store, org, { cursor: 'not-a-cursor' }), /bad cursor/);
    });

    test('remediation comes from report.remediation when present, keeps its status across scans', async () => {
      const steps = [step('reset-passwords', 'Reset every password'), step('rebuild', 'Rebuild the server')];
      const one = makeReport('compromised', [finding('r1')], { remediation: { steps, updates: [] } });
      const r = await ingestReport(fx.store, org, { serverName: 'ex04', report: one, actor: 'test' });
      const items = await listRemediation(fx.store, org, { serverId: r.serverId });
      assert.deepEqual(
        items.items.map((i) => [i.key, i.title, i.status]),
        [
          ['reset-passwords', 'Reset every password', 'open'],
          ['rebuild', 'Rebuild the server', 'open'],
        ],
      );
      const first = items.items[0];
      assert.ok(first);
      assert.equal(await setRemediationStatus(fx.store, org, first.id, 'done', 'user:1:alice'), true);
      const two = makeReport('compromised', [finding('r2')], {
        remediation: { steps: [step('reset-passwords', 'Reset every password now')], updates: [] },
        scan: { ...one.scan, finishedAt: '2021-05-01T00:00:00.000Z' },
      });
      await ingestReport(fx.store, org, { serverName: 'ex04', report: two, actor: 'test' });
      const after = await listRemediation(fx.store, org, { serverId: r.serverId, status: 'done' });
      assert.deepEqual(
        after.items.map((i) => [i.title, i.updatedBy]),
        [['Reset every password now', 'user:1:alice']],
      );
      const none = await ingestReport(fx.store, org, {
        serverName: 'ex05',
        report: makeReport('clean', []),
        actor: 'test',
      });
      assert.equal((await listRemediation(fx.store, org, { serverId: none.serverId })).items.length, 0);
    });

    test('concurrent uploads of the same report still make one scan', async () => {
      const report = makeReport('attempted', [finding('c1', { outcome: 'attempt' })]);
      const results = await Promise.all(
        Array.from({ length: 4 }, () =>
          ingestReport(fx.store, org, { serverName: 'ex06', report, actor: 'test' }),
        ),
      );
      assert.equal(results.filter((r) => r.created).length, 1);
      assert.equal(new Set(results.map((r) => r.scanId)).size, 1);
    });
  });
