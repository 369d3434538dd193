// The dashboard's API routes on SQLite and PostgreSQL: overview, trend, server search, exposure, scan details,
// findings by id, diffs and downloads, each checked for what it shows and for what another tenant cannot see.

import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../core/finding.js';
import type { ScanReport } from '../core/report.js';
import { backends, finding, makeReport, step, webshell } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { API_PREFIX } from './route.js';
import { testApp, tokenFor } from './testing/fixtures.js';
import type { TestApp } from './testing/fixtures.js';

type Headers = Record<string, string>;

const SHELL = 'e'.repeat(64);
const today = () => new Date().toISOString();

/** A report finished now (the trend counts it today), for a build that misses updates. */
function reportOf(
  verdict: ScanReport['verdict'],
  findings: Finding[],
  over: Partial<ScanReport> = {},
): ScanReport {
  const base = makeReport(verdict, findings, over);
  return { ...base, scan: { ...base.scan, startedAt: today(), finishedAt: today() } };
}

const WEB_SRC = fileURLToPath(new URL('../../../web/src/', import.meta.url));

/** The lint rule says the same; this also holds where lint is not run. */
test('the dashboard never renders text as HTML (no dangerouslySetInnerHTML, innerHTML or document.write)', async () => {
  const files = (await readdir(WEB_SRC, { recursive: true })).filter((f) => /\.tsx?$/.test(f));
  assert.ok(files.length > 10, `sources found in ${WEB_SRC}`);
  for (const f of files) {
    const text = await readFile(path.join(WEB_SRC, f), 'utf8');
    assert.doesNotMatch(
      text,
      /dangerouslySetInnerHTML|\.(inner|outer)HTML\b|insertAdjacentHTML|document\.write/,
      f,
    );
  }
});

