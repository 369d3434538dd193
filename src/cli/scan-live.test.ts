// `exhunt scan --live` end to end with a fake wevtutil (EXHUNT_WEVTUTIL): every channel of data/collect.json
// is exported, the report says so and is valid against the schema, and the options check each other.

import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { small } from '../../examples/lib/scenarios/fixtures.js';
import { loadPlan } from '../collector/plan.js';
import type { ScanReport } from '../core/report.js';
import { fixtureFile } from '../sources/evtx/testing/fixture.js';
import { main } from './main.js';
import { runCaptured } from './testing.js';

test(
  'scan --live exports every planned channel first and reports each',
  {
    timeout: 120_000,
    skip: process.platform === 'win32' ? 'the fake wevtutil is a POSIX shell script' : false,
  },
  async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'exhunt-scan-live-'));
    const tree = path.join(work, 'C');
    await small('clean').tree.write(tree);
    const sample = path.join(work, 'sample.evtx');
    await writeFile(sample, fixtureFile());
    // wevtutil epl <channel> <target>: Security fails as access denied, the rest are copies of the sample.
    const fake = path.join(work, 'wevtutil');
    await writeFile(
      fake,
      `#!/bin/sh\nif [ "$2" = "Security" ]; then echo "Access is denied." >&2; exit 5; fi\ncp '${sample}' "$3"\n`,
    );
    await chmod(fake, 0o755);
    const temps = path.join(work, 'temp');
    await mkdir(temps);
    const json = path.join(work, 'report.json');
    process.env['EXHUNT_WEVTUTIL'] = fake;
    try {
      const r = await runCaptured(main, [
        'scan',
        tree,
        '--live',
        '--live-temp',
        temps,
        '--json',
        json,
        '--quiet',
        '--threads',
        '1',
      ]);
      assert.match(r.err, /live scan: exporting \d+ event log channels/);
      const report = JSON.parse(await readFile(json, 'utf8')) as ScanReport;
      const schema = JSON.parse(
        await readFile(new URL('../../../schema/report.schema.json', import.meta.url), 'utf8'),
      ) as object;
      const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
      assert.equal(validate(report), true, JSON.stringify(validate.errors));
      const exports = report.scan.live?.exports ?? [];
      assert.deepEqual(
        exports.map((e) => e.channel),
        loadPlan().eventLogs.map((l) => l.channel),
      );
      for (const e of exports) assert.equal(e.status, e.channel === 'Security' ? 'failed' : 'exported');
      assert.ok(
        report.problems.some((p) => p.code === 'live.export-failed' && p.path?.endsWith('/Security.evtx')),
      );
      assert.equal(report.verdict, 'inconclusive');
      assert.equal(r.code, 5, 'the exit code of inconclusive');
      assert.deepEqual(await readdir(temps), []);
    } finally {
      delete process.env['EXHUNT_WEVTUTIL'];
      await rm(work, { recursive: true, force: true });
    }
  },
);

test('--live and --no-live exclude each other; --live-temp needs a live scan', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-scan-live-args-'));
  const both = await runCaptured(main, ['scan', dir, '--live', '--no-live']);
  assert.match(both.err, /--live and --no-live exclude each other/);
  const temp = await runCaptured(main, ['scan', dir, '--live-temp', dir]);
  assert.match(temp.err, /--live-temp goes with a live scan/);
  assert.notEqual(both.code, 0);
  await rm(dir, { recursive: true });
});
