// The hand-off downloads on SQLite and PostgreSQL: the remediation script and the client's HTML report of a
// server's latest scan (roles, tenants, audit, what they hold), and "new since your last visit" counting
// exactly what the server's own scan comparison calls new.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Finding } from '../core/finding.js';
import type { RemediationStep, ScanReport } from '../core/report.js';
import { backends, finding, makeReport, webshell } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { API_PREFIX } from './route.js';
import { testApp, tokenFor } from './testing/fixtures.js';
import type { TestApp } from './testing/fixtures.js';

type Headers = Record<string, string>;

const SHELL = 'c'.repeat(64);

function plan(): RemediationStep[] {
  const base = { why: 'because', targets: [], actions: ['do it'] };
  return [
    { ...base, order: 1, id: 'preserve-evidence', phase: 'preserve', title: 'Preserve the evidence first', scripted: false },
    {
      ...base,
      order: 2,
      id: 'quarantine-files',
      phase: 'eradicate',
      title: 'Quarantine the webshells',
      scripted: true,
      targets: [{ kind: 'file', value: 'inetpub/wwwroot/aspnet_client/s.aspx', serverPath: '%SystemDrive%\\inetpub\\wwwroot\\aspnet_client\\s.aspx', sha256: SHELL, detail: 'webshell' }],
    },
    { ...base, order: 3, id: 'reset-credentials', phase: 'recover', title: 'Reset the credentials', scripted: false },
  ]; // prettier-ignore
}

/** A log finding read from the IIS log at `path` (the id depends on the path, as the engine makes it). */
function logFinding(id: string, time: string, over: Partial<Finding> = {}): Finding {
  return finding(id, {
    time,
    evidence: [
      { path: 'inetpub/logs/LogFiles/W3SVC1/u_ex210303.log', line: 9, excerpt: `POST /ecp/y.js ${time}` },
    ],
    ...over,
  });
}

