// The agent against the real fleet server (in this process, SQLite and PostgreSQL when present): logs
// appended at a steady rate with rotation and attacks mixed in, the agent killed with SIGKILL at random
// moments and restarted, the server stopped and started again. Every attack finding must arrive exactly
// once as the server sees it, soon after it was written.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { scan } from '../engine/scan.js';
import { backends } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { testApp, tokenFor } from '../server/testing/fixtures.js';
import type { TestApp } from '../server/testing/fixtures.js';
import { until } from '../server/testing/wait.js';
import { LogWriter, prng } from './testing.js';

const BIN = fileURLToPath(new URL('../cli/bin.js', import.meta.url));

async function serve(fx: Fixture, port: number): Promise<{ t: TestApp; port: number }> {
  const t = await testApp(fx);
  await t.app.listen({ host: '127.0.0.1', port });
  const addr = t.app.server.address();
  return { t, port: typeof addr === 'object' && addr ? addr.port : port };
}

function startAgent(root: string, state: string, url: string, token: string, log: string[]): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'watch',
      root,
      '--server',
      url,
      '--state',
      state,
      '--server-name',
      'ex01',
      '--backlog',
      '--poll-ms',
      '200',
      '--survey-ms',
      '300',
      '--heartbeat-ms',
      '1000',
    ],
    { env: { ...process.env, EXHUNT_TOKEN: token }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
  return child;
}

interface Row {
  key: string;
  rule: string;
  path: string;
  line: number;
}

async function serverFindings(fx: Fixture): Promise<Row[]> {
  const rows = await fx.store.db
    .selectFrom('findings as f')
    .innerJoin('scans as s', 's.id', 'f.scan_id')
    .select(['f.data'])
    .where('s.report_sha256', 'like', 'agent:%')
    .execute();
  return rows.map((r) => {
    const f = JSON.parse(r.data) as { rule: { id: string }; evidence: { path: string; line?: number }[] };
    const e = f.evidence[0]!;
    return { key: `${f.rule.id}|${e.path}|${e.line ?? 0}`, rule: f.rule.id, path: e.path, line: e.line ?? 0 };
  });
}

// One SQLite driver is enough here (the store tests prove both); the agent never opens the database.
for (const b of (await backends()).filter((x) => x.dialect === 'postgres' || x.name === 'sqlite')) {
  describe(`exhunt watch against the fleet server on ${b.name}`, { skip: b.skip }, () => {
    test('kills and server restarts lose and repeat nothing', { timeout: 120_000 }, async () => {
      const seed = Number(process.env.EXHUNT_AGENT_SEED ?? Date.now() % 100_000);
      const rnd = prng(seed);
      const fx = await b.create();
      const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-agent-root-'));
      const state = await mkdtemp(path.join(os.tmpdir(), 'exhunt-agent-state-'));
      const log: string[] = [];
      let server = await serve(fx, 0);
      const port = server.port;
      const url = `http://127.0.0.1:${port}`;
      const token = (await tokenFor(fx, 'acme', 'analyst')).authorization.slice('Bearer '.length);
      let agent = startAgent(root, state, url, token, log);
      let kills = 0;
      try {
        const writer = new LogWriter({ root, linesPerFile: 400, attackEvery: 37 });
        // About 250 lines a second for 8 seconds, in 40 steps.
        for (let step = 0; step < 40; step++) {
          writer.write(50);
          await sleep(200);
          if (rnd() < 0.12) {
            agent.kill('SIGKILL');
            await new Promise((r) => agent.once('exit', r));
            kills++;
            agent = startAgent(root, state, url, token, log);
          }
          if (step === 15) {
            await server.t.close();
            await sleep(1500);
          }
          if (step === 20) server = await serve(fx, port);
        }
        // At least one kill, whatever the draw.
        if (kills === 0) {
          agent.kill('SIGKILL');
          await new Promise((r) => agent.once('exit', r));
          kills++;
          agent = startAgent(root, state, url, token, log);
        }
        const done = Date.now();
        // What the scan finds in the same files is what the server must hold, once each.
        const { report } = await scan(root, { threads: 0 });
        const expected = new Set(
          report.findings.map((f) => `${f.rule.id}|${f.evidence[0]!.path}|${f.evidence[0]!.line ?? 0}`),
        );
        assert.ok(writer.attacks > 0 && expected.size >= writer.attacks, `scan found ${expected.size}`);
        const rows = await until(
          async () => {
            const r = await serverFindings(fx);
            return r.length >= expected.size ? r : undefined;
          },
          'the agent findings on the server',
          60_000,
        );
        const arrived = (Date.now() - done) / 1000;
        const keys = rows.map((r) => r.key);
        assert.equal(new Set(keys).size, keys.length, `duplicates on the server (seed ${seed})`);
        assert.deepEqual(new Set(keys), expected, `seed ${seed}`);
        // Within seconds of the last write (the deadline above only stops a hung test).
        assert.ok(arrived < 30, `arrived ${arrived} s after the last write`);
        const agents = await fx.store.db.selectFrom('agents').selectAll().execute();
        assert.equal(agents.length, 1);
        assert.equal(agents[0]!.server_name, 'ex01');
      } catch (e) {
        process.stderr.write(`seed ${seed}, kills ${kills}\n${log.join('')}\n`);
        throw e;
      } finally {
        agent.kill('SIGKILL');
        await server.t.close().catch(() => undefined);
        await fx.dispose();
        await rm(root, { recursive: true, force: true });
        await rm(state, { recursive: true, force: true });
      }
    });
  });
}
