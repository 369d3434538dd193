// The agent on a live Windows server, with a fake wevtutil (the live scan's CommandRunner): each channel's
// new records are exported by record id and read by the scan's EVTX parser and rules (the same findings as a
// scan of the final log), a restart resumes after the last record id, a channel the server lacks is left
// alone, a cleared log is read again from its start, and a failing query is a located problem the heartbeat
// carries to the server until the query works again.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CommandRunner } from '../engine/live.js';
import { scan } from '../engine/scan.js';
import { until } from '../server/testing/wait.js';
import { fileHeader } from '../sources/evtx/testing/build.js';
import { Agent } from './agent.js';
import type { AgentOptions } from './agent.js';
import type { Heartbeat } from './client.js';
import { LiveChannels } from './live-channels.js';
import type { AgentFinding } from './spool.js';

const SAMPLES = fileURLToPath(new URL('../../../../shared/samples/evtx-attack-samples/', import.meta.url));
const WEBSHELL = path.join(SAMPLES, 'Lateral Movement/LM_typical_IIS_webshell_sysmon_1_10_traces.evtx');
const LSASS = path.join(SAMPLES, 'Credential Access/sysmon_10_11_lsass_memdump.evtx');
const skip = !existsSync(WEBSHELL) || !existsSync(LSASS) ? `EVTX samples not found under ${SAMPLES}` : false;

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const DEFENDER = 'Microsoft-Windows-Windows Defender/Operational';
const chunk = (f: string) => readFileSync(f).subarray(4096, 4096 + 65536);

/** A server's channels as wevtutil sees them: Sysmon's log as bytes, Security refused, no Defender log. */
class FakeWevtutil {
  sysmon = Buffer.alloc(0);
  newest = 0;
  securityDenied = true;
  readonly calls: string[][] = [];
  readonly run: CommandRunner = (_program, args) => {
    this.calls.push([...args]);
    const [verb, channel, out] = args;
    const ok = { code: 0, stdout: '', stderr: '' };
    if (channel === 'Security' && this.securityDenied)
      return Promise.resolve({ code: 5, stdout: '', stderr: 'Access is denied.\r\n' });
    if (channel !== SYSMON && channel !== 'Security')
      return Promise.resolve({
        code: 15007,
        stdout: '',
        stderr: 'The specified channel could not be found.',
      });
    if (verb === 'qe')
      return Promise.resolve({ ...ok, stdout: `<Event xmlns="x"><System><EventRecordID>${this.newest}</EventRecordID></System></Event>` }); // prettier-ignore
    // epl: the whole log (the agent keeps only records above the query's id, as wevtutil would export).
    writeFileSync(out!, channel === SYSMON ? this.sysmon : Buffer.concat([fileHeader(0)]));
    return Promise.resolve(ok);
  };
  /** The record ids each export asked for, per channel. */
  asked(channel: string): number[] {
    return this.calls
      .filter((c) => c[0] === 'epl' && c[1] === channel)
      .map((c) => Number(/EventRecordID>(\d+)\]/.exec(c[3] ?? '')?.[1]));
  }
}

async function folders(): Promise<{ root: string; state: string; done(): Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-agent-live-root-'));
  const state = await mkdtemp(path.join(os.tmpdir(), 'exhunt-agent-live-state-'));
  return {
    root,
    state,
    done: async () => {
      await rm(root, { recursive: true, force: true });
      await rm(state, { recursive: true, force: true });
    },
  };
}

function agent(root: string, state: string, w: FakeWevtutil, over: Partial<AgentOptions> = {}): Agent {
  return new Agent({
    root,
    stateDir: state,
    serverUrl: 'http://127.0.0.1:9',
    token: 'x',
    serverName: 'ex01',
    toolVersion: 'test',
    backlog: true,
    liveMs: 0,
    liveEventLogs: {
      channels: [SYSMON, 'Security', DEFENDER],
      run: w.run,
      program: 'wevtutil',
      clearedCheckMs: 0,
    },
    ...over,
  });
}

function spooled(state: string): AgentFinding[] {
  const dir = path.join(state, 'spool');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .flatMap((n) => (JSON.parse(readFileSync(path.join(dir, n), 'utf8')) as { items: AgentFinding[] }).items);
}

const where = (f: { rule: { id: string }; evidence: { path: string; line?: number }[] }) =>
  `${f.rule.id}|${f.evidence[0]!.path}|${f.evidence[0]!.line ?? 0}`;

