// The upload path never loses a result: `exhunt scan --upload` checks the server and token before the
// scan, keeps the verdict's exit code and a saved report when the upload fails, and `exhunt upload` sends
// the saved report later, once. Real processes over real HTTP, against `exhunt serve` on SQLite.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { SCENARIOS } from '../../examples/lib/scenarios/index.js';
import type { ScanReport } from '../core/report.js';
import { until } from '../server/testing/wait.js';

const BIN = new URL('./bin.js', import.meta.url).pathname;
const RUN_CLI = new URL('../server/testing/run-cli.js', import.meta.url).pathname;
const dirs: string[] = [];
const stops: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const s of stops) await s();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function temp(name: string): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), `exhunt-upload-${name}-`));
  dirs.push(d);
  return d;
}

function run(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; err: string; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env, EXHUNT_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'] }); // prettier-ignore
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.once('exit', (code) => resolve({ code, out, err }));
  });
}

let url = '';
let analyst = '';
let viewer = '';
let compromised = '';
let clean = '';

before(async () => {
  const data = await temp('data');
  const tok = async (role: string) => {
    const r = await run(['tokens', 'create', '--data', data, '--org', 'acme', '--role', role], data);
    assert.equal(r.code, 0, r.err);
    return r.out.trim();
  };
  analyst = await tok('analyst');
  viewer = await tok('viewer');
  const server = spawn(process.execPath, [RUN_CLI, 'serve', '--data', data, '--listen', '127.0.0.1:0', '--threads', '0'], { stdio: ['ignore', 'ignore', 'pipe'] }); // prettier-ignore
  let stderr = '';
  server.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const stopped = new Promise((r) => server.once('exit', r));
  stops.push(() => (server.kill('SIGTERM'), stopped));
  url = await until(async () => /fleet server on (\S+)/.exec(stderr)?.[1], 'the server to listen');
  const trees = await temp('trees');
  for (const name of ['compromised', 'clean']) {
    await SCENARIOS[name]!({ seed: 1, scale: 1 }).tree.write(path.join(trees, name));
  }
  compromised = path.join(trees, 'compromised');
  clean = path.join(trees, 'clean');
});

async function fleet(): Promise<{ name: string; verdict: string; id: number }[]> {
  const res = await fetch(`${url}/api/v1/servers`, { headers: { authorization: `Bearer ${analyst}` } });
  return ((await res.json()) as { items: { name: string; verdict: string; id: number }[] }).items;
}

async function scanCount(serverId: number): Promise<number> {
  const res = await fetch(`${url}/api/v1/scans?serverId=${serverId}`, {
    headers: { authorization: `Bearer ${analyst}` },
  });
  return ((await res.json()) as { items: unknown[] }).items.length;
}

test('a wrong address or a viewer token is refused before the scan, with exit 2 and no report', async () => {
  const cwd = await temp('refused');
  const dead = await run(['scan', clean, '--upload', 'http://127.0.0.1:1', '--token', analyst], cwd);
  assert.equal(dead.code, 2, dead.err);
  assert.match(dead.err, /could not reach http:\/\/127\.0\.0\.1:1/);
  assert.doesNotMatch(dead.out, /verdict/i, 'no scan ran');
  const looking = await run(['scan', clean, '--upload', url, '--token', viewer], cwd);
  assert.equal(looking.code, 2, looking.err);
  assert.match(looking.err, /viewer token/);
  const bad = await run(['scan', clean, '--upload', url, '--token', 'exh_wrong'], cwd);
  assert.equal(bad.code, 2, bad.err);
  assert.match(bad.err, /refused \(401\)/);
  assert.deepEqual(await readdir(cwd), [], 'nothing saved when nothing was scanned');
});

test('an upload that fails after the scan keeps the verdict, the console summary and the report on disk; exhunt upload sends it once', async () => {
  // A server that takes the token and then fails the upload: the case a flaky network or a restart makes.
  const flaky = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/api/v1/session') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ name: 'flaky', role: 'analyst' }));
      return;
    }
    req.resume();
    res.statusCode = 503;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ error: 'restarting' }));
  });
  await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
  stops.push(() => new Promise((r) => flaky.close(r)));
  const flakyUrl = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;

  const cwd = await temp('flaky');
  const r = await run(['scan', compromised, '--upload', flakyUrl, '--token', analyst, '--no-color'], cwd);
  assert.equal(r.code, 4, `the verdict's exit code (compromised), not the upload's: ${r.err}`);
  assert.match(r.out, /COMPROMISED/i, 'the console summary is printed');
  assert.match(r.err, /NOT sent: upload refused \(503\)/);
  const saved = (await readdir(cwd)).filter((f) => f.endsWith('.json'));
  assert.equal(saved.length, 1, r.err);
  // Named after the host the evidence gives (HttpProxy's ServerHostName), not the folder.
  assert.match(saved[0] as string, /^exhunt-EXCH01-\d{4}-\d\d-\d\dT[\d-]+Z\.json$/);
  const report = JSON.parse(await readFile(path.join(cwd, saved[0] as string), 'utf8')) as ScanReport;
  assert.equal(report.verdict, 'compromised');
  assert.deepEqual(report.scan.host, { name: 'EXCH01', from: 'HttpProxy ServerHostName' });
  assert.ok(r.err.includes(`exhunt upload "${saved[0]}" --server ${flakyUrl}`), 'says how to send it later');

  const sent = await run(['upload', saved[0] as string, '--server', url, '--token', analyst], cwd);
  assert.equal(sent.code, 0, sent.err);
  assert.match(sent.err, /report for EXCH01 sent/);
  const again = await run(['upload', saved[0] as string, '--server', url, '--token', analyst], cwd);
  assert.equal(again.code, 0, again.err);
  const server = (await fleet()).find((s) => s.name === 'EXCH01');
  assert.equal(server?.verdict, 'compromised');
  assert.equal(await scanCount(server.id), 1, 'the same report twice is one scan');

  const notReport = await run(['upload', BIN, '--server', url, '--token', analyst], cwd);
  assert.equal(notReport.code, 2);
  assert.match(notReport.err, /is not JSON/);
});

test('a scan that uploads writes its report where --json says and files it under --server-name', async () => {
  const cwd = await temp('ok');
  const out = path.join(cwd, 'clean-report.json');
  const r = await run(
    ['scan', clean, '--upload', url, '--token', analyst, '--json', out, '--server-name', 'mail-acme'],
    cwd,
  );
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /report for mail-acme sent/);
  assert.deepEqual(await readdir(cwd), ['clean-report.json'], 'no second copy when --json names one');
  assert.equal((await fleet()).find((s) => s.name === 'mail-acme')?.verdict, 'clean');
});
