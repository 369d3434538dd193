// A .zip bundle as evidence, read in place (ZIP64 included): every byte accounted for, bombs and damage reported.

import { closeSync, fstatSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../core/problem.js';
import { errText } from './folder.js';
import { AtimeGuard } from './read-only.js';
import { DEFAULT_LIMITS } from './types.js';
import type { Evidence, EvidenceFile, EvidenceLimits } from './types.js';
import { Bytes } from './zip-bytes.js';
import { catalogue } from './zip-catalogue.js';
import { bundleCap } from './zip-entries.js';
import type { Item } from './zip-catalogue.js';
import { readEntry } from './zip-read.js';
import type { Budget } from './zip-read.js';

/**
 * Opens the bundle file (read-only, access time kept where permitted). Listing reads the end record, the
 * whole central directory and every local header; a worker that only reads entries skips all that, as each
 * listed file carries where its bytes lie.
 */
export async function openZip(file: string, limits: EvidenceLimits = DEFAULT_LIMITS): Promise<Evidence> {
  const abs = path.resolve(file);
  const guard = new AtimeGuard();
  const fd = guard.openFile(abs);
  const bytes = new Bytes(fd, fstatSync(fd).size);
  const budget: Budget = { used: 0, max: bundleCap(limits, bytes.size) };
  let listing: Promise<Item[]> | undefined;
  const list = () => (listing ??= listAll(bytes, limits));
  let byPath: Map<string, EvidenceFile> | undefined;
  let closed = false;
  return {
    kind: 'zip',
    root: abs,
    files: (onProblem: (p: Problem) => void) => each(list(), onProblem),
    open: async (f, limit, onProblem) => {
      let loc = f.zip;
      if (!loc) {
        // A file named by path alone: found through the listing, which every reader builds alike.
        byPath ??= new Map((await list()).flatMap((i) => ('file' in i ? [[i.file.path, i.file]] : [])));
        loc = byPath.get(f.path)?.zip;
        if (!loc) throw new Error(`no such entry in bundle: ${f.path}`);
      }
      if (closed) throw new Error('bundle closed');
      return readEntry(fd, f, loc, budget, limit, onProblem);
    },
    readMode: () => ({ noatime: guard.mode() }),
    close: () => {
      if (!closed) closeSync(fd);
      closed = true;
      return Promise.resolve();
    },
  };
}

async function listAll(bytes: Bytes, limits: EvidenceLimits): Promise<Item[]> {
  try {
    return await catalogue(bytes, limits);
  } catch (e) {
    // Reading the bundle itself failed (an I/O error): nothing of it can be vouched for.
    return [
      {
        problem: {
          code: 'zip.corrupt',
          message: `bundle could not be read: ${errText(e)}`,
          path: '.',
          severity: 'error',
        },
      },
    ];
  }
}

async function* each(items: Promise<Item[]>, onProblem: (p: Problem) => void): AsyncGenerator<EvidenceFile> {
  for (const item of await items) {
    if ('problem' in item) onProblem(item.problem);
    else yield item.file;
  }
}
