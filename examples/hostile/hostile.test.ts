// Every hostile case through a real scan in a child process: the outcome the principle demands, within bounds.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CaseLimits, Expectation } from './case.js';
import { HOSTILE_CASES } from './index.js';
import { writeCase } from './write.js';

interface Summary {
  verdict: string;
  explanation: string;
  rules: string[];
  problems: { code: string; path?: string; line?: number; offset?: number }[];
  artifacts: {
    path: string;
    size: number;
    badRecords: number;
    sha256: string;
    unread?: string;
    partialSha256?: string;
  }[];
  skipped: { reason: string; files: number }[];
  gaps: [string, string][];
  maxRssBytes: number;
}

const RUNNER = fileURLToPath(new URL('./run-case.js', import.meta.url));
const MAX_RSS = 1024 ** 3;

/** Scans in a child so that a hang is killed and memory is measured per case. */
function scanInChild(evidence: string, seconds: number, limits: CaseLimits = {}): Promise<Summary> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUNNER, evidence, JSON.stringify(limits)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), seconds * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal)
        return reject(new Error(`killed after ${seconds} s (${signal}): the scan did not finish in bounds`));
      if (code !== 0) return reject(new Error(`exit ${code}: ${Buffer.concat(err).toString().slice(-2000)}`));
      resolve(JSON.parse(Buffer.concat(out).toString()) as Summary);
    });
  });
}

function check(e: Expectation, s: Summary): void {
  const why = `${s.verdict}: ${s.explanation}`;
  assert.ok(e.verdicts.includes(s.verdict), `verdict ${why}`);
  if (e.finding) assert.ok(s.rules.includes(e.finding), `no ${e.finding} among ${s.rules.join(', ')}`);
  const sizes = new Map(s.artifacts.map((a) => [a.path, a.size]));
  if (e.problem) {
    const p = s.problems.find((x) => e.problem!.test(x.code));
    assert.ok(p, `no problem matching ${e.problem} among ${s.problems.map((x) => x.code).join(', ')}`);
    assert.ok(p.path !== undefined, `problem ${p.code} has no path`);
  }
  // Every location points inside its file: a line from 1, an offset within the bytes read.
  for (const p of s.problems) {
    if (p.line !== undefined) assert.ok(p.line >= 1, `${p.code} at line ${p.line}`);
    const size = p.path === undefined ? undefined : sizes.get(p.path);
    if (p.offset !== undefined && size !== undefined)
      assert.ok(p.offset <= size, `${p.code} at ${p.path}@${p.offset}, past the end (${size} bytes)`);
  }
  if (e.skipped) {
    const g = s.skipped.find((x) => x.reason === e.skipped!.reason);
    assert.equal(g?.files, e.skipped.files, `skipped ${JSON.stringify(s.skipped)}`);
  }
  if (e.artifacts !== undefined)
    assert.equal(new Set(s.artifacts.map((a) => a.path)).size, e.artifacts, JSON.stringify(s.artifacts));
  if (e.badRecords !== undefined) {
    const bad = s.artifacts.reduce((n, a) => n + a.badRecords, 0);
    assert.ok(bad >= e.badRecords, `${bad} bad records, expected at least ${e.badRecords}`);
  }
  if (e.gap) {
    const day = e.gap;
    assert.ok(
      s.gaps.some(([from, to]) => from <= day && day <= to),
      `no gap on ${day}: ${JSON.stringify(s.gaps)}`,
    );
  }
  if (e.partial) {
    const a = s.artifacts.find((x) => x.unread === 'rest');
    assert.ok(a, `no artifact read in part: ${JSON.stringify(s.artifacts)}`);
    assert.equal(a.sha256, '', 'a partly read file has no whole-file hash');
    assert.match(a.partialSha256 ?? '', /^[0-9a-f]{64}$/);
  }
  assert.ok(s.maxRssBytes < MAX_RSS, `peak memory ${(s.maxRssBytes / 2 ** 20).toFixed(0)} MiB`);
}

for (const c of HOSTILE_CASES.values()) {
  test(`hostile ${c.kind}: ${c.id}: ${c.what}`, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-hostile-'));
    try {
      const evidence = writeCase(c, dir);
      check(c.expect, await scanInChild(evidence, c.expect.seconds ?? 60, c.limits));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
