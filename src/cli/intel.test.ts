// `exhunt intel push|export` against a fleet server on SQLite over real HTTP: what loaded, the problems
// with their lines, refusals as exit 1, and the export to a file or stdout.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { testApp, tokenFor } from '../server/testing/fixtures.js';
import type { TestApp } from '../server/testing/fixtures.js';
import { backends } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { main } from './main.js';
import { runCaptured } from './testing.js';

let fx: Fixture;
let t: TestApp;
let url = '';
let dir = '';
let analyst = '';
let admin = '';

const bearer = (h: { authorization: string }) => h.authorization.replace(/^Bearer /, '');

before(async () => {
  // The command falls back to EXHUNT_TOKEN; the tests name their tokens.
  delete process.env.EXHUNT_TOKEN;
  const sqlite = (await backends()).find((b) => b.dialect === 'sqlite');
  assert.ok(sqlite);
  fx = await sqlite.create();
  t = await testApp(fx);
  url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  analyst = bearer(await tokenFor(fx, 'acme', 'analyst'));
  admin = bearer(await tokenFor(fx, null, 'administrator'));
  dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-intel-'));
});
after(async () => {
  await t.close();
  await fx.dispose();
  await rm(dir, { recursive: true, force: true });
});

const run = (args: string[]) => runCaptured(main, args);

test('intel push: what loaded and the problems by line; a feed where nothing loads is refused (exit 1)', async () => {
  const partly = path.join(dir, 'partly.txt');
  await writeFile(partly, '203.0.113.50\nnot an indicator at all!!\n198.51.100.0/24\n');
  const ok = await run(['intel', 'push', partly, '--server', url, '--token', analyst]);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /^\d+\n$/);
  assert.match(ok.err, /feed \d+ "partly\.txt" \(text\): 2 indicator\(s\), 1 problem\(s\)/);
  assert.match(ok.err, /partly\.txt:2: ioc\.bad-entry: /);

  const broken = path.join(dir, 'broken.json');
  await writeFile(
    broken,
    '{\n  "type": "bundle",\n  "objects": [\n    {"type": "indicator", "id": "x"}\n  ]\n}\n',
  );
  const bad = await run(['intel', 'push', broken, '--server', url, '--token', analyst, '--name', 'CERT']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /refused \(400\): nothing in "CERT" could be loaded/);
  assert.match(bad.err, /CERT:4: ioc\.bad-entry: /);

  const shared = ['intel', 'push', partly, '--server', url, '--shared'];
  assert.equal((await run([...shared, '--token', analyst])).code, 1, 'analysts cannot share');
  const byAdmin = await run([...shared, '--token', admin]);
  assert.equal(byAdmin.code, 0, byAdmin.err);
  assert.match(byAdmin.err, /\(text, shared\)/);
  assert.equal((await run([...shared, '--token', admin, '--org', 'acme'])).code, 2);
});

test('intel export: CSV to a file, STIX to stdout; usage and connection errors are exit 2', async () => {
  const file = path.join(dir, 'out.csv');
  const csv = await run([
    'intel',
    'export',
    '--server',
    url,
    '--token',
    analyst,
    '--format',
    'csv',
    '-o',
    file,
  ]);
  assert.equal(csv.code, 0, csv.err);
  assert.equal(csv.out, '');
  assert.match(
    await readFile(file, 'utf8'),
    /^type,value,kind,first_seen,last_seen,scans,servers,feed,stix_id\r\n/,
  );
  const stix = await run(['intel', 'export', '--server', url, '--token', analyst, '--format', 'stix']);
  assert.equal(stix.code, 0, stix.err);
  const bundle = JSON.parse(stix.out) as { type: string; objects: { type: string }[] };
  assert.equal(bundle.type, 'bundle');
  assert.ok(bundle.objects.some((o) => o.type === 'identity'));
  assert.equal((await run(['intel', 'export', '--server', url, '--token', analyst])).code, 2);
  assert.equal((await run(['intel', 'export', '--server', url, '--format', 'csv'])).code, 2);
  const gone = await run([
    'intel',
    'export',
    '--server',
    'http://127.0.0.1:1',
    '--token',
    'x',
    '--format',
    'csv',
  ]);
  assert.equal(gone.code, 2);
  assert.match(gone.err, /could not reach/);
  const help = await run(['help', 'intel']);
  assert.match(help.out, /exhunt intel push FILE/);
});
