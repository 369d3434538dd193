// The agent without a server: what it spools for appended, rotated, renamed and replaced logs, web files
// and growing event logs, a crash between the spool's append and the state's write, and a full spool.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { scan } from '../engine/scan.js';
import { until } from '../server/testing/wait.js';
import { fileHeader } from '../sources/evtx/testing/build.js';
import { Agent } from './agent.js';
import type { AgentOptions } from './agent.js';
import type { AgentFinding } from './spool.js';
import { HTTPPROXY_DIR, LogWriter } from './testing.js';

async function folders(): Promise<{ root: string; state: string; done(): Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-agent-root-'));
  const state = await mkdtemp(path.join(os.tmpdir(), 'exhunt-agent-state-'));
  return {
    root,
    state,
    done: async () => {
      await rm(root, { recursive: true, force: true });
      await rm(state, { recursive: true, force: true });
    },
  };
}

function agent(root: string, state: string, over: Partial<AgentOptions> = {}): Agent {
  return new Agent({
    root,
    stateDir: state,
    // Never contacted: these tests only look at the spool.
    serverUrl: 'http://127.0.0.1:9',
    token: 'x',
    serverName: 'ex01',
    toolVersion: 'test',
    backlog: true,
    ...over,
  });
}

/** Everything in the spool, oldest commit first. */
function spooled(state: string): AgentFinding[] {
  const dir = path.join(state, 'spool');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .flatMap((n) => (JSON.parse(readFileSync(path.join(dir, n), 'utf8')) as { items: AgentFinding[] }).items);
}

const where = (f: AgentFinding) =>
  `${f.finding.rule.id}|${f.finding.evidence[0]!.path}|${f.finding.evidence[0]!.line ?? 0}`;

async function scanned(root: string): Promise<string[]> {
  const { report } = await scan(root, { threads: 0 });
  return report.findings.map((f) => `${f.rule.id}|${f.evidence[0]!.path}|${f.evidence[0]!.line ?? 0}`).sort();
}

test('appended lines and rotation: the spool holds what a scan of the same files finds, once each', async () => {
  const d = await folders();
  try {
    const w = new LogWriter({ root: d.root, linesPerFile: 120, attackEvery: 10 });
    const a = agent(d.root, d.state);
    for (let i = 0; i < 6; i++) {
      w.write(45);
      await a.step();
    }
    const got = spooled(d.state);
    assert.ok(w.attacks >= 20);
    assert.deepEqual(got.map(where).sort(), await scanned(d.root));
    assert.equal(new Set(got.map((f) => f.key)).size, got.length, 'keys are unique');
  } finally {
    await d.done();
  }
});

test('a crash between the spool and the state: the next start discards the entry and writes the same keys', async () => {
  const d = await folders();
  try {
    const w = new LogWriter({ root: d.root, linesPerFile: 1000, attackEvery: 5 });
    w.write(20);
    const crashing = agent(d.root, d.state, {
      afterSpool: () => {
        throw new Error('killed');
      },
    });
    await assert.rejects(crashing.step(), /killed/);
    const lost = spooled(d.state);
    assert.ok(lost.length > 0, 'the spool entry was written before the crash');
    const again = agent(d.root, d.state);
    assert.equal(again.spooled().commits, 0, 'the uncommitted entry is discarded');
    await again.step();
    assert.deepEqual(
      spooled(d.state).map((f) => f.key),
      lost.map((f) => f.key),
    );
  } finally {
    await d.done();
  }
});

test('a state written after the spool: a restart reads nothing again', async () => {
  const d = await folders();
  try {
    const w = new LogWriter({ root: d.root, linesPerFile: 1000, attackEvery: 5 });
    w.write(20);
    await agent(d.root, d.state).step();
    const first = spooled(d.state).length;
    assert.ok(first > 0);
    await agent(d.root, d.state).step();
    assert.equal(spooled(d.state).length, first);
    w.write(10);
    await agent(d.root, d.state).step();
    assert.ok(spooled(d.state).length > first, 'new lines after the restart are read');
  } finally {
    await d.done();
  }
});

test('a log renamed keeps its identity; a log replaced under its name is read again from its start', async () => {
  const d = await folders();
  try {
    const w = new LogWriter({ root: d.root, linesPerFile: 1000, attackEvery: 5 });
    w.write(10);
    const a = agent(d.root, d.state);
    await a.step();
    const before = spooled(d.state);
    const dir = path.join(d.root, HTTPPROXY_DIR);
    const [name] = readdirSync(dir);
    const file = path.join(dir, name!);
    // Renamed (same file id): nothing read again.
    renameSync(file, `${file}.old.log`);
    await a.step();
    assert.equal(spooled(d.state).length, before.length);
    // Another file under the old name, with other contents: read from its start, under a new identity.
    const text = readFileSync(`${file}.old.log`, 'latin1').replace(/atk-/g, 'new-');
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
    await a.step();
    const after = spooled(d.state);
    assert.equal(after.length, before.length * 2);
    const keys = new Set(before.map((f) => f.key));
    assert.ok(after.slice(before.length).every((f) => !keys.has(f.key)));
  } finally {
    await d.done();
  }
});