test(
  'live event logs: new records by record id, once each, as a scan reads them; a restart resumes',
  { skip },
  async () => {
    const d = await folders();
    const w = new FakeWevtutil();
    try {
      w.sysmon = Buffer.concat([fileHeader(1), chunk(WEBSHELL)]);
      w.newest = 1_000_000;
      const a = agent(d.root, d.state, w);
      await a.step();
      const first = spooled(d.state).length;
      assert.ok(first > 0, 'the first export found the webshell traces');
      // The log grows: only records above the last one read are asked for, and each is found once.
      w.sysmon = Buffer.concat([fileHeader(2), chunk(WEBSHELL), chunk(LSASS)]);
      await a.step();
      const got = spooled(d.state);
      assert.ok(got.length > first);
      assert.equal(new Set(got.map((f) => f.key)).size, got.length, 'keys are unique');
      const asked = w.asked(SYSMON);
      assert.equal(asked[0], 0);
      assert.ok(asked[1]! > 0, `the second export starts after record ${asked[1]}`);
      // The findings a scan makes of the final log, cited under the live file's path.
      const rel = LiveChannels.relOf(SYSMON);
      mkdirSync(path.dirname(path.join(d.root, rel)), { recursive: true });
      writeFileSync(path.join(d.root, rel), w.sysmon);
      const { report } = await scan(d.root, { threads: 0 });
      assert.deepEqual(got.map((f) => where(f.finding)).sort(), report.findings.map(where).sort());
      assert.ok(got.every((f) => f.finding.evidence[0]!.path === rel));
      // The folder's copy is not read as well: live, the channels are queried, never their files.
      await a.step();
      assert.equal(spooled(d.state).length, got.length);
      // A restart asks for records after the last one read, and finds nothing again.
      const last = w.asked(SYSMON).at(-1)!;
      const b = agent(d.root, d.state, w);
      await b.step();
      assert.equal(w.asked(SYSMON).at(-1), last);
      assert.ok(last > asked[1]!);
      assert.equal(spooled(d.state).length, got.length);
      // The log is cleared: its records start from 1 again and are all read, under new keys (the server
      // would drop them as duplicates of the old log's records otherwise).
      w.newest = 3;
      await b.step();
      await b.step();
      assert.equal(w.asked(SYSMON).at(-1), 0, 'read again from its start');
      const again = spooled(d.state);
      assert.equal(again.length, got.length * 2);
      assert.equal(new Set(again.map((f) => f.key)).size, again.length);
      // A channel the server lacks is asked once and left alone; no problem is reported for it.
      assert.equal(w.calls.filter((c) => c[1] === DEFENDER).length, 2, 'once per start');
      assert.deepEqual(
        b.problems().map((p) => [p.code, p.path]),
        [['agent.event-log-query-failed', 'Windows/System32/winevt/Logs/Security.evtx']],
      );
      assert.match(b.problems()[0]!.message, /exit code 5: Access is denied\./);
    } finally {
      await d.done();
    }
  },
);

test(
  'a failing event log query reaches the server with every heartbeat until it works; the first start begins at the newest record',
  { skip },
  async () => {
    const d = await folders();
    const w = new FakeWevtutil();
    const beats: Heartbeat[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/api/v1/agent/heartbeat') beats.push(JSON.parse(body) as Heartbeat);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ rulesVersion: 'local', stored: 0 }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    w.sysmon = Buffer.concat([fileHeader(1), chunk(WEBSHELL)]);
    w.newest = 1_000_000;
    const a = agent(d.root, d.state, w, {
      serverUrl: `http://127.0.0.1:${port}`,
      backlog: false,
      pollMs: 50,
      surveyMs: 50,
      heartbeatMs: 100,
    });
    const running = a.run();
    try {
      const told = await until(
        async () => beats.find((b) => b.problems.length > 0),
        'a heartbeat with the failing channel',
        20_000,
      );
      assert.deepEqual(
        told.problems.map((p) => [p.path, p.channel]),
        [['Windows/System32/winevt/Logs/Security.evtx', 'Security']],
      );
      // Started at the newest record: what was in the log before is the scan's to read.
      assert.equal(w.asked(SYSMON)[0], 1_000_000);
      assert.equal(spooled(d.state).length, 0);
      w.securityDenied = false;
      const n = beats.length;
      await until(async () => (beats.length > n && beats.at(-1)!.problems.length === 0 ? true : undefined), 'the problem over', 20_000); // prettier-ignore
    } finally {
      a.stop();
      await running;
      server.close();
      await d.done();
    }
  },
);
