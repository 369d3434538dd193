// `evtx dump`: every record of every file as JSON lines, chunks rendered in parallel, output in order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatLocation } from '../../core/problem.js';
import { describeError } from './errors.js';
import { CHUNK_SIZE, FILE_HEADER_SIZE, FLAG_NO_CRC32, readFileHeader } from './header.js';
import { RangePool } from './pool.js';
import { renderRange, type RangeJob, type RangeResult } from './range.js';
import type { EvtxIssue } from './read-chunk.js';

export interface DumpOptions {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Worker threads; 1 renders in this thread. Defaults to the number of cores. */
  threads?: number;
  /** Chunks per unit of work handed to a worker. */
  chunksPerJob?: number;
}

export interface DumpStats {
  files: number;
  records: number;
  badRecords: number;
  errors: number;
}

/** Files named on the command line, and every `*.evtx` below the folders named, in a stable order. */
export function expandPaths(
  paths: readonly string[],
  err: NodeJS.WritableStream,
): { files: string[]; missing: number } {
  const files: string[] = [];
  let missing = 0;
  const walk = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.evtx')) files.push(p);
    }
  };
  for (const p of paths) {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) {
      err.write(`${p}: no such file or folder\n`);
      missing++;
    } else if (st.isDirectory()) walk(p);
    else files.push(p);
  }
  return { files, missing };
}

function report(err: NodeJS.WritableStream, file: string, issues: readonly EvtxIssue[]): number {
  let errors = 0;
  for (const i of issues) {
    if (i.severity === 'error') errors++;
    err.write(`${formatLocation({ path: file, offset: i.offset })}: ${i.severity} ${i.code}: ${i.message}\n`);
  }
  return errors;
}

async function write(out: NodeJS.WritableStream, data: Uint8Array): Promise<void> {
  if (data.length === 0) return;
  if (!out.write(data)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

/** The jobs for one file, after checking its header (reported, never fatal: chunks are read anyway). */
function planFile(
  file: string,
  perJob: number,
  err: NodeJS.WritableStream,
): { jobs: RangeJob[]; errors: number } {
  const size = fs.statSync(file).size;
  const head = Buffer.alloc(FILE_HEADER_SIZE);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, FILE_HEADER_SIZE, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (size < FILE_HEADER_SIZE) {
    return {
      jobs: [],
      errors: report(err, file, [
        {
          code: 'evtx.truncated',
          message: `file is shorter than its header (expected ${FILE_HEADER_SIZE} bytes, found ${size})`,
          offset: 0,
          severity: 'error',
        },
      ]),
    };
  }
  const { header, issues } = readFileHeader(head);
  const errors = report(err, file, issues);
  const chunks = Math.ceil((size - FILE_HEADER_SIZE) / CHUNK_SIZE);
  const verifyChecksums = !(header.flags & FLAG_NO_CRC32);
  const jobs: RangeJob[] = [];
  for (let first = 0; first < chunks; first += perJob)
    jobs.push({
      path: file,
      first,
      count: Math.min(perJob, chunks - first),
      verifyChecksums,
      listedChunks: header.chunkCount,
    });
  return { jobs, errors };
}

/**
 * Dumps `files` to `opts.out`. Jobs go to the workers ahead of the writer, at most a few per worker,
 * so memory is bounded by that window whatever the size of the files.
 */
export async function dumpFiles(files: readonly string[], opts: DumpOptions): Promise<DumpStats> {
  const threads = Math.max(1, opts.threads ?? os.availableParallelism());
  const perJob = opts.chunksPerJob ?? 16;
  const stats: DumpStats = { files: 0, records: 0, badRecords: 0, errors: 0 };
  const pool = threads > 1 ? new RangePool(threads) : undefined;
  const run = (job: RangeJob): Promise<RangeResult> =>
    pool ? pool.run(job) : Promise.resolve().then(() => renderRange(job));
  // One stream of jobs across all files, so many small files keep every worker busy too.
  function* jobs(): Generator<RangeJob> {
    for (const file of files) {
      let plan: { jobs: RangeJob[]; errors: number };
      try {
        plan = planFile(file, perJob, opts.err);
      } catch (e) {
        opts.err.write(`${file}: error evtx.unreadable: ${describeError(e, 0)}\n`);
        stats.errors++;
        continue;
      }
      stats.files++;
      stats.errors += plan.errors;
      yield* plan.jobs;
    }
  }
  const source = jobs();
  const window = threads * 3;
  const pending: { job: RangeJob; result: Promise<RangeResult> }[] = [];
  const fill = (): void => {
    while (pending.length < window) {
      const next = source.next();
      if (next.done) return;
      pending.push({ job: next.value, result: run(next.value) });
    }
  };
  try {
    fill();
    while (pending.length > 0) {
      const { job, result } = pending.shift()!;
      const r = await result;
      fill();
      await write(opts.out, r.json);
      stats.records += r.records;
      stats.badRecords += r.badRecords;
      stats.errors += report(opts.err, job.path, r.issues);
    }
  } finally {
    await pool?.close();
  }
  return stats;
}
