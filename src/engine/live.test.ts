// A live scan on Linux with a fake wevtutil (a script that copies an EVTX file, or fails as told): the exports
// are read in place of the live files, failures are located problems that lower the verdict unless the live
// file was read, the temporary folder is gone afterwards, and the evidence is left as it was.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { small } from '../../examples/lib/scenarios/fixtures.js';
import { EVTX_FOLDER, evtxFileName } from '../core/event-log-files.js';
import type { ScanReport } from '../core/report.js';
import { fixtureFile } from '../sources/evtx/testing/fixture.js';
import { exportEventLogs, isLiveTarget, runCommand } from './live.js';
import type { CommandRunner } from './live.js';
import { scan } from './scan.js';

const SAMPLE = new URL('../../../../shared/samples/evtx-parser-samples/system.evtx', import.meta.url);

// The fake: `<sample> <plan> epl <channel> <target>` copies the sample EVTX file to target, unless the plan
// says the channel is missing (exit 15007, as wevtutil for a channel the server lacks) or fails (exit 5).
const FAKE = `import { copyFileSync } from 'node:fs';
const [sample, planText, verb, channel, target] = process.argv.slice(2);
const plan = JSON.parse(planText);
if (verb !== 'epl') { console.error('unknown verb'); process.exit(87); }
if (plan[channel] === 'absent') { console.error('Failed to export log ' + channel + '. The specified channel could not be found.'); process.exit(15007); }
if (plan[channel] === 'fail') { console.error('Failed to export log ' + channel + '. Access is denied.'); process.exit(5); }
copyFileSync(sample, target);
`;

const CHANNELS = [
  'Application',
  'System',
  'Security',
  'Microsoft-Windows-Sysmon/Operational',
  'Windows PowerShell',
];

async function setup(): Promise<{ work: string; tree: string; evtx: string; fake: string }> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'exhunt-live-test-'));
  const tree = path.join(work, 'C');
  await small('clean').tree.write(tree);
  // A real log when the shared samples are here, else one this project writes: either is a valid EVTX.
  const evtx = path.join(work, 'sample.evtx');
  if (existsSync(SAMPLE)) await copyFile(SAMPLE, evtx);
  else await writeFile(evtx, fixtureFile());
  const fake = path.join(work, 'fake-wevtutil.mjs');
  await writeFile(fake, FAKE);
  return { work, tree, evtx, fake };
}

function fakeRunner(fake: string, evtx: string, plan: Record<string, 'absent' | 'fail'>): CommandRunner {
  return (_program, args) => runCommand(process.execPath, [fake, evtx, JSON.stringify(plan), ...args]);
}

