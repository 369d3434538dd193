// Tests for `evtx dump`: JSON lines on stdout, located problems on stderr, exit codes, threads.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { evtxDumpCommand } from '../../cli/evtx.js';
import { fileHeader } from './testing/build.js';
import { fixtureChunk, fixtureFile } from './testing/fixture.js';

async function run(paths: string[], threads: number): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const outChunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  out.on('data', (c: Buffer) => outChunks.push(c));
  err.on('data', (c: Buffer) => errChunks.push(c));
  const code = await evtxDumpCommand(paths, { out, err, threads });
  return {
    code,
    out: Buffer.concat(outChunks).toString('utf8'),
    err: Buffer.concat(errChunks).toString('utf8'),
  };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'exhunt-evtx-'));
const good = path.join(tmp, 'logs', 'Security.evtx');
fs.mkdirSync(path.dirname(good), { recursive: true });
fs.writeFileSync(good, Buffer.concat([fixtureFile(), fixtureChunk().finish()]));
fs.writeFileSync(path.join(tmp, 'logs', 'notes.txt'), 'not a log');

test('dumps every record of every .evtx below a folder as JSON lines, exit 0', async () => {
  const r = await run([tmp], 1);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.equal(lines.length, 8);
  const first = JSON.parse(lines[0]!) as { Event: { System: { EventID: number } } };
  assert.equal(first.Event.System.EventID, 4688);
});

test('worker threads give the same output in the same order', async () => {
  const one = await run([good], 1);
  const two = await run([good], 2);
  assert.equal(two.out, one.out);
});

test('damage is reported as path@offset on stderr and gives exit code 1', async () => {
  const bad = path.join(tmp, 'bad.evtx');
  const chunk = Buffer.from(fixtureChunk().finish());
  chunk.write('XXXXXXXX', 0, 'latin1');
  fs.writeFileSync(bad, Buffer.concat([fileHeader(2), chunk, fixtureChunk().finish()]));
  const r = await run([bad], 1);
  assert.equal(r.code, 1);
  assert.equal(r.out.trim().split('\n').length, 8, 'records of the chunk with a bad magic are salvaged');
  assert.match(
    r.err,
    new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}@4096: error evtx\\.bad-chunk-magic`),
  );
});

test('a missing path gives exit code 2', async () => {
  const r = await run([path.join(tmp, 'missing.evtx')], 1);
  assert.equal(r.code, 2);
  assert.match(r.err, /no such file/);
});
