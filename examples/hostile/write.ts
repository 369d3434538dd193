// Writes a hostile case to disk: a folder (names as raw bytes, FIFOs made with mkfifo) or one zip bundle.

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HostileCase } from './case.js';

/** Writes `c` under `out` and returns the evidence path to scan (a folder, or the zip bundle). */
export function writeCase(c: HostileCase, out: string): string {
  const files = c.build();
  if (files.zip) {
    mkdirSync(out, { recursive: true });
    const zip = path.join(out, `${c.id}.zip`);
    writeFileSync(zip, files.zip);
    return zip;
  }
  const root = path.join(out, c.id);
  mkdirSync(root, { recursive: true });
  for (const [rel, data] of files.files) {
    const raw = Buffer.isBuffer(rel) ? rel : Buffer.from(rel);
    const slash = raw.lastIndexOf(0x2f);
    if (slash > 0) mkdirSync(path.join(root, raw.subarray(0, slash).toString('latin1')), { recursive: true });
    // A Buffer path keeps bytes that are not UTF-8 as they are.
    writeFileSync(Buffer.concat([Buffer.from(root + '/'), raw]), data);
  }
  for (const fifo of files.fifos ?? []) {
    mkdirSync(path.dirname(path.join(root, fifo)), { recursive: true });
    execFileSync('mkfifo', [path.join(root, fifo)]);
  }
  return root;
}
