// The CLI: argument errors, and a small run that writes a tree and its zip under the output folder only.

import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from './generate.js';

test('bad arguments give usage and exit code 2', async () => {
  const err = console.error;
  console.error = () => {};
  try {
    assert.equal(await main([]), 2);
    assert.equal(await main(['/tmp/x', '--scenario', 'nope']), 2);
    assert.equal(await main(['/tmp/x', '--seed', 'abc']), 2);
  } finally {
    console.error = err;
  }
});

test('one scenario with --zip writes the folder and the zip, nothing else', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-cli-'));
  const log = console.log;
  console.log = () => {};
  try {
    assert.equal(await main([dir, '--scenario', 'probed', '--zip', '--scale', '0.05', '--seed', '5']), 0);
    assert.deepEqual((await readdir(dir)).sort(), ['probed', 'probed.zip']);
    const zip = await readFile(join(dir, 'probed.zip'));
    assert.equal(zip.readUInt32LE(0), 0x04034b50);
    assert.ok(zip.includes(Buffer.from('probed/inetpub/logs/LogFiles/W3SVC1/u_ex210810.log')));
    assert.deepEqual((await readdir(join(dir, 'probed'))).sort(), [
      'Program Files',
      'ProgramData',
      'Windows',
      'inetpub',
      'root',
    ]);
  } finally {
    console.log = log;
    await rm(dir, { recursive: true, force: true });
  }
});