/** Every file under a folder: size, last write and SHA-256. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath, e.name);
    const st = await stat(p);
    const sha = createHash('sha256')
      .update(await readFile(p))
      .digest('hex');
    out.set(path.relative(dir, p), `${st.size} ${st.mtimeMs} ${sha}`);
  }
  return out;
}

const sha256 = async (p: string) =>
  createHash('sha256')
    .update(await readFile(p))
    .digest('hex');
const live = (channel: string) => `${EVTX_FOLDER}/${evtxFileName(channel)}`;
const artifactOf = (r: ScanReport, p: string) => r.artifacts.find((a) => a.path === p);

test('the system drive of a Windows host is live; other folders, drives and platforms are not', () => {
  const env = { SystemDrive: 'C:' };
  assert.equal(isLiveTarget('C:\\', 'win32', env), true);
  assert.equal(isLiveTarget('c:/', 'win32', env), true);
  assert.equal(isLiveTarget('D:\\', 'win32', env), false);
  assert.equal(isLiveTarget('C:\\inetpub', 'win32', env), false);
  assert.equal(isLiveTarget('D:\\', 'win32', { SystemDrive: 'D:' }), true);
  assert.equal(isLiveTarget('/', 'linux', env), false);
});

test('a wevtutil that cannot be run fails every channel, with what the system said', async () => {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'exhunt-live-none-'));
  const s = await exportEventLogs(parent, {
    channels: ['Application', 'System'],
    program: path.join(parent, 'no-such-wevtutil'),
    tempParent: parent,
  });
  assert.deepEqual(
    s.info.exports.map((e) => e.status),
    ['failed', 'failed'],
  );
  assert.match(s.info.exports[0]!.error ?? '', /ENOENT/);
  assert.deepEqual(s.overlay.files, {});
  // Inside the evidence, the folder is left out of its listing.
  assert.equal(s.overlay.hide, path.basename(s.info.tempFolder));
  await s.cleanup();
  assert.equal(s.info.removed, true);
  assert.equal(existsSync(s.info.tempFolder), false);
  await rm(parent, { recursive: true });
});

test(
  'a live scan reads the exports in place of the live files, reports each channel, and cleans up',
  { timeout: 180_000 },
  async () => {
    const { work, tree, evtx, fake } = await setup();
    // The live Application log as the event log service holds it: on Windows it cannot be read at all;
    // here it holds other bytes, so that reading it instead of the export would show.
    await mkdir(path.join(tree, EVTX_FOLDER), { recursive: true });
    await writeFile(path.join(tree, live('Application')), 'held open by the event log service');
    // A live log wevtutil will fail to export, that is readable as it is.
    await copyFile(evtx, path.join(tree, live('Windows PowerShell')));
    const before = await snapshot(tree);
    const temps = path.join(work, 'temp');
    await mkdir(temps);

    const base = { channels: CHANNELS, tempParent: temps };
    const ok = await scan(tree, {
      threads: 1,
      live: { ...base, run: fakeRunner(fake, evtx, { Security: 'absent' }) },
    });
    const bad = await scan(tree, {
      threads: 1,
      live: {
        ...base,
        run: fakeRunner(fake, evtx, {
          Security: 'absent',
          'Microsoft-Windows-Sysmon/Operational': 'fail',
          'Windows PowerShell': 'fail',
        }),
      },
    });

    // Which channels were exported, when, and what failed.
    const status = (r: ScanReport) =>
      Object.fromEntries((r.scan.live?.exports ?? []).map((e) => [e.channel, e.status]));
    assert.deepEqual(status(ok.report), {
      Application: 'exported',
      System: 'exported',
      Security: 'absent',
      'Microsoft-Windows-Sysmon/Operational': 'exported',
      'Windows PowerShell': 'exported',
    });
    assert.deepEqual(status(bad.report), {
      ...status(ok.report),
      'Microsoft-Windows-Sysmon/Operational': 'failed',
      'Windows PowerShell': 'failed',
    });
    for (const e of bad.report.scan.live!.exports) {
      assert.ok(e.startedAt <= e.finishedAt && /Z$/.test(e.finishedAt), e.channel);
      if (e.status === 'failed') assert.match(e.error ?? '', /exit code 5: .*Access is denied/);
    }

    // The export was read under the live file's path, not the live file's bytes.
    const want = await sha256(evtx);
    const app = artifactOf(ok.report, live('Application'));
    assert.equal(app?.sha256, want);
    assert.equal(app?.source, 'evtx');
    assert.ok((app?.records ?? 0) > 0, 'records read from the export');
    // A channel with no live file in the listing is read from its export too.
    assert.equal(artifactOf(ok.report, live('System'))?.sha256, want);
    assert.equal(artifactOf(ok.report, live('Security')), undefined);

    // Failures: located; the one whose live file was read costs nothing, the other is a loss that lowers.
    const codes = (r: ScanReport) =>
      r.problems.filter((p) => p.code.startsWith('live.')).map((p) => `${p.code} ${p.path}`);
    assert.deepEqual(codes(ok.report), []);
    assert.deepEqual(codes(bad.report).sort(), [
      `live.export-failed ${live('Microsoft-Windows-Sysmon/Operational')}`,
      `live.read-live-file ${live('Windows PowerShell')}`,
    ]);
    const byChannel = new Map(bad.report.scan.live!.exports.map((e) => [e.channel, e]));
    assert.equal(byChannel.get('Windows PowerShell')?.readLive, true);
    assert.equal(byChannel.get('Microsoft-Windows-Sysmon/Operational')?.readLive, false);
    const loss = bad.report.integrity?.losses.find((l) => l.path.endsWith('Sysmon%4Operational.evtx'));
    assert.equal(loss?.lowers, true);
    assert.equal(
      bad.report.integrity?.losses.some((l) => l.path.includes('PowerShell.evtx')),
      false,
    );
    assert.equal(
      ok.report.integrity?.losses.some((l) => l.path.startsWith(EVTX_FOLDER)),
      false,
    );
    assert.notEqual(ok.report.verdict, 'inconclusive', 'the exports lost nothing');
    if (ok.report.verdict === 'clean') assert.equal(bad.report.verdict, 'inconclusive');
    else assert.equal(bad.report.verdict, ok.report.verdict);

    // The temporary folders are gone, and the evidence is as it was.
    for (const r of [ok.report, bad.report]) {
      assert.equal(r.scan.live?.removed, true);
      assert.equal(existsSync(r.scan.live.tempFolder), false);
      assert.equal(path.dirname(r.scan.live.tempFolder), temps);
    }
    assert.deepEqual(await readdir(temps), []);
    assert.deepEqual(await snapshot(tree), before);
    await rm(work, { recursive: true, force: true });
  },
);

test(
  'an export folder inside the evidence is left out of the scan and removed',
  { timeout: 120_000 },
  async () => {
    const { work, tree, evtx, fake } = await setup();
    const inside = path.join(tree, 'Windows', 'Temp');
    await mkdir(inside, { recursive: true });
    const before = await snapshot(tree);
    const { report } = await scan(tree, {
      threads: 1,
      live: { channels: ['Application'], tempParent: inside, run: fakeRunner(fake, evtx, {}) },
    });
    const folder = path.relative(tree, report.scan.live!.tempFolder).split(path.sep).join('/');
    assert.match(folder, /^Windows\/Temp\/exhunt-live-/);
    assert.equal(artifactOf(report, live('Application'))?.sha256, await sha256(evtx));
    assert.ok(!report.artifacts.some((a) => a.path.startsWith(folder)), 'the exports are not read twice');
    assert.ok(!report.problems.some((p) => p.path?.startsWith(folder)));
    assert.deepEqual(await snapshot(tree), before);
    await rm(work, { recursive: true, force: true });
  },
);
