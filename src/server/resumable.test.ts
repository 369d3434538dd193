// Resumable bundle uploads: chunks at the offset the server holds, a stale offset told the count, the bytes
// checked against the SHA-256 the upload is named by, and the completed bundle queued like any other.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { backends } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { API_PREFIX } from './route.js';
import { evidenceZip, testApp, tokenFor } from './testing/fixtures.js';
import type { TestApp } from './testing/fixtures.js';

for (const b of await backends())
  describe(`resumable uploads on ${b.name}`, { skip: b.skip }, () => {
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

    const base = (sha: string) => `${API_PREFIX}/bundles/uploads/${sha}`;
    const state = async (sha: string) =>
      (await t.app.inject({ method: 'GET', url: `${base(sha)}?server=ex09`, headers: analyst })).json<{
        received: number;
      }>().received;
    const chunk = (sha: string, offset: number, data: Buffer) =>
      t.app.inject({
        method: 'POST',
        url: `${base(sha)}/chunks?server=ex09&offset=${offset}`,
        payload: data,
        headers: { ...analyst, 'content-type': 'application/octet-stream' },
      });
    const complete = (sha: string) =>
      t.app.inject({ method: 'POST', url: `${base(sha)}/complete?server=ex09`, headers: analyst });

    test('an interrupted upload continues where it stopped and is queued once complete', async () => {
      const zip = await evidenceZip('resume');
      const sha = createHash('sha256').update(zip).digest('hex');
      const cut = Math.floor(zip.length / 3);
      assert.equal(await state(sha), 0);
      assert.equal((await chunk(sha, 0, zip.subarray(0, cut))).statusCode, 200);
      // The client lost its place: the server says how much it has instead of appending twice.
      const stale = await chunk(sha, 0, zip.subarray(0, cut));
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json<{ received: number }>().received, cut);
      assert.equal(await state(sha), cut);
      const rest = await chunk(sha, cut, zip.subarray(cut));
      assert.equal(rest.json<{ received: number }>().received, zip.length);
      const done = await complete(sha);
      assert.equal(done.statusCode, 202, done.body);
      assert.deepEqual(
        (({ sha256, size, server, status }) => ({ sha256, size, server, status }))(
          done.json<{ sha256: string; size: number; server: string; status: string }>(),
        ),
        { sha256: sha, size: zip.length, server: 'ex09', status: 'queued' },
      );
      assert.equal(await state(sha), 0, 'the partial file is gone');
    });

    test('bytes that are not the named bundle are refused and forgotten', async () => {
      const zip = await evidenceZip('other');
      const sha = 'a'.repeat(64);
      await chunk(sha, 0, zip);
      const r = await complete(sha);
      assert.equal(r.statusCode, 400);
      assert.match(r.body, /upload it again/);
      assert.equal(await state(sha), 0);
    });

    test('a viewer cannot upload, and names must be SHA-256', async () => {
      const viewer = await tokenFor(fx, 'acme', 'viewer');
      const r = await t.app.inject({
        method: 'GET',
        url: `${base('b'.repeat(64))}?server=x`,
        headers: viewer,
      });
      assert.equal(r.statusCode, 403);
      const bad = await t.app.inject({
        method: 'GET',
        url: `${base('../../etc')}?server=x`,
        headers: analyst,
      });
      assert.ok(bad.statusCode === 400 || bad.statusCode === 404, String(bad.statusCode));
    });
  });
