// Security suite: NUL bytes, on SQLite and PostgreSQL. Evidence text holding NUL (a webshell can plant one
// in a log) is stored with each NUL written as `\x00`, on both databases alike; a NUL in a parameter or in
// a body that is not evidence is a 400 with a reason, never a 500 from the database.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ingestReport, listFindings, orgScope, createOrganisation } from '../../store/index.js';
import { backends, finding, makeReport, webshell } from '../../store/testing.js';
import type { Fixture } from '../../store/testing.js';
import { API_PREFIX } from '../route.js';
import { testApp, tokenFor } from '../testing/fixtures.js';
import type { TestApp } from '../testing/fixtures.js';

const NUL = '\u0000';

function nulReport() {
  return makeReport(
    'compromised',
    [
      finding('n1', {
        userAgent: `Mozilla${NUL}/5.0`,
        evidence: [
          { path: 'inetpub/logs/u_ex210303.log', line: 3, excerpt: `GET /owa/auth/x.aspx?c=${NUL}whoami` },
        ],
        summary: `request with a NUL${NUL}`,
      }),
    ],
    {
      explanation: `planted${NUL}byte`,
      webshells: [webshell(`inetpub/wwwroot/aspnet_client/a${NUL}.aspx`, 'e'.repeat(64))],
    },
  );
}

for (const b of await backends())
  describe(`NUL bytes on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    let analyst: Record<string, string>;
    let admin: Record<string, string>;
    before(async () => {
      fx = await b.create();
      t = await testApp(fx);
      analyst = await tokenFor(fx, 'nul-org', 'analyst');
      admin = await tokenFor(fx, null, 'administrator');
    });
    after(async () => {
      await t?.close();
      await fx?.dispose();
    });

    test('a report holding NUL is stored, each NUL as \\x00 where it was', async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/reports?server=nul-ex`,
        headers: analyst,
        payload: nulReport(),
      });
      assert.equal(r.statusCode, 201, r.body);
      const { scanId } = r.json<{ scanId: number }>();
      const got = await t.app.inject({
        method: 'GET',
        url: `${API_PREFIX}/scans/${scanId}/report`,
        headers: analyst,
      });
      assert.equal(got.statusCode, 200, got.body);
      assert.ok(!got.body.includes('\\u0000'), 'no NUL comes back');
      const report = got.json<ReturnType<typeof nulReport>>();
      assert.equal(report.explanation, 'planted\\x00byte');
      assert.equal(report.findings[0]!.evidence[0]!.excerpt, 'GET /owa/auth/x.aspx?c=\\x00whoami');
      assert.equal(report.webshells[0]!.path, 'inetpub/wwwroot/aspnet_client/a\\x00.aspx');
    });

    test("a worker's ingest (a bundle's scan) stores NUL the same way", async () => {
      const org = await createOrganisation(fx.store, 'nul-worker-org', 'test');
      const r = await ingestReport(fx.store, orgScope(org.id), {
        serverName: `ex${NUL}02`,
        report: nulReport(),
        actor: 'test',
      });
      assert.ok(r.created);
      const page = await listFindings(fx.store, orgScope(org.id), {});
      assert.equal(page.items[0]?.finding.userAgent, 'Mozilla\\x00/5.0');
    });

    test('NUL in a query or path parameter is a 400 with a reason', async () => {
      for (const url of [
        '/servers?name=%00',
        '/findings?ip=1.2.3.4%00',
        '/findings?rule=a%00b',
        `/servers?cursor=${Buffer.from(JSON.stringify(['a\0', 1])).toString('base64url')}`,
        '/dashboard/servers?q=%00',
      ]) {
        const r = await t.app.inject({ method: 'GET', url: `${API_PREFIX}${url}`, headers: analyst });
        assert.equal(r.statusCode, 400, `${url}: ${r.body}`);
        assert.ok(r.json<{ message: string }>().message.length > 0);
      }
    });

    test('NUL in a body that is not evidence is a 400 naming the field; in a streamed feed a 422', async () => {
      const org = await t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/organisations`,
        headers: admin,
        payload: { name: `evil${NUL}org` },
      });
      assert.equal(org.statusCode, 400, org.body);
      assert.match(org.json<{ message: string }>().message, /NUL byte in body \/name/);
      for (const [type, status] of [
        ['text/plain', 400],
        ['text/csv', 422],
      ] as const) {
        const feed = await t.app.inject({
          method: 'POST',
          url: `${API_PREFIX}/feeds?name=nul-feed`,
          headers: { ...analyst, 'content-type': type },
          payload: `192.0.2.1\n192.0.2.2${NUL}\n`,
        });
        assert.equal(feed.statusCode, status, `${type}: ${feed.body}`);
        assert.match(feed.json<{ message: string }>().message, /NUL byte/);
      }
    });
  });
