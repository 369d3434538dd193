// Evidence bundles on SQLite and PostgreSQL: streamed upload, size limit, one scan per SHA-256, the queued
// job scanned by a worker, and the audited download.

import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { backends } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { analyseHandler, giveUpHandler } from './jobs/analyse.js';
import { API_PREFIX } from './route.js';
import { evidenceZip, testApp, tokenFor } from './testing/fixtures.js';
import type { TestApp } from './testing/fixtures.js';
import { until } from './testing/wait.js';

function multipart(zip: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = 'exhuntboundary42';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="bundle"; filename="e.zip"\r\nContent-Type: application/zip\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), zip, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

for (const b of await backends())
  describe(`bundles on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    let analyst: Record<string, string>;
    before(async () => {
      fx = await b.create();
      t = await testApp(fx);
      analyst = await tokenFor(fx, 'acme', 'analyst');
    });
    after(async () => {
      await t.close();
      await fx.dispose();
    });

    const upload = (zip: Buffer, server: string, form = false, app = t.app) =>
      app.inject({
        method: 'POST',
        url: `${API_PREFIX}/bundles?server=${server}`,
        ...(form
          ? { payload: multipart(zip).payload, headers: { ...analyst, ...multipart(zip).headers } }
          : { payload: zip, headers: { ...analyst, 'content-type': 'application/zip' } }),
      });

    test('an upload is queued, scanned by a worker into one scan, and the same bytes again are that scan', async () => {
      const zip = await evidenceZip('one');
      const first = await upload(zip, 'ex01');
      assert.equal(first.statusCode, 202, first.body);
      const bundle = first.json<{ id: number; status: string; sha256: string }>();
      assert.equal(bundle.status, 'queued');
      const deps = { store: fx.store, storage: t.storage, threads: 0 };
      await t.queue.work(analyseHandler(deps), 1, giveUpHandler(deps));
      t.queue.notify();
      const done = await until(async () => {
        const r = (
          await t.app.inject({ method: 'GET', url: `${API_PREFIX}/bundles/${bundle.id}`, headers: analyst })
        ).json<{ status: string; scanId: number | null; error: string | null }>();
        return r.status === 'done' || r.status === 'failed' ? r : undefined;
      });
      assert.equal(done.status, 'done', done.error ?? '');
      const scan = (
        await t.app.inject({ method: 'GET', url: `${API_PREFIX}/scans/${done.scanId}`, headers: analyst })
      ).json<{ verdict: string; bundleId: number }>();
      assert.equal(scan.verdict, 'compromised');
      assert.equal(scan.bundleId, bundle.id);
      const report = (
        await t.app.inject({
          method: 'GET',
          url: `${API_PREFIX}/scans/${done.scanId}/report`,
          headers: analyst,
        })
      ).json<{ scan: { evidence: { root: string } } }>();
      assert.equal(report.scan.evidence.root, `bundle:${bundle.sha256}`);
      for (const form of [false, true]) {
        const again = await upload(zip, 'ex01', form);
        assert.equal(again.statusCode, 200);
        assert.deepEqual(
          [again.json<{ id: number }>().id, again.json<{ duplicate: boolean }>().duplicate],
          [bundle.id, true],
        );
      }
      const scans = (
        await t.app.inject({ method: 'GET', url: `${API_PREFIX}/scans`, headers: analyst })
      ).json<{ items: unknown[] }>();
      assert.equal(scans.items.length, 1);
      const other = await upload(await evidenceZip('two'), 'ex02', true);
      assert.equal(other.statusCode, 202, other.body);
    });

    test('the evidence downloads as uploaded, and the download is in the audit log', async () => {
      const zip = await evidenceZip('download');
      const up = (await upload(zip, 'ex03')).json<{ id: number }>();
      const down = await t.app.inject({
        method: 'GET',
        url: `${API_PREFIX}/bundles/${up.id}/download`,
        headers: analyst,
      });
      assert.equal(down.statusCode, 200);
      assert.ok(down.rawPayload.equals(zip));
      const log = (
        await t.app.inject({
          method: 'GET',
          url: `${API_PREFIX}/audit?action=bundle.download`,
          headers: analyst,
        })
      ).json<{ items: { target: string }[] }>();
      assert.deepEqual(
        log.items.map((i) => i.target),
        [`bundle:${up.id}`],
      );
    });

    test('a bundle over the size limit is refused, raw or as a form, and leaves nothing behind', async () => {
      const small = await testApp(fx, { maxBundleBytes: 600 });
      try {
        const zip = await evidenceZip('big');
        assert.ok(zip.length > 600);
        const before = await fx.store.db.selectFrom('bundles').select('id').orderBy('id').execute();
        for (const form of [false, true])
          assert.equal((await upload(zip, 'big', form, small.app)).statusCode, 413);
        // A client that does not announce the length is cut off at the limit too.
        const chunked = await small.app.inject({
          method: 'POST',
          url: `${API_PREFIX}/bundles?server=big`,
          headers: { ...analyst, 'content-type': 'application/zip', 'transfer-encoding': 'chunked' },
          payload: zip,
        });
        assert.equal(chunked.statusCode, 413);
        // PostgreSQL returns rows in no set order: an updated row may come back anywhere.
        assert.deepEqual(
          await fx.store.db.selectFrom('bundles').select('id').orderBy('id').execute(),
          before,
        );
        assert.deepEqual(await readdir(path.join(fx.dataDir, 'uploads')), []);
      } finally {
        await small.close();
      }
    });
  });