test('the first start without --backlog follows logs from their end', async () => {
  const d = await folders();
  try {
    const w = new LogWriter({ root: d.root, linesPerFile: 1000, attackEvery: 5 });
    w.write(20);
    const a = agent(d.root, d.state, { backlog: false });
    await a.step();
    assert.equal(spooled(d.state).length, 0);
    w.write(5);
    await a.step();
    const got = spooled(d.state);
    assert.ok(got.length > 0);
    // Only the new attack line (line numbers count the whole file: the header, then 25 rows).
    assert.deepEqual([...new Set(got.map((f) => f.finding.evidence[0]!.line))], [7 + 24]);
  } finally {
    await d.done();
  }
});

test('a full spool pauses reading, keeps the oldest, and reading resumes when there is room', async () => {
  const d = await folders();
  try {
    const w = new LogWriter({ root: d.root, linesPerFile: 1000, attackEvery: 5 });
    w.write(10);
    const logs: string[] = [];
    const small = agent(d.root, d.state, { spoolMaxBytes: 100, log: (l) => logs.push(l) });
    await small.step();
    const first = spooled(d.state);
    w.write(10);
    await small.step();
    assert.deepEqual(spooled(d.state), first, 'nothing read while full');
    assert.ok(
      logs.some((l) => /spool full/.test(l)),
      'and it says so',
    );
    await agent(d.root, d.state).step();
    assert.deepEqual(spooled(d.state).map(where).sort(), await scanned(d.root));
  } finally {
    await d.done();
  }
});

test('a webshell dropped in a web folder is examined at once, and again only when it changes', async () => {
  const d = await folders();
  try {
    const dir = path.join(d.root, 'inetpub/wwwroot/aspnet_client');
    mkdirSync(dir, { recursive: true });
    const a = agent(d.root, d.state);
    await a.step();
    assert.equal(spooled(d.state).length, 0);
    writeFileSync(
      path.join(dir, 'discover.aspx'),
      '<%@ Page Language="Jscript"%><%eval(Request.Item["p"],"unsafe");%>',
    );
    await a.step();
    const one = spooled(d.state);
    assert.ok(one.length > 0 && one.every((f) => f.source === 'web-file'));
    await a.step();
    assert.equal(spooled(d.state).length, one.length);
    writeFileSync(
      path.join(dir, 'discover.aspx'),
      '<%@ Page Language="Jscript"%><%eval(Request.Item["q"],"unsafe");%>',
    );
    await a.step();
    assert.equal(spooled(d.state).length, one.length * 2);
  } finally {
    await d.done();
  }
});

const SAMPLES = fileURLToPath(new URL('../../../../shared/samples/evtx-attack-samples/', import.meta.url));
const WEBSHELL = path.join(SAMPLES, 'Lateral Movement/LM_typical_IIS_webshell_sysmon_1_10_traces.evtx');
const LSASS = path.join(SAMPLES, 'Credential Access/sysmon_10_11_lsass_memdump.evtx');

test(
  'a growing event log is read by record id: each new record once',
  { skip: !existsSync(WEBSHELL) || !existsSync(LSASS) ? `EVTX samples not found under ${SAMPLES}` : false },
  async () => {
    const d = await folders();
    try {
      const dir = path.join(d.root, 'Windows/System32/winevt/Logs');
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, 'Microsoft-Windows-Sysmon%4Operational.evtx');
      const chunk = (f: string) => readFileSync(f).subarray(4096, 4096 + 65536);
      writeFileSync(file, Buffer.concat([fileHeader(1), chunk(WEBSHELL)]));
      const a = agent(d.root, d.state);
      await a.step();
      const first = spooled(d.state).length;
      assert.ok(first > 0);
      // The log grows by a chunk whose records come later (higher record ids).
      writeFileSync(file, Buffer.concat([fileHeader(2), chunk(WEBSHELL), chunk(LSASS)]));
      await a.step();
      const got = spooled(d.state);
      assert.ok(got.length > first);
      assert.equal(new Set(got.map((f) => f.key)).size, got.length);
      assert.deepEqual(got.map(where).sort(), await scanned(d.root));
    } finally {
      await d.done();
    }
  },
);

test('findings written after some quiet polls are still sent (the sender is not stuck by an empty spool)', async () => {
  const d = await folders();
  const got: AgentFinding[] = [];
  let beats = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/api/v1/agent/heartbeat') beats++;
      if (req.url === '/api/v1/agent/findings')
        got.push(...(JSON.parse(body) as { items: AgentFinding[] }).items);
      res.setHeader('content-type', 'application/json');
      // The same rules version the agent starts with: nothing to reload.
      res.end(JSON.stringify({ rulesVersion: 'local', stored: 0 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const a = agent(d.root, d.state, { serverUrl: `http://127.0.0.1:${port}`, pollMs: 50, surveyMs: 50 });
  const running = a.run();
  try {
    const w = new LogWriter({ root: d.root, linesPerFile: 1000, attackEvery: 5 });
    // Rules loaded (the first heartbeat comes right after), then several polls with nothing to send.
    await until(async () => (beats > 0 ? true : undefined), 'the first heartbeat', 30_000);
    await sleep(500);
    w.write(10);
    await until(
      async () => (got.length > 0 && a.spooled().commits === 0 ? true : undefined),
      'the findings sent',
      20_000,
    );
    assert.ok(got.every((f) => f.finding.evidence[0]!.path.includes('HttpProxy')));
  } finally {
    a.stop();
    await running;
    server.close();
    await d.done();
  }
});
