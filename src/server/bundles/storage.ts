// Where bundle bytes live: files in the data folder (SQLite: server and workers share the machine) or
// chunks in PostgreSQL (workers on other machines share only the database).

import { createReadStream } from 'node:fs';
import { chmod, open, rename, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import type { BundleView, Store, Tx } from '../../store/index.js';
import { CHUNK_BYTES, readChunks, writeChunk } from '../../store/index.js';
import { FILE_MODE, privateDir } from '../file-modes.js';

interface StoredBundle {
  id: number;
  organisationId: number;
  sha256: string;
}

export interface BundleStorage {
  /** Keeps an uploaded file (which it may move) for a new bundle, inside the bundle's transaction. */
  put(trx: Tx, bundle: StoredBundle, file: string): Promise<void>;
  open(bundle: StoredBundle): Promise<Readable>;
  /** A local .zip path for scan(); `release` removes it if it was a temporary copy. */
  materialise(bundle: StoredBundle): Promise<{ path: string; release(): Promise<void> }>;
}

export class FileStorage implements BundleStorage {
  constructor(private readonly dir: string) {}

  private where(b: StoredBundle): string {
    return path.join(this.dir, String(b.organisationId), `${b.sha256}.zip`);
  }

  async put(_trx: Tx, b: StoredBundle, file: string): Promise<void> {
    await privateDir(path.dirname(this.where(b)));
    await rename(file, this.where(b));
    // The upload was written 0600; a file moved in from elsewhere is made so too.
    await chmod(this.where(b), FILE_MODE);
  }

  open(b: StoredBundle): Promise<Readable> {
    return Promise.resolve(createReadStream(this.where(b)));
  }

  materialise(b: StoredBundle): Promise<{ path: string; release(): Promise<void> }> {
    return Promise.resolve({ path: this.where(b), release: () => Promise.resolve() });
  }
}

export class DatabaseStorage implements BundleStorage {
  constructor(
    private readonly store: Store,
    private readonly tmpDir: string,
  ) {}

  async put(trx: Tx, b: StoredBundle, file: string): Promise<void> {
    const fh = await open(file, 'r');
    try {
      for (let seq = 0; ; seq++) {
        const buf = Buffer.alloc(CHUNK_BYTES);
        const { bytesRead } = await fh.read(buf, 0, CHUNK_BYTES, null);
        if (bytesRead === 0) break;
        await writeChunk(trx, b.id, seq, buf.subarray(0, bytesRead));
      }
    } finally {
      await fh.close();
    }
  }

  open(b: BundleView | StoredBundle): Promise<Readable> {
    return Promise.resolve(Readable.from(readChunks(this.store.db, b.id)));
  }

  async materialise(b: StoredBundle): Promise<{ path: string; release(): Promise<void> }> {
    await privateDir(this.tmpDir);
    const file = path.join(this.tmpDir, `${randomUUID()}.zip`);
    await pipeline(
      Readable.from(readChunks(this.store.db, b.id)),
      createWriteStream(file, { mode: FILE_MODE }),
    );
    return { path: file, release: () => rm(file, { force: true }) };
  }
}