for (const b of await backends())
  describe(`hand-off downloads and new-since on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    let alpha: Headers;
    let viewer: Headers;
    let zulu: Headers;
    const ids: Record<string, number> = {};

    const get = (url: string, who: Headers) =>
      t.app.inject({ method: 'GET', url: API_PREFIX + url, headers: who });
    async function upload(server: string, report: ScanReport, who: Headers) {
      const r = await t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/reports?server=${encodeURIComponent(server)}`,
        headers: who,
        payload: report,
      });
      assert.ok(r.statusCode === 201 || r.statusCode === 200, r.body);
      return r.json<{ scanId: number; serverId: number }>();
    }
    const audits = (action: string) =>
      fx.store.db
        .selectFrom('audit_log')
        .select(['actor', 'target', 'detail'])
        .where('action', '=', action)
        .execute();

    before(async () => {
      fx = await b.create();
      t = await testApp(fx);
      alpha = await tokenFor(fx, 'Contoso Ltd', 'analyst');
      viewer = await tokenFor(fx, 'Contoso Ltd', 'viewer');
      zulu = await tokenFor(fx, 'tenant-zulu', 'analyst');
      const first = await upload(
        'mail01',
        makeReport('compromised', [logFinding('f1', '2021-03-03T06:49:46.210Z'), finding('ctx', { outcome: 'context' })], {
          scan: {
            startedAt: '2021-03-10T10:00:00.000Z',
            finishedAt: '2021-03-10T10:05:00.000Z',
            evidence: { root: '/evidence/mail01', kind: 'folder' },
            layout: 'system-drive',
            installPath: 'program files/microsoft/exchange server/v15/',
            host: { name: 'MAIL01.contoso.local', from: 'iis' },
          },
          webshells: [webshell('inetpub/wwwroot/aspnet_client/s.aspx', SHELL)],
          remediation: { steps: plan(), updates: [] },
        }),
        alpha,
      );
      ids.server = first.serverId;
      ids.first = first.scanId;
      ids.plain = (await upload('mail02', makeReport('attempted', [finding('p1', { outcome: 'attempt' })]), alpha)).serverId;
    }); // prettier-ignore
    after(async () => {
      await t.close();
      await fx.dispose();
    });

    test('the remediation script: for analysts, of the latest scan, host and install folder checked, steps named by checklist item, audited', async () => {
      const r = await get(`/servers/${ids.server}/remediation.ps1`, alpha);
      assert.equal(r.statusCode, 200, r.body);
      assert.match(String(r.headers['content-disposition']), /^attachment; filename="exhunt-remediation-mail01-scan-\d+\.ps1"$/);
      assert.ok(r.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 with a byte order mark');
      const script = r.body;
      assert.ok(script.includes("[string]$ExpectedHost = 'MAIL01.contoso.local',"), 'the host the evidence names');
      assert.ok(script.includes("[string]$InstallPath = ($SystemDrive + '\\program files\\microsoft\\exchange server\\v15')"));
      assert.ok(script.indexOf('Stop-Refused (') < script.indexOf('Start-Transcript'), 'the checks come first');
      const items = (await get(`/remediation?serverId=${ids.server}`, alpha)).json<{ items: { key: string }[] }>().items;
      const keys = new Set(items.map((i) => i.key));
      const named = [...script.matchAll(/\[checklist item ([a-z0-9-]+)\]/g)].map((m) => m[1] as string);
      assert.deepEqual([...new Set(named)].sort(), [...keys].sort(), 'every checklist item is named, and nothing else');
      assert.match(script, /^Invoke-Step '2\. Quarantine the webshells \[checklist item quarantine-files\]' \{$/m);
      const logged = await audits('remediation-script.download');
      assert.equal(logged.length, 1);
      assert.equal(logged[0]?.target, `scan:${ids.first}`);
      assert.match(logged[0]?.actor ?? '', /^token:/);
      // A server whose evidence names no host: the name it was uploaded as.
      const plain = await get(`/servers/${ids.plain}/remediation.ps1`, alpha);
      assert.ok(plain.body.includes("[string]$ExpectedHost = 'mail02',"));
      assert.ok(plain.body.includes('[string]$InstallPath = $env:ExchangeInstallPath'));
    }); // prettier-ignore

    test('the downloads need the analyst role and stay inside the organisation', async () => {
      const count = async () =>
        (await audits('remediation-script.download')).length + (await audits('report.download')).length;
      const before = await count();
      for (const file of ['remediation.ps1', 'report.html']) {
        assert.equal((await get(`/servers/${ids.server}/${file}`, viewer)).statusCode, 403, `viewer ${file}`);
        const other = await get(`/servers/${ids.server}/${file}`, zulu);
        assert.equal(other.statusCode, 404, `another tenant ${file}`);
        assert.ok(!other.body.includes('mail01'));
      }
      assert.equal(await count(), before, 'refused downloads are not recorded as downloads');
    });

    test('the client’s report: the organisation in the header, the dashboard’s verdict, findings count and each step’s status as marked', async () => {
      const items = (await get(`/remediation?serverId=${ids.server}`, alpha)).json<{ items: { id: number; key: string }[] }>().items;
      const quarantine = items.find((i) => i.key === 'quarantine-files');
      const reset = items.find((i) => i.key === 'reset-credentials');
      assert.ok(quarantine && reset);
      for (const [item, status] of [[quarantine, 'done'], [reset, 'wont-fix']] as const) {
        const p = await t.app.inject({ method: 'PATCH', url: `${API_PREFIX}/remediation/${item.id}`, headers: alpha, payload: { status } });
        assert.equal(p.statusCode, 204, p.body);
      }
      const server = (await get(`/servers/${ids.server}`, alpha)).json<{ verdict: string; latestScanId: number }>();
      const scan = (await get(`/scans/${server.latestScanId}/details`, alpha)).json<{ scan: { findings: number; verdict: string } }>().scan;
      const r = await get(`/servers/${ids.server}/report.html`, alpha);
      assert.equal(r.statusCode, 200, r.body);
      assert.match(String(r.headers['content-disposition']), /filename="exhunt-Contoso_Ltd-mail01-scan-\d+\.html"/);
      assert.match(String(r.headers['content-security-policy']), /sandbox/);
      const html = r.body;
      const header = /<section class="handoff"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
      assert.match(header, /Prepared for <strong class="org">Contoso Ltd<\/strong>/);
      assert.match(header, new RegExp(`verdict <strong>${scan.verdict}</strong> · ${scan.findings} findings · scan ${server.latestScanId}`));
      assert.equal(server.verdict, scan.verdict);
      const statusOf = (key: string) => new RegExp(`data-step="${key}">\\s*<p class="status">\\s*<span class="badge">([^<]+)</span>\\s*([^<]*)`).exec(html);
      assert.equal(statusOf('quarantine-files')?.[1], 'done');
      assert.match(statusOf('quarantine-files')?.[2] ?? '', /^done — analyst@Contoso Ltd \(token\), \d{4}-\d\d-\d\dT[\d:.]+Z/);
      assert.equal(statusOf('reset-credentials')?.[1], 'set aside');
      assert.equal(statusOf('preserve-evidence')?.[1], 'open');
      assert.match(html, /<p class="progress">2 of 3 steps done or set aside/);
      // The summary's "What to do now" leaves out what the checklist marks done or set aside.
      const todo = /<h3>What to do now<\/h3>([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
      assert.match(todo, /Preserve the evidence first/);
      assert.doesNotMatch(todo, /Quarantine the webshells|Reset the credentials/);
      // In the dashboard's order.
      const order = [...html.matchAll(/data-step="([a-z-]+)"/g)].map((m) => m[1]);
      assert.deepEqual(order, ['preserve-evidence', 'quarantine-files', 'reset-credentials']);
      const logged = (await audits('report.download')).filter((a) => String(a.detail).includes('handoff-html'));
      assert.equal(logged.length, 1);
    }); // prettier-ignore

    test('"new since your last visit" and the server’s scan comparison count the same findings', async () => {
      const since = (await get('/dashboard/overview', alpha)).json<{ now: string }>().now;
      // The same server collected again in another layout: the same log line read from another path has
      // another finding id, yet it is the same event (not new); a new line is new; context never counts.
      const again = logFinding('f1-moved', '2021-03-03T06:49:46.210Z', {
        evidence: [{ path: 'collected/W3SVC1/u_ex210303.log', line: 9, excerpt: 'POST /ecp/y.js 2021-03-03T06:49:46.210Z' }],
      });
      const later = await upload(
        'mail01',
        makeReport('compromised', [again, logFinding('f2', '2021-03-11T01:00:00.000Z'), finding('ctx2', { outcome: 'context', time: '2021-03-11T02:00:00.000Z' })], {
          scan: { startedAt: '2021-03-12T10:00:00.000Z', finishedAt: '2021-03-12T10:05:00.000Z', evidence: { root: '/evidence/mail01-b', kind: 'folder' }, layout: 'collected' },
        }),
        alpha,
      );
      // A server first seen after the visit: everything but context is new.
      await upload('mail03', makeReport('exploited', [logFinding('n1', '2021-03-11T03:00:00.000Z'), logFinding('n2', '2021-03-11T04:00:00.000Z'), finding('c3', { outcome: 'context' })]), alpha);
      const n = (await get(`/dashboard/overview?since=${since}`, alpha)).json<{
        newFindings: { count: number; servers: { id: number; name: string; count: number; scanId: number; baseScanId: number | null }[] };
      }>().newFindings;
      const mail01 = n.servers.find((s) => s.name === 'mail01');
      assert.ok(mail01, JSON.stringify(n));
      assert.equal(mail01.scanId, later.scanId);
      assert.equal(mail01.baseScanId, ids.first, 'compared with the scan the server had at the visit');
      type Diff = { base: { id: number } | null; diff: { findings: { new: { id: string }[] } } | null };
      const pinned = (await get(`/scans/${later.scanId}/diff?against=${ids.first}`, alpha)).json<Diff>();
      const byDefault = (await get(`/scans/${later.scanId}/diff`, alpha)).json<Diff>();
      assert.equal(byDefault.base?.id, ids.first, 'the history tab’s default comparison is the same one');
      for (const d of [pinned, byDefault]) {
        assert.equal(d.diff?.findings.new.length, mail01.count);
        assert.deepEqual(d.diff?.findings.new.map((f) => f.id), ['f2']);
      }
      const mail03 = n.servers.find((s) => s.name === 'mail03');
      assert.deepEqual([mail03?.count, mail03?.baseScanId], [2, null]);
      assert.equal(n.count, mail01.count + 2);
      // The other tenant's visit sees none of it.
      const zn = (await get(`/dashboard/overview?since=${since}`, zulu)).json<{ newFindings: { count: number } }>();
      assert.equal(zn.newFindings.count, 0);
    }); // prettier-ignore
  });
