// An evidence tree held in memory, then written under one root with fixed modification times (or zipped).

import { createWriteStream } from 'node:fs';
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export interface TreeFile {
  data: Buffer;
  /** Modification time, epoch ms. */
  mtime: number;
}

export class Tree {
  readonly files = new Map<string, TreeFile>();
  readonly dirs = new Map<string, number>();

  add(path: string, data: string | Buffer, mtime: number): void {
    if (path.startsWith('/') || path.split('/').includes('..')) throw new Error(`unsafe tree path ${path}`);
    if (this.files.has(path)) throw new Error(`duplicate tree path ${path}`);
    this.files.set(path, { data: typeof data === 'string' ? Buffer.from(data, 'utf8') : data, mtime });
  }

  /** Rewrites a file already in the tree (a stock page an attacker modified): its name stays, its bytes and time change. */
  replace(path: string, data: string | Buffer, mtime: number): void {
    if (!this.files.has(path)) throw new Error(`no tree path ${path} to replace`);
    this.files.set(path, { data: typeof data === 'string' ? Buffer.from(data, 'utf8') : data, mtime });
  }

  /** An empty folder that must exist in the copy (aspnet_client subfolders, Windows\Temp, ...). */
  dir(path: string, mtime: number): void {
    this.dirs.set(path.replace(/\/$/, ''), mtime);
  }

  text(path: string): string | undefined {
    return this.files.get(path)?.data.toString('utf8');
  }

  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  /** Replaces `root` wholesale, so files from an earlier run with another seed cannot linger. */
  async write(root: string): Promise<void> {
    const base = resolve(root);
    await rm(base, { recursive: true, force: true });
    await mkdir(base, { recursive: true });
    const inside = (p: string) => {
      const full = resolve(base, p);
      if (!full.startsWith(base + sep)) throw new Error(`refusing to write outside ${base}: ${p}`);
      return full;
    };
    for (const d of [...this.dirs.keys()].sort()) await mkdir(inside(d), { recursive: true });
    for (const p of this.paths()) {
      const f = this.files.get(p) as TreeFile;
      const full = inside(p);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, f.data);
      await utimes(full, f.mtime / 1000, f.mtime / 1000);
    }
    // Folder times last, deepest first: creating entries inside a folder moves its time again.
    const times = this.folderTimes();
    const order = [...times.keys()].sort(
      (a, b) => b.split('/').length - a.split('/').length || (a < b ? -1 : 1),
    );
    for (const d of order) {
      const t = (times.get(d) as number) / 1000;
      await utimes(inside(d), t, t);
    }
  }

  /** A folder's time is its newest entry's, as NTFS keeps it when entries are added. */
  folderTimes(): Map<string, number> {
    const times = new Map<string, number>(this.dirs);
    const bump = (path: string, t: number) => {
      for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
        const d = path.slice(0, i);
        times.set(d, Math.max(times.get(d) ?? 0, t));
      }
    };
    for (const [p, f] of this.files) bump(p, f.mtime);
    for (const [d, t] of this.dirs) bump(d, t);
    return times;
  }

  /**
   * A zip of the same tree (entries sorted, times kept) for testing zipped evidence. DOS times in zips are
   * local time: run with TZ=UTC (the CLI sets it) for identical bytes everywhere.
   */
  async zip(zipPath: string, prefix = ''): Promise<void> {
    const z = new yazl.ZipFile();
    const name = (p: string) => (prefix ? join(prefix, p).split(sep).join('/') : p);
    const emptyDirs = [...this.dirs.keys()].filter((d) => !this.paths().some((p) => p.startsWith(d + '/')));
    for (const d of emptyDirs.sort())
      z.addEmptyDirectory(name(d), { mtime: new Date(this.dirs.get(d) ?? 0) });
    for (const p of this.paths()) {
      const f = this.files.get(p) as TreeFile;
      z.addBuffer(f.data, name(p), { mtime: new Date(f.mtime), compress: true });
    }
    z.end();
    await mkdir(dirname(resolve(zipPath)), { recursive: true });
    await pipeline(z.outputStream, createWriteStream(zipPath));
  }
}
