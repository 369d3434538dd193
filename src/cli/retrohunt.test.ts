// `exhunt retrohunt` against a fleet server on SQLite over real HTTP: a feed pushed after a report was
// ingested, hunted over the stored indicators with --wait (its hit printed, exit 1), shown again as JSON,
// rerun without a second finding, and the refusals and usage errors.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { API_PREFIX } from '../server/route.js';
import { testApp, tokenFor } from '../server/testing/fixtures.js';
import type { TestApp } from '../server/testing/fixtures.js';
import { backends, finding, makeReport } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { main } from './main.js';
import { runCaptured } from './testing.js';

let fx: Fixture;
let t: TestApp;
let url = '';
let dir = '';
let analyst = '';
let other = '';

const bearer = (h: { authorization: string }) => h.authorization.replace(/^Bearer /, '');
const run = (args: string[]) => runCaptured(main, args);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

before(async () => {
  delete process.env.EXHUNT_TOKEN;
  const sqlite = (await backends()).find((b) => b.dialect === 'sqlite');
  assert.ok(sqlite);
  fx = await sqlite.create();
  t = await testApp(fx);
  url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  const auth = await tokenFor(fx, 'acme', 'analyst');
  analyst = bearer(auth);
  other = bearer(await tokenFor(fx, 'globex', 'analyst'));
  // Two servers: one whose findings name the address the feed will list, one whose findings do not.
  for (const [server, ip] of [
    ['EX01', '198.51.100.9'],
    ['EX02', '203.0.113.200'],
  ] as const) {
    const r = await t.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/reports?server=${server}`,
      headers: auth,
      payload: makeReport('exploited', [finding('f1', { sourceIps: [ip] })]),
    });
    assert.equal(r.statusCode, 201, r.body);
  }
  dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-retrohunt-cli-'));
});
after(async () => {
  await t.close();
  await fx.dispose();
  await rm(dir, { recursive: true, force: true });
});

test('retrohunt --wait: the hit is printed, exit 1; --show --json gives the hunt; a rerun makes no new finding', async () => {
  const feed = path.join(dir, 'late.txt');
  await writeFile(feed, '198.51.100.9\n');
  const pushed = await run(['intel', 'push', feed, '--server', url, '--token', analyst]);
  assert.equal(pushed.code, 0, pushed.err);
  const feedId = pushed.out.trim();
  const args = ['retrohunt', '--server', url, '--token', analyst, '--feed', feedId, '--since', '2021-01-01'];
  const hunted = await run([...args, '--wait']);
  assert.equal(hunted.code, 1, hunted.err);
  const lines = hunted.out.trim().split('\n');
  assert.equal(lines.length, 1, hunted.out);
  assert.match(
    lines[0]!,
    /^EX01\tioc\.ip\.[0-9a-f]+\tIndicator match: ip 198\.51\.100\.9\t2021-03-03T06:49:46\.210Z\t/,
  );
  assert.match(lines[0]!, /\tnew$/);
  assert.match(
    hunted.err,
    /hunt (\d+) done: 0\/0 bundle\(s\), 1 hit\(s\) on 1 server\(s\), 1 new finding\(s\)/,
  );
  const id = /hunt (\d+) done/.exec(hunted.err)![1]!;

  const shown = await run(['retrohunt', '--server', url, '--token', analyst, '--show', id, '--json']);
  assert.equal(shown.code, 0, shown.err);
  const h = JSON.parse(shown.out) as { status: string; since: string; hits: { server: string }[] };
  assert.equal(h.status, 'done');
  assert.equal(h.since, '2021-01-01T00:00:00.000Z');
  assert.deepEqual(
    h.hits.map((x) => x.server),
    ['EX01'],
  );

  const again = await run([...args, '--wait']);
  assert.equal(again.code, 1, again.err);
  assert.match(again.err, /1 hit\(s\) on 1 server\(s\), 0 new finding\(s\)/);
  assert.doesNotMatch(again.out, /\tnew$/m);

  // Out of range: nothing.
  const late = await run([...args.slice(0, -2), '--since', '2022-01-01', '--wait']);
  assert.equal(late.code, 0, late.err);
  assert.equal(late.out, '');
});

test('retrohunt refuses another organisation’s hunt and bad arguments', async () => {
  const feed = path.join(dir, 'acme-only.txt');
  await writeFile(feed, '203.0.113.200\n');
  const feedId = (await run(['intel', 'push', feed, '--server', url, '--token', analyst])).out.trim();
  // globex cannot see acme's feed, let alone hunt with it.
  const refused = await run(['retrohunt', '--server', url, '--token', other, '--feed', feedId]);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /refused \(404\): no such feed/);
  const notMine = await run([
    'retrohunt',
    '--server',
    url,
    '--token',
    analyst,
    '--feed',
    feedId,
    '--org',
    'globex',
  ]);
  assert.equal(notMine.code, 2);
  assert.match(notMine.err, /refused \(403\)/);
  const both = await run(['retrohunt', '--server', url, '--token', analyst, '--feed', '1', '--rules', '1']);
  assert.equal(both.code, 2);
  assert.match(both.err, /one of --feed ID, --rules ID or --show ID/);
  const badTime = await run([
    'retrohunt',
    '--server',
    url,
    '--token',
    analyst,
    '--feed',
    feedId,
    '--since',
    'soon',
  ]);
  assert.equal(badTime.code, 2);
  assert.match(badTime.err, /since is not a time/);
});

test('intel push --retrohunt: the feed is hunted as it is added; since without retrohunt is refused by the API', async () => {
  const feed = path.join(dir, 'pushed-and-hunted.txt');
  await writeFile(feed, '203.0.113.200\n');
  const pushed = await run(['intel', 'push', feed, '--server', url, '--token', analyst, '--retrohunt', '--since', '2021-01-01']); // prettier-ignore
  assert.equal(pushed.code, 0, pushed.err);
  const id = /retro-hunt (\d+) started/.exec(pushed.err)?.[1];
  assert.ok(id, pushed.err);
  const shown = await run(['retrohunt', '--server', url, '--token', analyst, '--show', id, '--wait']);
  assert.equal(shown.code, 1, shown.err);
  assert.match(shown.out, /^EX02\t.*203\.0\.113\.200/);
  const r = await t.app.inject({
    method: 'POST',
    url: `${API_PREFIX}/feeds?since=2021-01-01`,
    headers: { authorization: `Bearer ${analyst}`, 'content-type': 'text/plain' },
    payload: '192.0.2.1\n',
  });
  assert.equal(r.statusCode, 400, r.body);
  // Refused before anything was stored.
  const feeds = await t.app.inject({ method: 'GET', url: `${API_PREFIX}/feeds`, headers: { authorization: `Bearer ${analyst}` } }); // prettier-ignore
  assert.ok(
    feeds.json<{ items: { sha256: string }[] }>().items.every((f) => f.sha256 !== sha256('192.0.2.1\n')),
    feeds.body,
  );
});
