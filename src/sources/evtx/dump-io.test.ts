// `evtx dump` on what is not a plain folder of files: named pipes, devices, folders that cannot be listed.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { evtxDumpCommand } from '../../cli/evtx.js';
import { dumpFiles, expandPaths, type DumpOptions } from './dump.js';
import { fixtureFile } from './testing/fixture.js';
import { walkEvtx, type WalkFs } from './walk.js';

const HANG = { timeout: 60_000 };

async function run(paths: string[], extra: Partial<DumpOptions> = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  out.on('data', (c: Buffer) => o.push(c));
  err.on('data', (c: Buffer) => e.push(c));
  const code = await evtxDumpCommand(paths, { out, err, threads: 1, ...extra });
  return { code, out: Buffer.concat(o).toString('utf8'), err: Buffer.concat(e).toString('utf8') };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'exhunt-evtx-io-'));
const mkfifo = spawnSync('sh', ['-c', 'command -v mkfifo'], { stdio: 'ignore' }).status === 0;

test(
  'a named pipe with a writer is read as a stream: the same records as the file',
  { ...HANG, skip: mkfifo ? false : 'skipped: mkfifo is not installed' },
  async () => {
    const file = path.join(tmp, 'file.evtx');
    fs.writeFileSync(file, fixtureFile());
    const fifo = path.join(tmp, 'pipe.evtx');
    spawnSync('mkfifo', [fifo]);
    // The writer opens the pipe after a pause, so the reader meets "no writer yet" first.
    const writer = spawn('sh', ['-c', `sleep 0.3; cat "${file}" > "${fifo}"`], { stdio: 'ignore' });
    try {
      const fromPipe = await run([fifo]);
      const fromFile = await run([file]);
      assert.equal(fromPipe.code, 0, fromPipe.err);
      assert.equal(fromPipe.out, fromFile.out);
      assert.equal(fromPipe.out.trim().split('\n').length, 4);
    } finally {
      writer.kill();
    }
  },
);

test(
  'a named pipe nobody writes to is given up on with a located message, not waited on forever',
  { ...HANG, skip: mkfifo ? false : 'skipped: mkfifo is not installed' },
  async () => {
    const fifo = path.join(tmp, 'silent.evtx');
    spawnSync('mkfifo', [fifo]);
    const r = await run([fifo], { fifoWaitMs: 200 });
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      new RegExp(
        `${fifo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}@0: error evtx\\.no-writer: named pipe: no writer`,
      ),
    );
  },
);

test('a device is refused with a located message, never opened', HANG, async () => {
  const r = await run(['/dev/zero']);
  assert.equal(r.code, 1);
  assert.match(r.err, /\/dev\/zero@0: error evtx\.not-a-file: not a regular file/);
});

/** A folder tree: a/one.evtx, b/ (unreadable), b/two.evtx, c/three.evtx. */
function tree(): string {
  const root = fs.mkdtempSync(path.join(tmp, 'tree-'));
  for (const [dir, name] of [
    ['a', 'one.evtx'],
    ['b', 'two.evtx'],
    ['c', 'three.evtx'],
  ] as const) {
    fs.mkdirSync(path.join(root, dir));
    fs.writeFileSync(path.join(root, dir, name), fixtureFile());
  }
  return root;
}

test('the walk reports a folder it cannot list and goes on with the rest', () => {
  const root = tree();
  const denied: WalkFs = {
    readdir: (dir) => {
      if (dir === path.join(root, 'b'))
        throw Object.assign(new Error(`EACCES: permission denied, scandir '${dir}'`), { code: 'EACCES' });
      return fs.readdirSync(dir, { withFileTypes: true });
    },
  };
  const lines: [string, string][] = [];
  const files = walkEvtx(root, (line, severity) => lines.push([line, severity]), denied);
  assert.deepEqual(
    files.map((f) => path.relative(root, f)),
    ['a/one.evtx', 'c/three.evtx'],
  );
  assert.equal(lines.length, 1);
  assert.equal(lines[0]![1], 'error');
  assert.match(
    lines[0]![0],
    new RegExp(`^${path.join(root, 'b')}: error evidence\\.unreadable-folder: .*EACCES`),
  );
});

test('the walk does not follow links, and says so', () => {
  const root = tree();
  fs.symlinkSync(path.join(root, 'a'), path.join(root, 'link'));
  const lines: string[] = [];
  const files = walkEvtx(root, (line) => lines.push(line));
  assert.equal(files.length, 3);
  assert.deepEqual(lines, [
    `${path.join(root, 'link')}: warning evidence.symlink-skipped: symbolic link not followed`,
  ]);
});

const root = process.getuid?.() === 0;

test(
  'evtx dump on a folder with a subfolder it may not read: that folder reported, the rest dumped',
  {
    ...HANG,
    skip: root
      ? 'skipped: running as root, which reads chmod 000 folders (the walk test above covers the error path)'
      : false,
  },
  async () => {
    const dir = tree();
    fs.chmodSync(path.join(dir, 'b'), 0o000);
    try {
      const r = await run([dir]);
      assert.equal(r.code, 1);
      assert.equal(r.out.trim().split('\n').length, 8);
      assert.match(r.err, /evidence\.unreadable-folder/);
    } finally {
      fs.chmodSync(path.join(dir, 'b'), 0o755);
    }
  },
);

test('the walk on a path that is no folder takes its error path with the real file system', () => {
  const file = path.join(tree(), 'a', 'one.evtx');
  const lines: string[] = [];
  assert.deepEqual(
    walkEvtx(file, (line) => lines.push(line)),
    [],
  );
  assert.match(lines[0]!, /error evidence\.unreadable-folder: .*ENOTDIR/);
});

test(
  'expandPaths counts the folder it cannot list as an error; the dump of the rest goes on',
  HANG,
  async () => {
    const dir = tree();
    const denied: WalkFs = {
      readdir: (d) => {
        if (d === path.join(dir, 'c')) throw new Error('EACCES: permission denied');
        return fs.readdirSync(d, { withFileTypes: true });
      },
    };
    const err = new PassThrough();
    const e: Buffer[] = [];
    err.on('data', (c: Buffer) => e.push(c));
    const { files, missing, errors } = expandPaths([dir], err, denied);
    assert.deepEqual([files.length, missing, errors], [2, 0, 1]);
    const out = new PassThrough();
    const o: Buffer[] = [];
    out.on('data', (c: Buffer) => o.push(c));
    const stats = await dumpFiles(files, { out, err, threads: 1 });
    assert.equal(stats.records, 8);
    assert.equal(Buffer.concat(o).toString('utf8').trim().split('\n').length, 8);
    assert.match(Buffer.concat(e).toString('utf8'), /\/c: error evidence\.unreadable-folder/);
  },
);
