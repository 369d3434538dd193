// Tests for zip bundles: entries read in place, ZIP64, unsafe names refused, zip bombs capped, the rest still read.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import yazl from 'yazl';
import type { Problem } from '../core/problem.js';
import { DEFAULT_LIMITS } from './types.js';
import { openZip } from './zip.js';

async function makeZip(entries: [string, Buffer][], opts: { zip64?: boolean } = {}): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, data] of entries) z.addBuffer(data, name, { forceZip64Format: opts.zip64 ?? false });
  z.end();
  const parts: Buffer[] = [];
  for await (const c of z.outputStream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** Rewrites an entry name in place (same length), to build names yazl itself refuses to write. */
function rename(zip: Buffer, from: string, to: string): Buffer {
  assert.equal(from.length, to.length);
  const out = Buffer.from(zip);
  let at = out.indexOf(from);
  while (at >= 0) {
    out.write(to, at, 'latin1');
    at = out.indexOf(from, at + 1);
  }
  return out;
}

async function write(buf: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-zip-'));
  const p = path.join(dir, 'bundle.zip');
  await writeFile(p, buf);
  return p;
}

async function readAll(file: string, limits = DEFAULT_LIMITS) {
  const ev = await openZip(file, limits);
  const problems: Problem[] = [];
  const files: Record<string, string> = {};
  for await (const f of ev.files((p) => problems.push(p))) {
    const parts: Buffer[] = [];
    for await (const c of await ev.open(f)) parts.push(c as Buffer);
    files[f.path] = Buffer.concat(parts).toString();
  }
  await ev.close();
  return { files, problems };
}

test('reads entries in place, ZIP64 included', async () => {
  for (const zip64 of [false, true]) {
    const p = await write(await makeZip([['inetpub/logs/a.log', Buffer.from('hello')]], { zip64 }));
    const { files, problems } = await readAll(p);
    assert.deepEqual(files, { 'inetpub/logs/a.log': 'hello' });
    assert.deepEqual(problems, []);
  }
});

test('refuses absolute and parent paths, reports them, and reads the rest', async () => {
  let zip = await makeZip([
    ['xx/evil.txt', Buffer.from('evil')],
    ['Xabs.txt', Buffer.from('abs')],
    ['ok/good.txt', Buffer.from('good')],
  ]);
  zip = rename(rename(zip, 'xx/evil.txt', '../evil.txt'), 'Xabs.txt', '/abs.txt');
  const { files, problems } = await readAll(await write(zip));
  assert.deepEqual(Object.keys(files), ['ok/good.txt']);
  assert.deepEqual(
    problems.map((p) => [p.code, p.path]),
    [
      ['zip.unsafe-path', '../evil.txt'],
      ['zip.unsafe-path', '/abs.txt'],
    ],
  );
});

test('caps the compression ratio and the total size, and goes on with the other entries', async () => {
  const bomb = Buffer.alloc(4 << 20); // zeros compress about 1000:1
  const zip = await makeZip([
    ['bomb.bin', bomb],
    ['small.txt', Buffer.from('small')],
  ]);
  const ratio = await readAll(await write(zip));
  assert.deepEqual(Object.keys(ratio.files), ['small.txt']);
  assert.equal(ratio.problems[0]?.code, 'zip.ratio');

  const big = await makeZip([
    ['one.txt', Buffer.from('x'.repeat(100))],
    ['two.txt', Buffer.from('y'.repeat(100))],
  ]);
  const total = await readAll(await write(big), { ...DEFAULT_LIMITS, maxTotalBytes: 150 });
  assert.deepEqual(Object.keys(total.files), ['one.txt']);
  assert.equal(total.problems[0]?.code, 'zip.total-size');
});

test('never writes to the bundle', async () => {
  const p = await write(await makeZip([['a.log', Buffer.from('a')]]));
  const before = await readFile(p);
  await readAll(p);
  assert.deepEqual(await readFile(p), before);
});
