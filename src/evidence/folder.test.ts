// Tests for folders as evidence: names as bytes, special files never opened, files that vanish, access times kept.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import type { Problem } from '../core/problem.js';
import { discover } from '../engine/discover.js';
import type { SkipReason } from '../engine/discover.js';
import { openFolder } from './folder.js';
import type { Evidence, EvidenceFile } from './types.js';

const isRoot = process.getuid?.() === 0;

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'exhunt-folder-'));
}

/** A path under `dir` from pieces, some of them raw bytes (names that are not UTF-8). */
function at(dir: string, ...parts: (string | number[])[]): Buffer {
  const bytes = parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)));
  return Buffer.concat([Buffer.from(dir + '/'), ...bytes]);
}

async function list(ev: Evidence) {
  const problems: Problem[] = [];
  const files: EvidenceFile[] = [];
  for await (const f of ev.files((p) => problems.push(p))) files.push(f);
  return { files, problems };
}

async function readOpen(ev: Evidence, f: EvidenceFile): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of await ev.open(f)) parts.push(c as Buffer);
  return Buffer.concat(parts).toString();
}

async function readReuse(ev: Evidence, f: EvidenceFile): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of ev.reuse!(f, Buffer.alloc(3))) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString();
}

test('names that are not UTF-8: each file listed once, under its own path, and read from its own bytes', async () => {
  const dir = tempDir();
  writeFileSync(at(dir, 'a', [0xff], '.log'), 'ff');
  writeFileSync(at(dir, 'a', [0xfe], '.log'), 'fe');
  writeFileSync(at(dir, 'a\\xff.log'), 'literal');
  mkdirSync(at(dir, 'd', [0xc0]));
  writeFileSync(at(dir, 'd', [0xc0], '/in.log'), 'inside');
  const ev = openFolder(dir);
  const { files, problems } = await list(ev);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    files.map((f) => f.path),
    ['a\\\\xff.log', 'a\\xfe.log', 'a\\xff.log', 'd\\xc0/in.log'],
  );
  const got: Record<string, string[]> = {};
  for (const f of files) got[f.path] = [await readOpen(ev, f), await readReuse(ev, f)];
  assert.deepEqual(got, {
    'a\\\\xff.log': ['literal', 'literal'],
    'a\\xfe.log': ['fe', 'fe'],
    'a\\xff.log': ['ff', 'ff'],
    'd\\xc0/in.log': ['inside', 'inside'],
  });
  // A path a string can spell is given to tools that want one; the others are not guessed at.
  assert.equal(ev.localPath!(files[0]!), path.join(dir, 'a\\xff.log'));
  assert.equal(ev.localPath!(files[1]!), undefined);
});

test(
  'FIFOs, sockets and devices are listed as special, counted as skipped and never opened',
  { timeout: 60_000 },
  async (t) => {
    const dir = tempDir();
    // Inside an IIS log folder, under log names: only the check for special files keeps them from being read.
    const logs = path.join(dir, 'inetpub/logs/LogFiles/W3SVC1');
    mkdirSync(logs, { recursive: true });
    const p = (n: string) => path.join(logs, n);
    writeFileSync(p('u_ex230101.log'), 'data\n');
    writeFileSync(p('u_ex230102.log'), '');
    execFileSync('mkfifo', [p('u_ex230103.log')]);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(p('u_ex230104.log'), resolve));
    t.after(() => server.close());
    const expected: Record<string, EvidenceFile['special']> = {
      'u_ex230103.log': 'fifo',
      'u_ex230104.log': 'socket',
    };
    try {
      // /dev/zero's numbers: a device that never ends, so a read of it would never finish.
      execFileSync('mknod', [p('u_ex230105.log'), 'c', '1', '5'], { stdio: 'ignore' });
      expected['u_ex230105.log'] = 'character-device';
      execFileSync('mknod', [p('u_ex230106.log'), 'b', '7', '0'], { stdio: 'ignore' });
      expected['u_ex230106.log'] = 'block-device';
    } catch {
      t.diagnostic('mknod not permitted here: device nodes not tested');
    }
    const ev = openFolder(dir);
    const opened: string[] = [];
    const watched: Evidence = {
      ...ev,
      open: (f, limit, on) => (opened.push(f.path), ev.open(f, limit, on)),
      reuse: (f, buf) => (opened.push(f.path), ev.reuse!(f, buf)),
    };
    const skipped: [string, SkipReason][] = [];
    const tasks: string[] = [];
    await discover(watched, {
      problem: (pr) => assert.fail(`no problem expected: ${pr.code} ${pr.path}`),
      task: (task) => tasks.push(path.basename(task.file.path)),
      skip: (f, why) => skipped.push([path.basename(f.path), why]),
    });
    const special = Object.keys(expected).map((n) => [n, 'special'] as [string, SkipReason]);
    assert.deepEqual(skipped, [['u_ex230102.log', 'empty'], ...special]);
    assert.deepEqual(tasks, ['u_ex230101.log']);
    assert.deepEqual(opened, []);
    const { files } = await list(ev);
    for (const [n, kind] of Object.entries(expected))
      assert.equal(files.find((f) => f.path.endsWith(n))?.special, kind);
    // Even asked to, the folder refuses to open them.
    await assert.rejects(ev.open(files.find((f) => f.path.endsWith('u_ex230103.log'))!), /never opened/);
  },
);

