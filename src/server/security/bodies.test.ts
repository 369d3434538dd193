// Security suite: bodies far past what any real upload holds (a report with a 100 MiB field, a 64 MiB
// deeply nested body, a 20 MiB feed) are prepared in the body worker, so the health check answers while
// they are in flight, and what viewers get back afterwards is bounded. SQLite only: what is tested here
// happens before the database (PostgreSQL gets the same bodies in the route suite, at smaller sizes).

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { backends, finding, makeReport } from '../../store/testing.js';
import type { Fixture } from '../../store/testing.js';
import { BodyPool } from '../body/pool.js';
import { API_PREFIX } from '../route.js';
import { testApp, tokenFor } from '../testing/fixtures.js';
import type { TestApp } from '../testing/fixtures.js';

const MiB = 1024 * 1024;
const sqlite = (await backends()).find((b) => b.dialect === 'sqlite')!;

describe('huge bodies do not stall the server', { timeout: 180_000 }, () => {
  let fx: Fixture;
  let t: TestApp;
  let base: string;
  let analyst: Record<string, string>;
  const pool = new BodyPool();
  before(async () => {
    fx = await sqlite.create();
    t = await testApp(fx, { bodyPool: pool, maxReportBytes: 200 * MiB });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}${API_PREFIX}`;
    analyst = await tokenFor(fx, 'big-org', 'analyst');
  });
  after(async () => {
    await t?.close();
    await fx?.dispose();
  });

  /**
   * Sends the big request; once the server has handed its body to the worker, asks for the health check,
   * which must answer before the big request does.
   */
  async function whileInFlight(big: () => Promise<Response>): Promise<Response> {
    const begun = pool.nextDispatch();
    let finished = false;
    const pending = big().then((r) => {
      finished = true;
      return r;
    });
    await begun;
    const health = await fetch(`${base}/health`);
    assert.equal(health.status, 200);
    assert.equal(finished, false, 'the health check answered while the big request was being prepared');
    return pending;
  }

  test('a report with a 100 MiB field is stored cut, with a marker, and viewers get the cut one', async () => {
    const report = makeReport('attempted', [finding('b1', { outcome: 'attempt' })], {
      explanation: 'E'.repeat(100 * MiB),
    });
    const r = await whileInFlight(() =>
      fetch(`${base}/reports?server=big-ex`, {
        method: 'POST',
        headers: { ...analyst, 'content-type': 'application/json' },
        body: JSON.stringify(report),
      }),
    );
    assert.equal(r.status, 201, await r.clone().text());
    assert.equal(r.headers.get('x-exhunt-truncated-fields'), '1');
    const { scanId } = (await r.json()) as { scanId: number };
    const got = await fetch(`${base}/scans/${scanId}/report`, { headers: analyst });
    const text = await got.text();
    assert.equal(got.status, 200);
    assert.ok(text.length < 2 * MiB, `the stored report is ${text.length} characters`);
    assert.match(text, /cut by exhunt at ingest: \d+ more characters/);
  });

  test('a 64 MiB deeply nested body is refused with its location, off the event loop', async () => {
    const half = 32 * MiB;
    const body = Buffer.alloc(2 * half);
    body.fill('[', 0, half);
    body.fill(']', half);
    const dispatched = pool.dispatched;
    const r = await fetch(`${base}/reports?server=deep-ex`, {
      method: 'POST',
      headers: { ...analyst, 'content-type': 'application/json' },
      body,
    });
    assert.equal(r.status, 400);
    assert.match(
      ((await r.json()) as { message: string }).message,
      /nests deeper than 64 levels \(at byte 64\)/,
    );
    assert.equal(pool.dispatched, dispatched + 1, 'the body was read in the worker');
    assert.equal((await fetch(`${base}/health`)).status, 200);
  });

  test('a 20 MiB feed is parsed in the worker while the health check answers', async () => {
    const lines: string[] = [];
    for (let i = 0; lines.length * 16 < 20 * MiB; i++)
      lines.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    const feed = lines.join('\n');
    const r = await whileInFlight(() =>
      fetch(`${base}/feeds?name=big-feed`, {
        method: 'POST',
        headers: { ...analyst, 'content-type': 'text/csv' },
        body: feed,
      }),
    );
    const text = await r.text();
    assert.equal(r.status, 201, text.slice(0, 500));
    assert.ok((JSON.parse(text) as { indicators: number }).indicators > 100_000);
  });
});
