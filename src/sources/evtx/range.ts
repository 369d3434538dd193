// Renders a run of chunks straight from a file as JSON lines: the unit of work of `evtx dump`.
import fs from 'node:fs';
import { describeError } from './errors.js';
import { CHUNK_SIZE, FILE_HEADER_SIZE } from './header.js';
import type { EvtxLimits } from './limits.js';
import { readChunk, type EvtxIssue } from './read-chunk.js';
import { JsonOut } from './render/out.js';

export interface RangeJob {
  path: string;
  /** Index of the first chunk (0 is the chunk right after the file header). */
  first: number;
  count: number;
  verifyChecksums: boolean;
  /** The chunk count in the file header, when it can be believed (see `ChunkOptions`). */
  listedChunks: number | undefined;
  limits: EvtxLimits;
}

export interface RangeResult {
  /** UTF-8 JSON lines, one per readable record. */
  json: Uint8Array;
  records: number;
  /** Issues that are bad records (see `isBadRecord`), counted the way the scan path counts them. */
  badRecords: number;
  issues: EvtxIssue[];
}

const shared = new JsonOut(4 << 20);

const chunkOffset = (index: number): number => FILE_HEADER_SIZE + index * CHUNK_SIZE;

/**
 * Reads `job.count` chunks from `job.path` with one reusable 64 KiB buffer, so memory stays flat
 * however large the file. A record whose values fail to decode is reported and left out.
 */
export function renderRange(job: RangeJob): RangeResult {
  const issues: EvtxIssue[] = [];
  const buf = Buffer.allocUnsafe(CHUNK_SIZE);
  const out = shared;
  out.pos = 0;
  let records = 0;
  let badRecords = 0;
  const fd = fs.openSync(job.path, 'r');
  try {
    for (let i = job.first; i < job.first + job.count; i++) {
      const at = chunkOffset(i);
      const n = fs.readSync(fd, buf, 0, CHUNK_SIZE, at);
      if (n === 0) break;
      if (n < CHUNK_SIZE) {
        issues.push({
          code: 'evtx.truncated-chunk',
          message: `last chunk is cut short (expected ${CHUNK_SIZE} bytes, found ${n}); reading the records it holds`,
          offset: at,
          severity: 'warning',
        });
      }
      const result = readChunk(n < CHUNK_SIZE ? buf.subarray(0, n) : buf, at, issues, {
        verifyChecksums: job.verifyChecksums,
        index: i,
        listedChunks: job.listedChunks,
        limits: job.limits,
      });
      badRecords += result.badRecords;
      for (const e of result.events) {
        const mark = out.pos;
        try {
          e.writeJson(out);
          out.byte(0x0a);
          records++;
        } catch (err) {
          // Measured records render; this is a safety net, counted like any unreadable record.
          out.pos = mark;
          badRecords++;
          issues.push({
            code: 'evtx.bad-record',
            message: `event record ${e.ref.id}: ${describeError(err, at)}`,
            offset: e.offset,
            severity: 'error',
            recordId: e.ref.id,
            bytes: e.ref.size,
          });
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  // One output buffer is reused for every job of this thread; the caller gets its own exact copy,
  // which a worker can transfer (a fresh allocation, never Node's small-buffer pool).
  const json = new Uint8Array(out.pos);
  json.set(out.buf.subarray(0, out.pos));
  return { json, records, badRecords, issues };
}
