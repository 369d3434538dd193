// The fleet from the outside on SQLite: `exhunt serve` in a child process (first administrator, health),
// `exhunt tokens create`, and `uploadReport` (the client of `exhunt scan --upload`) over real HTTP.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { tokensCommand } from '../cli/tokens.js';
import { finding, makeReport } from '../store/testing.js';
import { uploadReport } from './client.js';
import { until } from './testing/wait.js';

const RUN_CLI = new URL('./testing/run-cli.js', import.meta.url).pathname;
const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function tokens(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (c: Buffer) => (o += c.toString()));
  err.on('data', (c: Buffer) => (e += c.toString()));
  const code = await tokensCommand(args, { out, err, outIsTty: false, errIsTty: false });
  return { code, out: o, err: e };
}

test('serve: first start prints the administrator password once; tokens work; uploadReport sends a report', async () => {
  const data = await mkdtemp(path.join(os.tmpdir(), 'exhunt-serve-'));
  dirs.push(data);
  const made = await tokens(['create', '--data', data, '--org', 'acme', '--role', 'analyst']);
  assert.equal(made.code, 0, made.err);
  assert.match(made.err, /organisation "acme" created/);
  const token = made.out.trim();
  assert.match(token, /^exh_[\w-]{43}$/);
  await assert.rejects(tokens(['create', '--data', data, '--role', 'viewer']), /need --org/);

  const server = spawn(
    process.execPath,
    [RUN_CLI, 'serve', '--data', data, '--listen', '127.0.0.1:0', '--threads', '0'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  server.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const stopped = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
  try {
    const url = await until(async () => /fleet server on (\S+)/.exec(stderr)?.[1], 'the server to listen');
    // tokens create made a user-less database, so this first start of the server creates the administrator.
    const password = /with password (\S+)/.exec(stderr)?.[1];
    assert.ok(password, stderr);
    const health = (await (await fetch(`${url}/api/v1/health`)).json()) as { ok: boolean; database: string };
    assert.deepEqual([health.ok, health.database], [true, 'sqlite']);
    const login = await fetch(`${url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    assert.equal(login.status, 200);
    assert.equal((await fetch(`${url}/api/v1/servers`)).status, 401);

    const report = makeReport('compromised', [finding('u1')]);
    await uploadReport(url, token, report, 'ex-upload');
    await uploadReport(`${url}/api/v1/`, token, report, 'ex-upload');
    await assert.rejects(uploadReport(url, 'exh_wrong', report, 'ex-upload'), /refused \(401\)/);
    await assert.rejects(
      uploadReport(url, token, { ...report, verdict: 'owned' as never }, 'ex-upload'),
      /refused \(400\).*verdict/,
    );
    await assert.rejects(uploadReport('http://127.0.0.1:1', token, report, 'x'), /could not reach/);
    const servers = (await (
      await fetch(`${url}/api/v1/servers`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      items: { name: string; verdict: string }[];
    };
    assert.deepEqual(
      servers.items.map((s) => [s.name, s.verdict]),
      [['ex-upload', 'compromised']],
    );
  } finally {
    server.kill('SIGTERM');
    assert.equal(await stopped, 0);
  }
  assert.match(stderr, /SIGTERM: stopping/);
});
