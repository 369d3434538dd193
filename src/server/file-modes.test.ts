// Tests for the data folder's modes: new bundles, uploads and the SQLite database are private from the
// start, and a folder left readable by others is made private at start. Modes are observable by root too.

import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import test from 'node:test';
import { openStore, SQLITE_FILE } from '../store/index.js';
import { FileStorage } from './bundles/storage.js';
import { receiveToFile } from './bundles/upload.js';
import { secureDataDir } from './file-modes.js';
import { openBackend } from './runtime.js';

const modeOf = async (p: string) => (await stat(p)).mode & 0o777;

test('bundles, uploads and the SQLite database are created private', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-modes-'));
  const old = process.umask(0o022);
  try {
    const data = path.join(dir, 'data');
    const store = await openStore({ dataDir: data });
    await store.close();
    assert.equal(await modeOf(path.join(data, SQLITE_FILE)), 0o600);
    assert.equal(await modeOf(data), 0o700);
    const got = await receiveToFile(Readable.from([Buffer.from('PK')]), path.join(data, 'uploads'), 100);
    assert.equal(await modeOf(got.file), 0o600);
    assert.equal(await modeOf(path.join(data, 'uploads')), 0o700);
    const storage = new FileStorage(path.join(data, 'bundles'));
    const b = { id: 1, organisationId: 7, sha256: 'a'.repeat(64) };
    await storage.put(undefined as never, b, got.file);
    const kept = (await storage.materialise(b)).path;
    assert.equal(await modeOf(kept), 0o600);
    assert.equal(await modeOf(path.dirname(kept)), 0o700);
  } finally {
    process.umask(old);
    await rm(dir, { recursive: true, force: true });
  }
});

test('at start, a data folder readable by others is made private and the fix is logged', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-modes-'));
  try {
    const data = path.join(dir, 'data');
    await mkdir(path.join(data, 'bundles', '3'), { recursive: true });
    const dump = path.join(data, 'bundles', '3', 'lsass.zip');
    await writeFile(dump, 'secret');
    await chmod(dump, 0o644);
    await chmod(data, 0o755);
    await chmod(path.join(data, 'bundles'), 0o755);
    const lines: string[] = [];
    const backend = await openBackend({ dataDir: data, log: (l) => lines.push(l) });
    await backend.close();
    assert.equal(await modeOf(dump), 0o600);
    assert.equal(await modeOf(data), 0o700);
    assert.equal(await modeOf(path.join(data, 'bundles')), 0o700);
    assert.match(lines.join('\n'), /readable by other users; made private/);
    assert.deepEqual(await secureDataDir(data), [], 'nothing left to fix');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
