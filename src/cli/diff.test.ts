// `exhunt diff` end to end: exit 0 when clean, 1 when something remains or is new, 2 on bad input.

import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { finding, report, resetIds } from '../analysis/testkit.js';
import { diffCommand } from './diff.js';
import { runCaptured } from './testing.js';

const run = (args: string[]) => runCaptured(diffCommand, args);

test('exit codes and --json', async () => {
  resetIds();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-diff-'));
  const shell = finding({
    stage: 'webshell-write',
    outcome: 'compromise',
    path: 'inetpub/wwwroot/aspnet_client/x.aspx',
    line: null,
  });
  const write = async (name: string, data: unknown) => {
    const file = path.join(dir, name);
    await writeFile(file, typeof data === 'string' ? data : JSON.stringify(data));
    return file;
  };
  const dirty = await write('dirty.json', report([shell]));
  const clean = await write('clean.json', report([]));
  assert.equal((await run([dirty, clean])).code, 0);
  const same = await run([dirty, dirty, '--json']);
  assert.equal(same.code, 1);
  const parsed = JSON.parse(same.out) as { clean: boolean; findings: { remains: unknown[] } };
  assert.equal(parsed.clean, false);
  assert.equal(parsed.findings.remains.length, 1);
  assert.equal((await run([dirty])).code, 2);
  const broken = await run([dirty, await write('broken.json', '{not json')]);
  assert.equal(broken.code, 2);
  assert.match(broken.err, /broken\.json: not a readable JSON file/);
  assert.equal(
    (await run([dirty, await write('other.json', { schemaVersion: '2.0.0', findings: [] })])).code,
    2,
  );
  assert.equal((await run([dirty, path.join(dir, 'missing.json')])).code, 2);
});