for (const b of await backends())
  describe(`dashboard routes on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    let alpha: Headers;
    let alphaViewer: Headers;
    let zulu: Headers;
    let admin: Headers;
    const ids: Record<string, number> = {};

    const get = (url: string, who: Headers) =>
      t.app.inject({ method: 'GET', url: API_PREFIX + url, headers: who });
    async function upload(server: string, report: ScanReport, who: Headers, build?: string) {
      const r = await t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/reports?server=${encodeURIComponent(server)}${build ? `&build=${build}` : ''}`,
        headers: who,
        payload: report,
      });
      assert.ok(r.statusCode === 201 || r.statusCode === 200, r.body);
      return r.json<{ scanId: number; serverId: number }>();
    }

    before(async () => {
      fx = await b.create();
      t = await testApp(fx);
      alpha = await tokenFor(fx, 'tenant-alpha', 'analyst');
      alphaViewer = await tokenFor(fx, 'tenant-alpha', 'viewer');
      zulu = await tokenFor(fx, 'tenant-zulu', 'analyst');
      admin = await tokenFor(fx, null, 'administrator');
      const first = await upload(
        'Alpha-Mail-01',
        reportOf('compromised', [finding('a1', { sourceIps: ['192.0.2.77'] })], {
          webshells: [webshell('inetpub/wwwroot/aspnet_client/a.aspx', SHELL)],
          remediation: { steps: [step('isolate', 'Isolate Alpha-Mail-01')], updates: [] },
        }),
        alpha,
        '15.1.2176.2',
      );
      ids.server = first.serverId;
      ids.firstScan = first.scanId;
      await upload('alpha-clean', reportOf('clean', []), alpha, '15.2.1544.4');
      await upload('alpha-100%_odd', reportOf('attempted', [finding('p1', { outcome: 'attempt' })]), alpha);
      const zuluScan = await upload('zulu-ex', reportOf('exploited', [finding('z1')]), zulu, '15.1.2176.2');
      ids.zuluScan = zuluScan.scanId;
      ids.zuluServer = zuluScan.serverId;
    });
    after(async () => {
      await t.close();
      await fx.dispose();
    });

    test('the overview counts only the caller’s servers, puts the compromised first, and another tenant sees none of it', async () => {
      const o = (await get('/dashboard/overview', alpha)).json<{
        servers: number;
        verdicts: Record<string, number>;
        exposure: Record<string, number>;
        remediation: Record<string, number>;
        needsAction: { name: string }[];
        newFindings: unknown;
        now: string;
      }>();
      assert.equal(o.servers, 3);
      assert.deepEqual(o.verdicts, { compromised: 1, clean: 1, attempted: 1 });
      assert.equal(o.exposure.vulnerable, 1, 'the 2176.2 build misses updates');
      assert.equal(o.exposure.noBuild, 1);
      assert.equal(o.remediation.open, 1);
      assert.deepEqual(
        o.needsAction.map((s) => s.name),
        ['Alpha-Mail-01', 'alpha-100%_odd'],
      );
      assert.equal(o.newFindings, null, 'no since, no comparison');
      const z = await get('/dashboard/overview', zulu);
      assert.equal(z.json<{ servers: number }>().servers, 1);
      assert.ok(!z.body.includes('Alpha-Mail-01'));
      assert.equal((await get('/dashboard/overview?org=tenant-alpha', zulu)).statusCode, 403);
      const narrowed = (await get('/dashboard/overview?org=tenant-zulu', admin)).json<{ servers: number }>();
      assert.equal(narrowed.servers, 1);
      assert.equal((await get('/dashboard/overview', admin)).json<{ servers: number }>().servers, 4);
    });

    test('new findings since a time are those the server’s earlier scan did not have', async () => {
      const since = (await get('/dashboard/overview', alpha)).json<{ now: string }>().now;
      // Scans keep the same ids for the same evidence: a1 again is not new, a2 is.
      await upload(
        'Alpha-Mail-01',
        reportOf(
          'compromised',
          [finding('a1', { sourceIps: ['192.0.2.77'] }), finding('a2', { time: today() })],
          {
            remediation: { steps: [step('isolate', 'Isolate Alpha-Mail-01')], updates: [] },
          },
        ),
        alpha,
      );
      // Two log lines not read before (their own times); z1 again is the same line, so not new.
      await upload(
        'zulu-ex',
        reportOf('exploited', [
          finding('z1'),
          finding('z2', { time: '2021-03-04T01:00:00.000Z' }),
          finding('z3', { time: '2021-03-04T02:00:00.000Z' }),
        ]),
        zulu,
      );
      const n = (await get(`/dashboard/overview?since=${since}`, alpha)).json<{
        newFindings: { count: number; servers: { name: string; count: number }[] };
      }>().newFindings;
      assert.equal(n.count, 1);
      assert.deepEqual(
        n.servers.map((s) => [s.name, s.count]),
        [['Alpha-Mail-01', 1]],
      );
      const zn = (await get(`/dashboard/overview?since=${since}`, zulu)).json<{
        newFindings: { count: number; servers: { name: string }[] };
      }>().newFindings;
      assert.equal(zn.count, 2);
      assert.deepEqual(
        zn.servers.map((s) => s.name),
        ['zulu-ex'],
      );
    });

    test('the trend counts each server under its latest verdict, today included, within the tenant', async () => {
      const days = (await get('/dashboard/trend?days=7', alpha)).json<{
        days: { day: string; verdicts: Record<string, number>; scans: number }[];
      }>().days;
      assert.equal(days.length, 7);
      const last = days[days.length - 1];
      assert.equal(last?.day, today().slice(0, 10));
      assert.deepEqual(last?.verdicts, { compromised: 1, clean: 1, attempted: 1 });
      assert.ok((last?.scans ?? 0) >= 3);
      const zdays = (await get('/dashboard/trend?days=7', zulu)).json<{
        days: { verdicts: Record<string, number> }[];
      }>().days;
      assert.deepEqual(zdays[zdays.length - 1]?.verdicts, { exploited: 1 });
    });

    test('server search: any case, wildcards as text, most urgent first, paged without loss', async () => {
      const names = async (q: string, who = alpha) =>
        (await get(`/dashboard/servers${q}`, who))
          .json<{ items: { name: string }[] }>()
          .items.map((s) => s.name);
      assert.deepEqual(await names('?q=ALPHA-mail'), ['Alpha-Mail-01']);
      assert.deepEqual(await names(`?q=${encodeURIComponent('100%_')}`), ['alpha-100%_odd']);
      assert.deepEqual(
        await names(`?q=${encodeURIComponent('%')}`),
        ['alpha-100%_odd'],
        '% is not a wildcard',
      );
      assert.deepEqual(await names(''), ['Alpha-Mail-01', 'alpha-100%_odd', 'alpha-clean']);
      assert.deepEqual(await names('?build=15.2.1544.4'), ['alpha-clean']);
      assert.deepEqual(await names('?build=none'), ['alpha-100%_odd']);
      assert.deepEqual(await names('?vulnerable=true'), ['Alpha-Mail-01']);
      assert.deepEqual(await names('?q=zulu'), [], 'another tenant’s server is not found by name');
      assert.deepEqual(await names('?q=alpha', zulu), []);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { name: string }[]; next: string | null } = (
          await get(`/dashboard/servers?limit=1${cursor ? `&cursor=${cursor}` : ''}`, admin)
        ).json();
        seen.push(...page.items.map((s) => s.name));
        cursor = page.next;
      } while (cursor);
      assert.deepEqual(seen, ['Alpha-Mail-01', 'zulu-ex', 'alpha-100%_odd', 'alpha-clean']);
      assert.equal((await get('/dashboard/servers?cursor=nonsense', alpha)).statusCode, 400);
    });

    test('exposure groups the tenant’s servers by build, the builds missing updates first', async () => {
      const builds = (await get('/dashboard/exposure', alpha)).json<{
        builds: { build: string | null; servers: number; missing: { kb?: string }[]; vulnerable: string[] }[];
      }>().builds;
      assert.deepEqual(
        builds.map((g) => [g.build, g.servers]),
        [
          ['15.1.2176.2', 1],
          ['15.2.1544.4', 1],
          [null, 1],
        ],
      );
      assert.ok((builds[0]?.missing.length ?? 0) > 0);
      assert.ok(builds[0]?.vulnerable.includes('CVE-2021-34473'));
      assert.equal((await get('/dashboard/exposure?org=tenant-alpha', zulu)).statusCode, 403);
      const zb = (await get('/dashboard/exposure', zulu)).json<{ builds: { servers: number }[] }>().builds;
      assert.deepEqual(
        zb.map((g) => g.servers),
        [1],
      );
    });

    test('scan details leave out findings and artifacts; another tenant’s scan is not found', async () => {
      const d = (await get(`/scans/${ids.firstScan}/details`, alphaViewer)).json<{
        scan: { id: number; server: string };
        report: Record<string, unknown>;
      }>();
      assert.equal(d.scan.server, 'Alpha-Mail-01');
      assert.equal(d.report.verdict, 'compromised');
      assert.ok(!('findings' in d.report) && !('artifacts' in d.report));
      assert.equal(d.report.artifactsTotal, 0);
      assert.equal((d.report.webshells as unknown[]).length, 1);
      assert.equal((await get(`/scans/${ids.firstScan}/details`, zulu)).statusCode, 404);
      assert.equal((await get(`/scans/${ids.zuluScan}/details`, alpha)).statusCode, 404);
    });

    test('findings by id come from that scan only, and not across tenants', async () => {
      const r = (await get(`/scans/${ids.firstScan}/findings?ids=a1,z1,nope`, alphaViewer)).json<{
        items: { id: string }[];
      }>();
      assert.deepEqual(
        r.items.map((f) => f.id),
        ['a1'],
      );
      assert.equal((await get(`/scans/${ids.zuluScan}/findings?ids=z1`, alpha)).statusCode, 404);
      assert.equal((await get(`/scans/${ids.firstScan}/findings?ids=<script>`, alpha)).statusCode, 400);
    });

    test('the diff compares with the server’s previous scan, never with another tenant’s', async () => {
      const scans = (await get(`/scans?serverId=${ids.server}`, alpha)).json<{ items: { id: number }[] }>()
        .items;
      const latest = scans[0]?.id as number;
      const d = (await get(`/scans/${latest}/diff`, alpha)).json<{
        base: { id: number };
        diff: { findings: { new: { id: string }[] }; webshells: { gone: unknown[] } };
      }>();
      assert.equal(d.base.id, ids.firstScan);
      assert.deepEqual(
        d.diff.findings.new.map((f) => f.id),
        ['a2'],
      );
      assert.equal(d.diff.webshells.gone.length, 1);
      const none = (await get(`/scans/${ids.firstScan}/diff`, alpha)).json<{ base: null; diff: null }>();
      assert.deepEqual(none, { base: null, diff: null });
      const cross = await get(`/scans/${latest}/diff?against=${ids.zuluScan}`, alpha);
      assert.equal(cross.statusCode, 404);
      assert.ok(!cross.body.includes('zulu'));
    });

    test('downloads as HTML, JSON and CSV are attachments, sandboxed, audited, and for analysts only', async () => {
      const html = await get(`/scans/${ids.firstScan}/download?format=html`, alpha);
      assert.equal(html.statusCode, 200);
      assert.match(String(html.headers['content-type']), /^text\/html/);
      assert.match(String(html.headers['content-security-policy']), /sandbox/);
      assert.match(
        String(html.headers['content-disposition']),
        new RegExp(`^attachment; filename="exhunt-Alpha-Mail-01-scan-${ids.firstScan}\\.html"$`),
      );
      assert.match(html.body, /^<!doctype html>/i);
      const csv = await get(`/scans/${ids.firstScan}/download?format=csv`, alpha);
      assert.match(csv.body.split('\n')[0] as string, /^message,datetime,timestamp_desc/);
      const json = await get(`/scans/${ids.firstScan}/download`, alpha);
      assert.equal(json.json<{ findings: unknown[] }>().findings.length, 1);
      assert.equal((await get(`/scans/${ids.firstScan}/download?format=html`, alphaViewer)).statusCode, 403);
      assert.equal((await get(`/scans/${ids.firstScan}/download?format=pdf`, alpha)).statusCode, 400);
      assert.equal((await get(`/scans/${ids.firstScan}/download?format=html`, zulu)).statusCode, 404);
      const log = (await get('/audit?action=report.download', alpha)).json<{
        items: { detail: { format: string } }[];
      }>();
      assert.deepEqual(log.items.map((i) => i.detail.format).sort(), ['csv', 'html', 'json']);
      const zlog = (await get('/audit?action=report.download', zulu)).json<{ items: unknown[] }>();
      assert.equal(zlog.items.length, 0);
    });
  });
