// `GET /servers?order=triage` on SQLite and PostgreSQL: uploaded reports of servers in different states come
// back highest score first with the reasons and the order in words; a checklist change reorders them; paging,
// validation, tenants and the OpenAPI document.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Finding } from '../core/finding.js';
import type { ScanReport } from '../core/report.js';
import { backends, finding, makeReport, step, webshell } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { API_PREFIX } from './route.js';
import { testApp, tokenFor } from './testing/fixtures.js';
import type { TestApp } from './testing/fixtures.js';

type Headers = Record<string, string>;

interface Reason {
  code: string;
  weight: number;
  text: string;
  detail: string;
}
interface Server {
  id: number;
  name: string;
  triage: { score: number; reasons: Reason[]; lastActivity: string | null };
}
interface ServerPage {
  items: Server[];
  next: string | null;
  order?: string;
}

const DAY = 24 * 3600 * 1000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

function scanned(
  days: number,
  verdict: ScanReport['verdict'],
  findings: Finding[],
  over: Partial<ScanReport> = {},
) {
  const r = makeReport(verdict, findings, over);
  return { ...r, scan: { ...r.scan, startedAt: ago(days), finishedAt: ago(days) } };
}

for (const b of await backends())
  describe(`triage order through the API on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    let alpha: Headers;
    let zulu: Headers;
    let admin: Headers;

    const get = (url: string, who: Headers) =>
      t.app.inject({ method: 'GET', url: API_PREFIX + url, headers: who });
    const names = async (who: Headers, extra = '') =>
      (await get(`/servers?order=triage${extra}`, who)).json<ServerPage>().items.map((s) => s.name);
    async function upload(server: string, report: ScanReport, who: Headers, build?: string) {
      const r = await t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/reports?server=${encodeURIComponent(server)}${build ? `&build=${build}` : ''}`,
        headers: who,
        payload: report,
      });
      assert.ok(r.statusCode === 201 || r.statusCode === 200, r.body);
    }

    before(async () => {
      fx = await b.create();
      // A three-day window, so that the server's setting is seen to reach the score.
      t = await testApp(fx, { triage: { activeDays: 3, staleDays: 14 } });
      alpha = await tokenFor(fx, 'tenant-alpha', 'analyst');
      zulu = await tokenFor(fx, 'tenant-zulu', 'analyst');
      admin = await tokenFor(fx, null, 'administrator');
      await upload(
        'mail-01',
        scanned(
          0,
          'compromised',
          [finding('w', { time: ago(10), outcome: 'compromise', stage: 'webshell-write' })],
          {
            webshells: [webshell('inetpub/wwwroot/aspnet_client/<b>x</b>.aspx', 'e'.repeat(64))],
            remediation: {
              steps: [step('quarantine-files', 'Quarantine'), step('isolate', 'Isolate')],
              updates: [],
            },
          },
        ),
        alpha,
      );
      // Attempts two days ago: inside the three-day window.
      await upload(
        'mail-02',
        scanned(0, 'attempted', [finding('a', { time: ago(2), outcome: 'attempt' })]),
        alpha,
      );
      // The same attempts five days ago: outside it.
      await upload(
        'mail-03',
        scanned(0, 'attempted', [finding('b', { time: ago(5), outcome: 'attempt' })]),
        alpha,
      );
      await upload('mail-04', scanned(0, 'clean', []), alpha, '15.1.2176.2');
      await upload('mail-05', scanned(0, 'clean', []), alpha, '15.2.1544.4');
      await upload('zulu-01', scanned(0, 'compromised', [finding('z', { time: ago(1) })]), zulu);
    });
    after(async () => {
      await t.close();
      await fx.dispose();
    });

    test('highest score first, with the reasons in words and the order explained', async () => {
      const page = (await get('/servers?order=triage', alpha)).json<ServerPage>();
      assert.deepEqual(
        page.items.map((s) => s.name),
        ['mail-01', 'mail-02', 'mail-04', 'mail-03', 'mail-05'],
      );
      const [first, second] = page.items;
      assert.deepEqual(
        first?.triage.reasons.map((r) => r.code),
        ['webshell-on-disk', 'verdict', 'remediation-open'],
      );
      // Attacker text travels as data in the detail; escaping is the reader's job.
      assert.match(first?.triage.reasons[0]?.detail ?? '', /<b>x<\/b>\.aspx/);
      assert.equal(second?.triage.reasons[0]?.text, 'Attacker active in the last 3 days');
      assert.equal(page.items[2]?.triage.reasons[0]?.code, 'exposure-open');
      assert.deepEqual(page.items[4]?.triage.reasons, []);
      assert.match(page.order ?? '', /last 3 days/);
      assert.equal(
        (await get('/servers', alpha)).json<ServerPage>().order,
        undefined,
        'by name: no order text',
      );
      assert.deepEqual(
        (await get('/servers', alpha)).json<ServerPage>().items.map((s) => s.name),
        ['mail-01', 'mail-02', 'mail-03', 'mail-04', 'mail-05'],
        'the default order is still by name',
      );
    });

    test('marking the steps done reorders nothing it should not, and lowers the score', async () => {
      const id = (await get('/servers?order=triage&limit=1', alpha)).json<ServerPage>().items[0]?.id;
      const before = (await get(`/servers/${id}`, alpha)).json<Server>().triage.score;
      const steps = (await get(`/remediation?serverId=${id}`, alpha)).json<{ items: { id: number }[] }>()
        .items;
      for (const s of steps) {
        const r = await t.app.inject({
          method: 'PATCH',
          url: `${API_PREFIX}/remediation/${s.id}`,
          headers: alpha,
          payload: { status: 'done' },
        });
        assert.equal(r.statusCode, 204, r.body);
      }
      const after = (await get(`/servers/${id}`, alpha)).json<Server>();
      assert.equal(after.triage.score, before - 4);
      assert.ok(!after.triage.reasons.some((r) => r.code === 'remediation-open'));
      assert.equal((await names(alpha))[0], 'mail-01', 'a webshell on disk still comes first');
    });

    test('paged one at a time, every server once in the same order; filters combine with it', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ServerPage = (
          await get(`/servers?order=triage&limit=1${cursor ? `&cursor=${cursor}` : ''}`, admin)
        ).json();
        seen.push(...page.items.map((s) => s.name));
        cursor = page.next;
      } while (cursor);
      assert.deepEqual(seen, await names(admin));
      // 65 for the webshell, 55 for an active attacker on a compromised server, then the rest of alpha.
      assert.deepEqual(
        seen.slice(0, 3),
        ['mail-01', 'zulu-01', 'mail-02'],
        'every organisation in one order',
      );
      assert.deepEqual(await names(alpha, '&verdict=attempted'), ['mail-02', 'mail-03']);
      assert.equal((await get('/servers?order=triage&cursor=bad', alpha)).statusCode, 400);
      assert.equal((await get('/servers?order=worst', alpha)).statusCode, 400);
    });

    test('another tenant sees none of it', async () => {
      assert.deepEqual(await names(zulu), ['zulu-01']);
      assert.equal((await get('/servers?order=triage&org=tenant-alpha', zulu)).statusCode, 403);
    });

    test('the overview’s servers needing action are the head of the same order', async () => {
      const o = (await get('/dashboard/overview', alpha)).json<{ needsAction: Server[] }>();
      assert.deepEqual(
        o.needsAction.map((s) => s.name),
        (await names(alpha)).slice(0, 4),
        'every server with a score, the quiet one left out',
      );
    });

    test('the OpenAPI document describes the order and the reasons', async () => {
      const doc = (await get('/openapi.json', {})).json<{
        components: { schemas: Record<string, unknown> };
        paths: Record<
          string,
          Record<
            string,
            {
              parameters: { name: string; schema: { enum?: string[] } }[];
              responses: Record<
                string,
                { content: Record<string, { schema?: { properties: Record<string, unknown> } }> }
              >;
            }
          >
        >;
      }>();
      const op = doc.paths[`${API_PREFIX}/servers`]?.get;
      assert.deepEqual(op?.parameters.find((p) => p.name === 'order')?.schema.enum, ['name', 'triage']);
      const schema = op?.responses['200']?.content['application/json']?.schema;
      assert.ok(schema && 'order' in schema.properties && 'items' in schema.properties);
      // The server's schema is a component (generated from api/types.ts), its reasons' codes among them.
      const reachable = (s: unknown, seen = new Set<string>()): string =>
        JSON.stringify(s).replace(/"#\/components\/schemas\/(\w+)"/g, (all, name: string) => {
          if (seen.has(name)) return all;
          seen.add(name);
          return reachable(doc.components.schemas[name], seen);
        });
      assert.match(reachable(schema), /webshell-on-disk/);
    });
  });