test(
  'a file replaced after listing by a FIFO, a folder or a link, or removed, fails to open at once',
  { timeout: 60_000 },
  async () => {
    const dir = tempDir();
    const names = ['fifo.log', 'dir.log', 'link.log', 'gone.log', 'kept.log'];
    for (const n of names) writeFileSync(path.join(dir, n), `content of ${n}`);
    const ev = openFolder(dir);
    const { files } = await list(ev);
    const p = (n: string) => path.join(dir, n);
    for (const n of names.slice(0, 4)) rmSync(p(n));
    execFileSync('mkfifo', [p('fifo.log')]);
    mkdirSync(p('dir.log'));
    symlinkSync('/etc/hostname', p('link.log'));
    for (const f of files) {
      if (f.path === 'kept.log') {
        assert.equal(await readOpen(ev, f), 'content of kept.log');
        continue;
      }
      await assert.rejects(readOpen(ev, f), `${f.path} by open`);
      await assert.rejects(readReuse(ev, f), `${f.path} by reuse`);
    }
  },
);

test('a subfolder that cannot be listed is a located problem, and the walk goes on', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'top.log'), 'top');
  for (const d of ['a', 'b', 'c']) {
    mkdirSync(path.join(dir, d));
    writeFileSync(path.join(dir, d, 'in.log'), d);
  }
  const problems: Problem[] = [];
  const seen: string[] = [];
  for await (const f of openFolder(dir).files((p) => problems.push(p))) {
    seen.push(f.path);
    if (f.path === 'top.log') {
      // Between the listing of the root and the opening of b: b becomes a file.
      rmSync(path.join(dir, 'b'), { recursive: true });
      writeFileSync(path.join(dir, 'b'), 'no longer a folder');
    }
  }
  assert.deepEqual(seen, ['top.log', 'a/in.log', 'c/in.log']);
  assert.deepEqual(
    problems.map((p) => [p.code, p.path]),
    [['evidence.unreadable-folder', 'b']],
  );
});

test(
  'permissions: an unreadable file and folder are reported by path (needs a non-root user)',
  { skip: isRoot && 'running as root, which reads whatever the mode says' },
  async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'secret.log'), 'x');
    mkdirSync(path.join(dir, 'locked'));
    writeFileSync(path.join(dir, 'locked', 'in.log'), 'y');
    chmodSync(path.join(dir, 'secret.log'), 0);
    chmodSync(path.join(dir, 'locked'), 0);
    const ev = openFolder(dir);
    const { files, problems } = await list(ev);
    assert.deepEqual(
      problems.map((p) => [p.code, p.path]),
      [['evidence.unreadable-folder', 'locked']],
    );
    await assert.rejects(
      readOpen(
        ev,
        files.find((f) => f.path === 'secret.log')!,
      ),
      /EACCES/,
    );
    chmodSync(path.join(dir, 'locked'), 0o755);
  },
);

test('reading leaves access times alone (O_NOATIME), and says so', async (t) => {
  const dir = tempDir();
  const file = path.join(dir, 'u_ex230101.log');
  writeFileSync(file, 'x'.repeat(100_000));
  const past = new Date('2001-01-01T00:00:00Z');
  // An access time older than the last write: relatime updates it on the next read, unless told not to.
  const reset = () => utimesSync(file, past, new Date('2002-01-01T00:00:00Z'));
  reset();
  readFileSync(file);
  if (statSync(file).atimeMs === past.getTime())
    return t.skip('this mount never updates access times (noatime)');
  reset();
  const ev = openFolder(dir);
  const { files } = await list(ev);
  await readOpen(ev, files[0]!);
  await readReuse(ev, files[0]!);
  for await (const _ of await ev.open(files[0]!, 10));
  assert.equal(statSync(file).atimeMs, past.getTime(), 'access time unchanged');
  assert.equal(ev.readMode().noatime, process.platform === 'linux' ? 'used' : 'not-supported');
});
