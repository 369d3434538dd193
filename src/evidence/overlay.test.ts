// A folder with substitutes: listed under the live paths with the substitutes' sizes, read from the
// substitutes, the substitutes' own folder hidden, and a held file's failure named as such.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import type { Problem } from '../core/problem.js';
import { openFolder } from './folder.js';
import { withOverlay } from './overlay.js';
import type { Evidence, EvidenceFile } from './types.js';
import { EvidenceError } from './types.js';

const busy = () => Object.assign(new Error('resource busy or locked'), { code: 'EBUSY' });

async function* failing(): AsyncGenerator<Buffer> {
  yield* [];
  throw busy();
}

/** The folder, except that `held` files fail to open as Windows fails a file another process holds. */
function holding(ev: Evidence, held: string[]): Evidence {
  const isHeld = (f: EvidenceFile) => held.includes(f.path);
  return {
    ...ev,
    open: (f, limit, onProblem) => (isHeld(f) ? Promise.reject(busy()) : ev.open(f, limit, onProblem)),
    reuse: (f, buf) => (isHeld(f) ? failing() : ev.reuse!(f, buf)),
  };
}

async function bytes(chunks: AsyncIterable<Buffer>): Promise<string> {
  const out: Buffer[] = [];
  for await (const c of chunks) out.push(Buffer.from(c));
  return Buffer.concat(out).toString();
}

test('substitutes stand in for live files, their folder is hidden, held files fail by name', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-overlay-'));
  await mkdir(path.join(root, 'Logs'));
  await mkdir(path.join(root, 'tmp', 'exhunt-live-x'), { recursive: true });
  await mkdir(path.join(root, 'Other'));
  await writeFile(path.join(root, 'Logs', 'App.evtx'), 'live');
  await writeFile(path.join(root, 'Logs', 'Held.evtx'), 'held');
  await writeFile(path.join(root, 'Other', 'Held.log'), 'held too');
  const store = path.join(root, 'tmp', 'exhunt-live-x');
  await writeFile(path.join(store, 'App.evtx'), 'exported copy');
  await writeFile(path.join(store, 'Sys.evtx'), 'exported, no live file listed');
  const ev = withOverlay(holding(openFolder(root), ['Logs/Held.evtx', 'Other/Held.log']), {
    folder: store,
    files: { 'logs/app.evtx': 'App.evtx', 'Logs/Sys.evtx': 'Sys.evtx' },
    hide: 'tmp/exhunt-live-x',
    locked: { folder: 'Logs', code: 'live.locked-log', why: 'held by the service' },
  });
  const problems: Problem[] = [];
  const files: EvidenceFile[] = [];
  for await (const f of ev.files((p) => problems.push(p))) files.push(f);
  assert.deepEqual(
    files.map((f) => `${f.path} ${f.size}`),
    ['Logs/App.evtx 13', 'Logs/Held.evtx 4', 'Other/Held.log 8', 'Logs/Sys.evtx 29'],
  );
  assert.deepEqual(problems, []);
  const byPath = (p: string) => files.find((f) => f.path === p)!;
  assert.equal(await bytes(await ev.open(byPath('Logs/App.evtx'))), 'exported copy');
  assert.equal(
    await bytes(ev.reuse!(byPath('Logs/Sys.evtx'), Buffer.alloc(4))),
    'exported, no live file listed',
  );
  assert.equal(ev.localPath?.(byPath('Logs/App.evtx')), path.join(store, 'App.evtx'));
  // In the held folder, the failure is named; elsewhere it is the system's own.
  await assert.rejects(ev.open(byPath('Logs/Held.evtx')), (e) => {
    assert.ok(e instanceof EvidenceError);
    assert.equal(e.code, 'live.locked-log');
    assert.match(e.message, /held by the service \(EBUSY\)/);
    return true;
  });
  await assert.rejects(bytes(ev.reuse!(byPath('Logs/Held.evtx'), Buffer.alloc(4))), EvidenceError);
  await assert.rejects(ev.open(byPath('Other/Held.log')), (e) => !(e instanceof EvidenceError));
  await ev.close();
  await rm(root, { recursive: true });
});
