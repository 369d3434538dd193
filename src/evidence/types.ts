// What an opened evidence container offers: a list of files and read-only streams over them.

import type { Readable } from 'node:stream';
import type { Problem } from '../core/problem.js';

export interface EvidenceFile {
  /** Path relative to the evidence root, forward slashes, as the evidence spells it. */
  path: string;
  size: number;
  /** Last-write time, UTC ISO-8601, when the container keeps one. */
  modified?: string;
  /** Not a regular file (a FIFO, a device, a socket): listed so that it is counted as skipped, never read. */
  special?: 'fifo' | 'character-device' | 'block-device' | 'socket' | 'other';
}

export interface Evidence {
  kind: 'folder' | 'zip';
  /** Absolute path of the folder or zip file. */
  root: string;
  /** Every file in the container; refused entries become problems instead. */
  files(onProblem: (p: Problem) => void): AsyncIterable<EvidenceFile>;
  /** A read-only stream of the file's bytes, optionally only its first `limit` bytes. */
  open(file: EvidenceFile, limit?: number): Promise<Readable>;
  /**
   * The file's bytes read into `buf` again and again: each chunk is a view of `buf`, valid only until the
   * next one is asked for. For readers that copy what they keep; it spares a new buffer per chunk, which
   * on a large scan made the garbage collector the bottleneck. Optional: containers without it use `open`.
   */
  reuse?(file: EvidenceFile, buf: Buffer): AsyncIterable<Buffer>;
  close(): Promise<void>;
  /** Whether reading leaves access times alone (Linux `O_NOATIME`, where permitted). */
  readMode?(): ReadMode;
}

export interface ReadMode {
  noatime: 'used' | 'not-permitted' | 'not-supported' | 'not-applicable';
  note: string;
}

/** Caps that protect the scan from hostile or broken containers; each one hit is reported. */
export interface EvidenceLimits {
  /** Total uncompressed bytes a zip bundle may expand to. */
  maxTotalBytes: number;
  /** Largest allowed ratio of uncompressed to compressed size for one zip entry. */
  maxRatio: number;
  /** Most entries read from one zip bundle. */
  maxEntries: number;
}

export const DEFAULT_LIMITS: EvidenceLimits = {
  maxTotalBytes: 256 * 1024 ** 3,
  maxRatio: 200,
  maxEntries: 2_000_000,
};
