// What an opened evidence container offers: a list of files and read-only streams over them.

import type { Readable } from 'node:stream';
import type { Problem } from '../core/problem.js';

export interface EvidenceFile {
  /**
   * Path relative to the evidence root, forward slashes: the display path every report shows. In a folder,
   * names that are not valid UTF-8 show each stray byte as `\xNN` and a literal backslash as `\\` (see
   * `display-path.ts`); in a zip bundle, a second entry with a name already taken is listed as `#2/name` (`#3/name`, ...)
   */
  path: string;
  size: number;
  /** Last-write time, UTC ISO-8601, when the container keeps one. */
  modified?: string;
  /** Not a regular file (a FIFO, a device, a socket): listed so that it is counted as skipped, never read. */
  special?: 'fifo' | 'character-device' | 'block-device' | 'socket' | 'other';
  /** Where a zip entry's bytes lie in the bundle, so that a worker opens it without listing the bundle. */
  zip?: ZipLocation;
}

export interface ZipLocation {
  /** Byte offset of the entry's local header. */
  header: number;
  /** Byte offset of its compressed data, and how many bytes that data takes. */
  data: number;
  compressedSize: number;
  /** 0 stored, 8 deflated: the only methods listed (others are refused and reported). */
  method: 0 | 8;
  crc32: number;
}

/** Whether reading left access times alone (Linux `O_NOATIME`). */
export type NoatimeMode =
  /** Every file opened so far was opened with `O_NOATIME` (also when none was opened yet). */
  | 'used'
  /** At least one file was opened without it: the process neither owns it nor has CAP_FOWNER. */
  | 'not-permitted'
  /** The platform has no `O_NOATIME` (not Linux). */
  | 'not-supported'
  /** Nothing of the kind applies. */
  | 'not-applicable';

export interface ReadMode {
  /**
   * Files of a folder, or the bundle file of a zip (its entries have no access time of their own). Folders
   * themselves are listed with `opendir`, which takes no flags: listing may update their access time.
   */
  noatime: NoatimeMode;
}

export interface Evidence {
  kind: 'folder' | 'zip';
  /** Absolute path of the folder or zip file. */
  root: string;
  /** Every file in the container; refused entries become problems instead. */
  files(onProblem: (p: Problem) => void): AsyncIterable<EvidenceFile>;
  /**
   * A read-only stream of the file's bytes, optionally only its first `limit` bytes. Damage found while
   * reading that does not stop the read (a zip entry's CRC-32, a size that disagrees with its header) goes
   * to `onProblem`; without one, the stream fails with it after the last byte. Damage that stops the read
   * is an `EvidenceError` thrown by the stream.
   */
  open(file: EvidenceFile, limit?: number, onProblem?: (p: Problem) => void): Promise<Readable>;
  /**
   * The file's bytes read into `buf` again and again: each chunk is a view of `buf`, valid only until the
   * next one is asked for. For readers that copy what they keep; it spares a new buffer per chunk, which
   * on a large scan made the garbage collector the bottleneck. Optional: containers without it use `open`.
   */
  reuse?(file: EvidenceFile, buf: Buffer): AsyncIterable<Buffer>;
  /** The file's path on the local file system, when it has one that a string can spell (folders only). */
  localPath?(file: EvidenceFile): string | undefined;
  /** How this process has been reading the evidence so far (each worker thread opens its own). */
  readMode(): ReadMode;
  close(): Promise<void>;
}

/** The worse of two modes: what a report says when several threads read the same evidence. */
export function worseNoatime(a: NoatimeMode, b: NoatimeMode): NoatimeMode {
  const rank: NoatimeMode[] = ['not-applicable', 'used', 'not-supported', 'not-permitted'];
  return rank.indexOf(a) >= rank.indexOf(b) ? a : b;
}

/** Damage or a limit that stopped a read: the reader turns it into a located problem with this code. */
export class EvidenceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Byte offset in the file where reading stopped. */
    readonly offset?: number,
  ) {
    super(message);
  }
}

/** Caps that protect the scan from hostile or broken containers; each one hit is reported. */
export interface EvidenceLimits {
  /**
   * Total uncompressed bytes a zip bundle may expand to: checked against the declared sizes of the entries
   * listed, and again against the bytes actually inflated by each reader (main thread or worker). A bundle
   * is also held to `maxRatio` times its own size, plus 64 MiB, over all its entries (zip-entries.ts).
   */
  maxTotalBytes: number;
  /** Largest allowed ratio of uncompressed to compressed size for one zip entry over 1 MiB. */
  maxRatio: number;
  /** Most entries read from one zip bundle. */
  maxEntries: number;
}

export const DEFAULT_LIMITS: EvidenceLimits = {
  maxTotalBytes: 256 * 1024 ** 3,
  maxRatio: 200,
  maxEntries: 2_000_000,
};
