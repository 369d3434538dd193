// The dashboard's static files: served from the built folder, client routes get index.html, nothing outside.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import Fastify from 'fastify';
import { serveDashboard } from './static.js';

const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-web-'));
after(() => rm(dir, { recursive: true, force: true }));

test('files from web/dist, index.html for client routes, 404 for the API and nothing outside the folder', async () => {
  const root = path.join(dir, 'dist');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>exhunt</title>');
  await writeFile(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(dir, 'secret.txt'), 'outside');
  const app = Fastify();
  serveDashboard(app, root);
  try {
    const js = await app.inject({ method: 'GET', url: '/assets/app.js' });
    assert.equal(js.body, 'console.log(1)');
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.match((await app.inject({ method: 'GET', url: '/servers/12' })).body, /<title>exhunt/);
    assert.match((await app.inject({ method: 'GET', url: '/' })).body, /<title>exhunt/);
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt'])
      assert.ok(!(await app.inject({ method: 'GET', url })).body.includes('outside'), url);
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/nothing' })).statusCode, 404);
  } finally {
    await app.close();
  }
  const none = Fastify();
  serveDashboard(none, path.join(dir, 'missing'));
  assert.equal((await none.inject({ method: 'GET', url: '/' })).statusCode, 404);
  await none.close();
});
