// A folder as evidence (mounted image, copied drive or collected logs): walked read-only, no symlinks followed.

import { closeSync, createReadStream, readSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { lstat, opendir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Problem } from '../core/problem.js';
import { displayName, rawName } from './display-path.js';
import { AtimeGuard } from './read-only.js';
import type { Evidence, EvidenceFile } from './types.js';

const SLASH = Buffer.from('/');

export function openFolder(root: string): Evidence {
  const abs = path.resolve(root);
  const absRaw = Buffer.from(abs);
  const guard = new AtimeGuard();
  // Files are opened by the bytes their display path stands for, never by a decoded (lossy) name.
  const full = (file: EvidenceFile): Buffer => {
    if (file.special) throw new Error(`not a regular file (${file.special}); never opened`);
    const raw = rawName(file.path);
    if (!raw) throw new Error(`not a path of this evidence: ${file.path}`);
    return Buffer.concat([absRaw, SLASH, raw]);
  };
  return {
    kind: 'folder',
    root: abs,
    files: (onProblem) => walk(absRaw, onProblem),
    open: async (file, limit) => readOnly(guard.openFile(full(file)), limit),
    reuse: (file, buf) => readInto(() => guard.openFile(full(file)), buf),
    localPath: (file) => {
      const raw = rawName(file.path);
      const text = raw?.toString();
      return raw && text !== undefined && Buffer.from(text).equals(raw) ? path.join(abs, text) : undefined;
    },
    readMode: () => ({ noatime: guard.mode() }),
    close: () => Promise.resolve(),
  };
}

function readOnly(fd: number, limit?: number): Readable {
  const opts: { fd: number; start: number; highWaterMark: number; end?: number } = {
    fd,
    start: 0,
    highWaterMark: 1 << 20,
  };
  if (limit !== undefined) opts.end = Math.max(0, limit - 1);
  // The descriptor was opened read-only; the stream closes it when it ends, fails or is destroyed.
  return createReadStream('', opts);
}

/**
 * Blocking reads on purpose: a scan worker has nothing else to do while its read is copied from the page
 * cache, and asynchronous reads cost a round trip through libuv's thread pool per chunk (a 5 GB scan on two
 * cores took 10% longer that way).
 */
async function* readInto(open: () => number, buf: Buffer): AsyncGenerator<Buffer> {
  const fd = open();
  try {
    for (let at = 0; ;) {
      const n = readSync(fd, buf, 0, buf.length, at);
      if (n === 0) return;
      at += n;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

const STAT_BATCH = 64;

interface Dir {
  raw: Buffer;
  display: string;
}

interface Listed extends Dir {
  dirent: Dirent;
}

/** Depth first, each folder's files (sorted) before its subfolders (sorted); a stack, not recursion. */
async function* walk(abs: Buffer, onProblem: (p: Problem) => void): AsyncGenerator<EvidenceFile> {
  const stack: Dir[] = [{ raw: Buffer.alloc(0), display: '' }];
  const join = (a: Buffer, b: Buffer) => (a.length ? Buffer.concat([a, SLASH, b]) : b);
  const at = (rel: Buffer) => (rel.length ? Buffer.concat([abs, SLASH, rel]) : abs);
  for (let dir = stack.pop(); dir; dir = stack.pop()) {
    const listed = await list(at(dir.raw), dir.display, onProblem);
    const subdirs: Dir[] = [];
    const others: Listed[] = [];
    for (const { dirent, raw, display } of listed) {
      const child = { raw: join(dir.raw, raw), display: dir.display ? `${dir.display}/${display}` : display };
      if (dirent.isSymbolicLink()) symlink(child.display, onProblem);
      else if (dirent.isDirectory()) subdirs.push(child);
      else others.push({ ...child, dirent });
    }
    // Sorted order keeps reports and finding ids stable between runs.
    others.sort((a, b) => cmp(a.display, b.display));
    // Many at a time: one by one, a folder of thousands of logs took most of a second in round trips.
    for (let i = 0; i < others.length; i += STAT_BATCH) {
      const batch = others.slice(i, i + STAT_BATCH);
      const stats = await Promise.allSettled(batch.map((c) => lstat(at(c.raw))));
      for (const [k, r] of stats.entries()) {
        const c = batch[k]!;
        if (r.status === 'rejected') {
          onProblem({
            code: 'evidence.unreadable-file',
            message: errText(r.reason),
            path: c.display,
            severity: 'error',
          });
          continue;
        }
        const st = r.value;
        // What lstat says now wins over the listing: the entry may have changed in between.
        if (st.isDirectory()) subdirs.push(c);
        else if (st.isSymbolicLink()) symlink(c.display, onProblem);
        else yield fileOf(c.display, st);
      }
    }
    subdirs.sort((a, b) => cmp(b.display, a.display));
    stack.push(...subdirs);
  }
}

async function list(full: Buffer, display: string, onProblem: (p: Problem) => void): Promise<Listed[]> {
  const out: Listed[] = [];
  const where = display || '.';
  let dir;
  try {
    // Names as bytes: decoded as UTF-8, two names that differ only in invalid bytes would become one.
    dir = await opendir(full, { encoding: 'buffer' as BufferEncoding });
  } catch (e) {
    onProblem({ code: 'evidence.unreadable-folder', message: errText(e), path: where, severity: 'error' });
    return out;
  }
  try {
    for await (const d of dir) {
      const raw = d.name as unknown as Buffer;
      out.push({ dirent: d, raw, display: displayName(raw) });
    }
  } catch (e) {
    // What was listed before the failure is still read; the rest of the folder is reported as lost.
    onProblem({
      code: 'evidence.unreadable-folder',
      message: `listing stopped after ${out.length} entries: ${errText(e)}`,
      path: where,
      severity: 'error',
    });
    await dir.close().catch(() => {});
  }
  return out;
}

function fileOf(display: string, st: Stats): EvidenceFile {
  const file: EvidenceFile = { path: display, size: st.size, modified: st.mtime.toISOString() };
  if (st.isFile()) return file;
  // Never opened (a FIFO would block the read forever, a device could be endless); counted as skipped.
  file.special = st.isFIFO()
    ? 'fifo'
    : st.isCharacterDevice()
      ? 'character-device'
      : st.isBlockDevice()
        ? 'block-device'
        : st.isSocket()
          ? 'socket'
          : 'other';
  return file;
}

function symlink(display: string, onProblem: (p: Problem) => void): void {
  // Following links could leave the evidence or loop; list them so nothing is dropped silently.
  onProblem({
    code: 'evidence.symlink-skipped',
    message: 'symbolic link not followed',
    path: display,
    severity: 'warning',
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
