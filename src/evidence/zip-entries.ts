// From the entries a bundle holds to the files exhunt reads: unique names, and every refusal reported.

import type { Problem } from '../core/problem.js';
import type { EvidenceFile, EvidenceLimits } from './types.js';
import type { CentralEntry } from './zip-format.js';
import { isEncrypted, modifiedOf, nameOf, unsafeName } from './zip-format.js';

export type Item = { file: EvidenceFile } | { problem: Problem };

/** An entry of the central directory, or one recovered from a local header alone. */
export interface Candidate {
  /** Listing order: central directory entries first, in their order, then recovered ones by offset. */
  order: number;
  /** Position in the central directory; -1 when recovered. */
  index: number;
  header: number;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  name: Buffer;
  extra: Buffer;
  dosTime: number;
  dosDate: number;
  /** Offset of the data, and of the byte after the entry (data descriptor included). */
  data?: number;
  end?: number;
  central?: CentralEntry;
  refusal?: { code: string; message: string };
  /** Said about the entry, which is read all the same. */
  notes: { code: string; message: string; severity: Problem['severity'] }[];
}

interface Sink {
  add(p: Problem): void;
  readonly items: Item[];
}

const METHODS: Record<number, string> = {
  9: 'Deflate64',
  12: 'bzip2',
  14: 'LZMA',
  93: 'Zstandard',
  95: 'XZ',
  98: 'PPMd',
};
/** Entries up to this size are not held to the compression-ratio cap (a small file of zeros is no bomb). */
const RATIO_FREE = 1 << 20;
/** What a whole bundle may inflate to beyond `maxRatio` times its own size (small bundles of text logs). */
export const BUNDLE_RATIO_FREE = 64 << 20;

/**
 * The most a bundle of `size` bytes may inflate to: the configured cap, and `maxRatio` times its size (plus
 * an allowance), so that many small entries, each exempt from the per-entry ratio, cannot add up to a bomb
 * (a 2.9 MB bundle of small entries once made a worker read 2.1 GB). Exchange logs compress about 20:1.
 */
export function bundleCap(limits: EvidenceLimits, size: number): number {
  return Math.min(limits.maxTotalBytes, BUNDLE_RATIO_FREE + limits.maxRatio * size);
}

export function finish(cands: Candidate[], limits: EvidenceLimits, sink: Sink, bundleSize: number): void {
  const taken = new Map<string, number>();
  let listed = 0;
  let total = 0;
  const cap = bundleCap(limits, bundleSize);
  const capText =
    cap < limits.maxTotalBytes
      ? `${cap} bytes (${limits.maxRatio} times the bundle's ${bundleSize} bytes, plus ${BUNDLE_RATIO_FREE})`
      : `${cap} bytes`;
  for (const c of [...cands].sort((a, b) => a.order - b.order)) {
    const decoded = nameOf(c.flags, c.name, c.extra);
    // A folder entry carries no data; one that does is reported rather than silently skipped.
    if (decoded.endsWith('/') && c.compressedSize === 0 && c.uncompressedSize === 0 && !c.refusal) continue;
    const name = unique(decoded, taken);
    const where = c.index >= 0 ? `central directory entry ${c.index}` : `entry at offset ${c.header}`;
    if (name !== decoded)
      sink.add({
        code: 'zip.duplicate-name',
        message: `another entry is also named "${decoded}" (${where}); this one is listed as "${name}" and read too`,
        path: name,
        severity: 'warning',
      });
    const refuse = (code: string, message: string, severity: Problem['severity'] = 'error') =>
      sink.add({ code, message, path: name, bytes: c.uncompressedSize, severity });
    const bad = unsafeName(decoded);
    if (decoded.endsWith('/'))
      refuse('zip.bad-entry', `folder entry holding ${c.compressedSize} bytes; not read`);
    else if (bad) refuse('zip.unsafe-path', `entry refused: ${bad}`);
    else if (isEncrypted(c.flags)) refuse('zip.encrypted', 'entry is encrypted and cannot be read');
    else if (c.method !== 0 && c.method !== 8)
      refuse(
        'zip.unsupported-method',
        `compression method ${c.method}${METHODS[c.method] ? ` (${METHODS[c.method]})` : ''} is not supported; entry not read`,
      );
    else if (c.refusal) refuse(c.refusal.code, c.refusal.message);
    else if (listed >= limits.maxEntries)
      refuse('zip.too-many-entries', `entry limit of ${limits.maxEntries} reached; entry not read`, 'limit');
    else if (
      c.uncompressedSize > RATIO_FREE &&
      c.uncompressedSize / Math.max(1, c.compressedSize) > limits.maxRatio
    )
      refuse(
        'zip.ratio',
        `compression ratio ${(c.uncompressedSize / Math.max(1, c.compressedSize)).toFixed(0)}:1 exceeds the cap of ${limits.maxRatio}:1 (possible zip bomb); entry not read`,
        'limit',
      );
    else if (total + c.uncompressedSize > cap)
      refuse(
        'zip.total-size',
        `bundle would expand past the cap of ${capText} after ${total} bytes (possible zip bomb); entry not read`,
        'limit',
      );
    else {
      for (const n of c.notes) sink.add({ ...n, path: name });
      listed++;
      total += c.uncompressedSize;
      const modified = modifiedOf(c.extra, c.dosDate, c.dosTime);
      sink.items.push({
        file: {
          path: name,
          size: c.uncompressedSize,
          ...(modified ? { modified } : {}),
          zip: {
            header: c.header,
            data: c.data!,
            compressedSize: c.compressedSize,
            method: c.method,
            crc32: c.crc32,
          },
        },
      });
    }
  }
}

/**
 * The name, or `#2/name`, `#3/name`, ... when taken: decided in listing order, so every reader agrees. A
 * prefix, not a suffix: the path stays whole after it, so rules that know a file by its folder, name or
 * extension (`.../W3SVC1/u_ex230101.log`, `bin/ExSetup.exe`) still read the second copy.
 */
function unique(name: string, taken: Map<string, number>): string {
  // The map remembers, for each name, the next number to try: a million entries of one name stay linear.
  let out = name;
  let k = taken.get(name) ?? 2;
  while (taken.has(out)) out = `#${k++}/${name}`;
  taken.set(name, k);
  if (out !== name) taken.set(out, 2);
  return out;
}
