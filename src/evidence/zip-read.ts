// Reads one zip entry: the raw bytes of its range, inflated, held to its declared size and checked by CRC-32.

import { read } from 'node:fs';
import { Readable } from 'node:stream';
import { createInflateRaw, crc32 } from 'node:zlib';
import type { Problem } from '../core/problem.js';
import { EvidenceError } from './types.js';
import type { EvidenceFile, ZipLocation } from './types.js';
import { hex } from './zip-format.js';

const RAW_CHUNK = 256 << 10;

/** Bytes inflated by one reader of a bundle (the main thread, or one worker), against one cap. */
export interface Budget {
  used: number;
  readonly max: number;
}

export function readEntry(
  fd: number,
  file: EvidenceFile,
  loc: ZipLocation,
  budget: Budget,
  limit?: number,
  onProblem?: (p: Problem) => void,
): Readable {
  return Readable.from(entryChunks(fd, file, loc, budget, limit, onProblem), { objectMode: false });
}

async function* entryChunks(
  fd: number,
  file: EvidenceFile,
  loc: ZipLocation,
  budget: Budget,
  limit: number | undefined,
  onProblem: ((p: Problem) => void) | undefined,
): AsyncGenerator<Buffer> {
  const declared = file.size;
  // A head read (discovery's first bytes) stops early and checks nothing: the full read checks everything.
  const want = limit === undefined ? Infinity : Math.min(limit, declared);
  // A reader that takes no problems gets the damage as an error once every byte was handed out: it is never
  // silent, whoever reads.
  let unheard: EvidenceError | undefined;
  const report = (code: string, message: string, bytes?: number) => {
    if (onProblem)
      onProblem({ code, message, path: file.path, severity: 'warning', ...(bytes ? { bytes } : {}) });
    else unheard ??= new EvidenceError(code, message);
  };
  const inflated = loc.method === 8 ? inflate(raw(fd, loc)) : undefined;
  const source = inflated ? inflated.chunks : raw(fd, loc);
  let out = 0;
  let crc = 0;
  for await (const chunk of source) {
    const room = Math.min(want, declared) - out;
    const c = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (budget.used + c.length > budget.max)
      throw new EvidenceError(
        'limit.zip-inflated',
        `this bundle has already inflated ${budget.used} bytes, the cap of ${budget.max}; the rest of this entry is not read`,
        out,
      );
    budget.used += c.length;
    out += c.length;
    if (limit === undefined) crc = crc32(c, crc);
    if (c.length) yield c;
    if (limit !== undefined && out >= want) return;
    if (c.length < chunk.length)
      // More data than the header declares: a lie (or damage) that would otherwise let it inflate without bound.
      throw new EvidenceError(
        'zip.size-mismatch',
        `entry inflates past its declared size of ${declared} bytes; read stopped there`,
        out,
      );
  }
  if (limit !== undefined) return;
  if (out < declared)
    report(
      'zip.size-mismatch',
      `entry holds ${out} bytes, not the ${declared} its header declares`,
      declared - out,
    );
  if (crc !== loc.crc32)
    report(
      'zip.crc-mismatch',
      `CRC-32 ${hex(crc)} of the bytes read is not the ${hex(loc.crc32)} the bundle records: damaged or altered`,
      out,
    );
  const rest = loc.compressedSize - (inflated ? inflated.consumed() : loc.compressedSize);
  if (rest > 0)
    report(
      'zip.unaccounted-bytes',
      `${rest} bytes after the end of the entry's compressed data were not read`,
      rest,
    );
  if (unheard) throw unheard;
}

/** The entry's compressed bytes, in chunks; a short read (the bundle shrank) is damage. */
async function* raw(fd: number, loc: ZipLocation): AsyncGenerator<Buffer> {
  for (let done = 0; done < loc.compressedSize;) {
    const len = Math.min(RAW_CHUNK, loc.compressedSize - done);
    const buf = Buffer.allocUnsafe(len);
    const n = await new Promise<number>((resolve, reject) =>
      read(fd, buf, 0, len, loc.data + done, (err, k) => (err ? reject(err) : resolve(k))),
    );
    if (n === 0)
      throw new EvidenceError(
        'zip.truncated',
        `the bundle ends inside this entry's data (${done} of ${loc.compressedSize} bytes read)`,
      );
    done += n;
    yield buf.subarray(0, n);
  }
}

/** Inflates lazily: the consumer's pace drives it, so a bomb is never inflated further than it is read. */
function inflate(src: AsyncGenerator<Buffer>): { chunks: AsyncGenerator<Buffer>; consumed: () => number } {
  const z = createInflateRaw({ chunkSize: 64 << 10 });
  const input = Readable.from(src, { objectMode: false });
  input.on('error', (e) => z.destroy(e));
  input.pipe(z);
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for await (const c of z) yield c as Buffer;
    } catch (e) {
      // zlib's own errors (Z_DATA_ERROR, Z_BUF_ERROR) are damage; a failed read stays what it is.
      const code = (e as { code?: unknown }).code;
      if (typeof code !== 'string' || !code.startsWith('Z_')) throw e;
      throw new EvidenceError(
        'zip.damaged',
        `compressed data is damaged: ${e instanceof Error ? e.message : String(e)}`,
      );
    } finally {
      input.destroy();
      z.destroy();
    }
  }
  return { chunks: chunks(), consumed: () => z.bytesWritten };
}
