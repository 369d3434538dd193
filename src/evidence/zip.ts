// A .zip bundle as evidence, read in place (ZIP64 included) with unsafe names and zip bombs refused and reported.

import path from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import type { Problem } from '../core/problem.js';
import { errText } from './folder.js';
import { DEFAULT_LIMITS } from './types.js';
import type { Evidence, EvidenceFile, EvidenceLimits } from './types.js';

export async function openZip(file: string, limits: EvidenceLimits = DEFAULT_LIMITS): Promise<Evidence> {
  const abs = path.resolve(file);
  // decodeStrings is off so that one bad name is reported instead of aborting the whole bundle.
  const zip = await yauzl.openPromise(abs, { lazyEntries: true, autoClose: false, decodeStrings: false });
  const entries = new Map<string, Entry>();
  let listed = false;
  // A worker opens entries without listing first: the central directory is then read once, on first use.
  let ready: Promise<void> | undefined;
  const listOnce = () =>
    (ready ??= (async () => {
      for await (const _ of listEntries(zip, entries, limits, () => {}));
    })());
  return {
    kind: 'zip',
    root: abs,
    files: (onProblem) => {
      listed = true;
      return listEntries(zip, entries, limits, onProblem);
    },
    open: async (f, limit) => {
      if (!listed) await listOnce();
      const entry = entries.get(f.path);
      if (!entry) throw new Error(`no such entry in bundle: ${f.path}`);
      const stream = await zip.openReadStreamPromise(entry);
      return limit === undefined ? stream : cap(stream, limit);
    },
    close: () => Promise.resolve(zip.close()),
  };
}

async function* listEntries(
  zip: ZipFile,
  entries: Map<string, Entry>,
  limits: EvidenceLimits,
  onProblem: (p: Problem) => void,
): AsyncGenerator<EvidenceFile> {
  let total = 0;
  let count = 0;
  const queue: (Entry | Error | null)[] = [];
  let wake: (() => void) | undefined;
  const push = (v: Entry | Error | null) => {
    queue.push(v);
    wake?.();
  };
  zip.on('entry', (e: Entry) => push(e));
  zip.on('end', () => push(null));
  zip.on('error', (e: Error) => push(e));
  zip.readEntry();
  while (true) {
    if (queue.length === 0) await new Promise<void>((r) => (wake = r));
    wake = undefined;
    const item = queue.shift();
    if (item === null || item === undefined) return;
    if (item instanceof Error) {
      onProblem({
        code: 'zip.corrupt',
        message: `bundle could not be read further: ${errText(item)}`,
        path: '.',
        severity: 'error',
      });
      return;
    }
    const file = checkEntry(item, limits, total, count, onProblem);
    if (file) {
      total += item.uncompressedSize;
      count++;
      entries.set(file.path, item);
      yield file;
    }
    zip.readEntry();
  }
}

function checkEntry(
  e: Entry,
  limits: EvidenceLimits,
  total: number,
  count: number,
  onProblem: (p: Problem) => void,
): EvidenceFile | undefined {
  const raw = e.fileName as unknown as Buffer;
  const name = yauzl.getFileNameLowLevel(e.generalPurposeBitFlag, raw, e.extraFields, false);
  if (name.endsWith('/')) return undefined; // a folder entry
  const bad = yauzl.validateFileName(name);
  const refuse = (code: string, message: string) => {
    onProblem({ code, message, path: name, severity: 'error' });
    return undefined;
  };
  if (bad !== null) return refuse('zip.unsafe-path', `entry refused: ${bad}`);
  if (e.isEncrypted()) return refuse('zip.encrypted', 'entry is encrypted and cannot be read');
  if (count >= limits.maxEntries)
    return refuse('zip.too-many-entries', `entry limit of ${limits.maxEntries} reached; entry not read`);
  const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
  if (e.uncompressedSize > 1 << 20 && ratio > limits.maxRatio)
    return refuse(
      'zip.ratio',
      `compression ratio ${ratio.toFixed(0)}:1 exceeds the cap of ${limits.maxRatio}:1 (possible zip bomb); entry not read`,
    );
  if (total + e.uncompressedSize > limits.maxTotalBytes)
    return refuse(
      'zip.total-size',
      `bundle would expand past the cap of ${limits.maxTotalBytes} bytes (possible zip bomb); entry not read`,
    );
  return { path: name, size: e.uncompressedSize, modified: e.getLastModDate().toISOString() };
}

/** Ends a stream after `limit` bytes, for reading only the head of an entry. */
function cap(src: Readable, limit: number): Readable {
  let seen = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const room = limit - seen;
      seen += chunk.length;
      if (room <= 0) return done();
      done(null, chunk.length > room ? chunk.subarray(0, room) : chunk);
      if (seen >= limit) {
        src.unpipe(t);
        src.destroy();
        t.end();
      }
    },
  });
  return src.pipe(t);
}
