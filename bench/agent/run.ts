// Agent benchmark: the fleet server in this process (SQLite, or PostgreSQL with --database), `exhunt watch`
// as a child process following HttpProxy logs written at a steady rate (with rotation and ProxyLogon lines
// mixed in). Reports the agent's CPU share of one core and its RSS (from /proc, Linux), and the latency from
// an attack line's write to its findings being visible in the server's database (polled every 200 ms).
//
// node dist/bench/agent/run.js [--seconds 600] [--rate 500] [--attack-every 100] [--database postgres://...]

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { createOrganisation, createToken, migrateToLatest, openStore } from '../../src/store/index.js';
import { testApp } from '../../src/server/testing/fixtures.js';
import { LogWriter } from '../../src/agent/testing.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '600' },
    rate: { type: 'string', default: '500' },
    'attack-every': { type: 'string', default: '100' },
    database: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));
const TICK = Number(execGetconf());

function execGetconf(): string {
  // Clock ticks per second for /proc/<pid>/stat: 100 on every Linux we run.
  return process.env.CLK_TCK ?? '100';
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-agent-bench-'));
  const root = path.join(dir, 'root');
  const store = await openStore(values.database ? { database: values.database } : { dataDir: dir });
  await migrateToLatest(store);
  const org = await createOrganisation(store, `bench-${Date.now()}`, 'bench');
  const { token } = await createToken(store, { name: 'agent', role: 'analyst', orgId: org.id }, 'bench');
  const fx = { dialect: store.dialect, store, dataDir: dir, env: {}, ...(values.database ? { database: values.database } : {}), dispose: async () => undefined }; // prettier-ignore
  const t = await testApp(fx);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = t.app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const writer = new LogWriter({ root, linesPerFile: 100_000, attackEvery: Number(values['attack-every']) });
  writer.write(1);
  const agent = spawn(process.execPath, [BIN, 'watch', root, '--server', url, '--state', path.join(dir, 'state'), '--server-name', 'bench01', '--backlog'], {
    env: { ...process.env, EXHUNT_TOKEN: token },
    stdio: ['ignore', 'ignore', 'inherit'],
  }); // prettier-ignore
  const pid = agent.pid!;
  // Started and its rules compiled: its first heartbeat reached the server.
  while (!(await store.db.selectFrom('agents').select('id').executeTakeFirst())) await sleep(200);
  const arrived = new Map<string, number>();
  let lastId = 0;
  const poll = async () => {
    const rows = await store.db
      .selectFrom('findings')
      .select(['id', 'data'])
      .where('id', '>', lastId)
      .orderBy('id')
      .execute();
    const at = Date.now();
    for (const r of rows) {
      lastId = Math.max(lastId, Number(r.id));
      const m = /atk-\d+/.exec(r.data);
      if (m && !arrived.has(m[0])) arrived.set(m[0], at);
    }
  };
  const start = Date.now();
  const cpu0 = cpuTicks(pid);
  const rss: number[] = [];
  let next = start;
  let nextPoll = start;
  let nextReport = start + 10_000;
  while (Date.now() - start < seconds * 1000) {
    writer.write(Math.round(rate / 10));
    next += 100;
    if (Date.now() >= nextPoll) {
      await poll();
      rss.push(rssMb(pid));
      nextPoll += 1000;
    }
    if (Date.now() >= nextReport) {
      process.stderr.write(
        `bench: ${Math.round((Date.now() - start) / 1000)} s, ${writer.lines} lines, ${arrived.size}/${writer.attacks} attacks in the database, RSS ${rss[rss.length - 1]?.toFixed(0)} MB\n`,
      );
      nextReport += 10_000;
    }
    const sub = (async () => {
      // Findings are polled between writes, so the poll's own time does not slow the writer.
      while (Date.now() < next - 190) {
        await poll();
        await sleep(Math.min(200, next - Date.now() - 190));
      }
    })();
    await sub;
    await sleep(Math.max(0, next - Date.now()));
  }
  const wall = (Date.now() - start) / 1000;
  const cpu = (cpuTicks(pid) - cpu0) / TICK;
  const end = Date.now();
  while (arrived.size < writer.attacks && Date.now() - end < 60_000) {
    await poll();
    await sleep(200);
  }
  const lat = [...writer.attackTimes].flatMap(([id, w]) =>
    arrived.has(id) ? [(arrived.get(id)! - w) / 1000] : [],
  );
  const result = {
    seconds: Math.round(wall),
    linesPerSecond: Math.round(writer.lines / wall),
    lines: writer.lines,
    attacks: writer.attacks,
    attacksInDatabase: arrived.size,
    cpuShareOfOneCore: Number((cpu / wall).toFixed(4)),
    rssMbMax: Number(Math.max(...rss).toFixed(1)),
    rssMbLast: Number((rss[rss.length - 1] ?? NaN).toFixed(1)),
    latencySeconds: { p50: Number(pct(lat, 50).toFixed(2)), p95: Number(pct(lat, 95).toFixed(2)), max: Number(Math.max(...lat).toFixed(2)) },
    loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
    database: store.dialect,
  }; // prettier-ignore
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  agent.kill('SIGTERM');
  await new Promise((r) => agent.once('exit', r));
  await t.close();
  await store.close();
  if (process.env.KEEP) process.stderr.write(`kept ${dir}\n`);
  else await rm(dir, { recursive: true, force: true });
}

await main();
