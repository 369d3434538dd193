// `evtx dump`: every record of every file as JSON lines, chunks rendered in parallel, output in order.
import fs from 'node:fs';
import os from 'node:os';
import { formatLocation } from '../../core/problem.js';
import { describeError } from './errors.js';
import { CHUNK_SIZE, FILE_HEADER_SIZE, fileFacts, missingChunks, type HeaderIssue } from './header.js';
import { DEFAULT_EVTX_LIMITS, type EvtxLimits } from './limits.js';
import { RangePool } from './pool.js';
import { renderRange, type RangeJob, type RangeResult } from './range.js';
import type { EvtxIssue } from './read-chunk.js';
import { dumpStream } from './stream.js';
import { walkEvtx, type WalkFs } from './walk.js';

export interface DumpOptions {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Worker threads; 1 renders in this thread. Defaults to the number of cores. */
  threads?: number;
  /** Chunks per unit of work handed to a worker. */
  chunksPerJob?: number;
  limits?: EvtxLimits;
  /** How long a named pipe may wait for its writer (default 10 s). */
  fifoWaitMs?: number;
}

interface DumpStats {
  files: number;
  records: number;
  badRecords: number;
  errors: number;
}

/** Files named on the command line, and every `*.evtx` below the folders named, in a stable order. */
export function expandPaths(
  paths: readonly string[],
  err: NodeJS.WritableStream,
  fsApi?: WalkFs,
): { files: string[]; missing: number; errors: number } {
  const files: string[] = [];
  let missing = 0;
  let errors = 0;
  for (const p of paths) {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) {
      err.write(`${p}: no such file or folder\n`);
      missing++;
    } else if (st.isDirectory()) {
      const r = walkEvtx(
        p,
        (line, severity) => {
          if (severity === 'error') errors++;
          err.write(line + '\n');
        },
        fsApi,
      );
      files.push(...r);
    } else files.push(p);
  }
  return { files, missing, errors };
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

/** A regular file is split into chunk ranges; a named pipe is read in order, as a stream. */
type Job = { kind: 'range'; job: RangeJob } | { kind: 'stream'; path: string };

/** The jobs for one file, after checking its header (reported, never fatal: chunks are read anyway). */
function planFile(
  file: string,
  perJob: number,
  limits: EvtxLimits,
  err: NodeJS.WritableStream,
): { jobs: Job[]; errors: number } {
  // Never open what is not a regular file: opening a named pipe blocks until a writer comes.
  const st = fs.statSync(file);
  if (st.isFIFO()) return { jobs: [{ kind: 'stream', path: file }], errors: 0 };
  if (!st.isFile()) {
    const issue: HeaderIssue = {
      code: 'evtx.not-a-file',
      message: 'not a regular file or named pipe (a device or socket); not read',
      offset: 0,
      severity: 'error',
    };
    return { jobs: [], errors: report(err, file, [issue]) };
  }
  const head = Buffer.alloc(FILE_HEADER_SIZE);
  const fd = fs.openSync(file, 'r');
  let size: number;
  try {
    size = fs.fstatSync(fd).size;
    fs.readSync(fd, head, 0, FILE_HEADER_SIZE, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (size < FILE_HEADER_SIZE) {
    const issue: HeaderIssue = {
      code: 'evtx.truncated',
      message: `file ends inside its header (expected ${FILE_HEADER_SIZE} bytes, found ${size})`,
      offset: 0,
      severity: 'error',
    };
    return { jobs: [], errors: report(err, file, [issue]) };
  }
  const facts = fileFacts(head);
  const missing = missingChunks(facts.listedChunks, size);
  const errors = report(err, file, missing ? [...facts.issues, missing] : facts.issues);
  const chunks = Math.ceil((size - FILE_HEADER_SIZE) / CHUNK_SIZE);
  const jobs: Job[] = [];
  for (let first = 0; first < chunks; first += perJob)
    jobs.push({
      kind: 'range',
      job: {
        path: file,
        first,
        count: Math.min(perJob, chunks - first),
        verifyChecksums: facts.verifyChecksums,
        listedChunks: facts.listedChunks,
        limits,
      },
    });
  return { jobs, errors };
}

const NOTHING: RangeResult = { json: new Uint8Array(0), records: 0, badRecords: 0, issues: [] };

/**
 * Dumps `files` to `opts.out`. Jobs go to the workers ahead of the writer, at most a few per worker,
 * so memory is bounded by that window whatever the size of the files.
 */
export async function dumpFiles(files: readonly string[], opts: DumpOptions): Promise<DumpStats> {
  const threads = Math.max(1, opts.threads ?? os.availableParallelism());
  const perJob = opts.chunksPerJob ?? 16;
  const limits = opts.limits ?? DEFAULT_EVTX_LIMITS;
  const stats: DumpStats = { files: 0, records: 0, badRecords: 0, errors: 0 };
  const pool = threads > 1 ? new RangePool(threads) : undefined;
  const run = (job: Job): Promise<RangeResult> => {
    if (job.kind === 'stream') return Promise.resolve(NOTHING); // read when its turn comes
    return pool ? pool.run(job.job) : Promise.resolve().then(() => renderRange(job.job));
  };
  // One stream of jobs across all files, so many small files keep every worker busy too.
  function* jobs(): Generator<Job> {
    for (const file of files) {
      let plan: { jobs: Job[]; errors: number };
      try {
        plan = planFile(file, perJob, limits, opts.err);
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
  const pending: { job: Job; result: Promise<RangeResult> }[] = [];
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
      if (job.kind === 'stream') {
        const s = await dumpStream(job.path, {
          out: opts.out,
          err: opts.err,
          limits,
          writerWaitMs: opts.fifoWaitMs ?? 10000,
        });
        stats.records += s.records;
        stats.badRecords += s.badRecords;
        stats.errors += s.errors;
        continue;
      }
      await write(opts.out, r.json);
      stats.records += r.records;
      stats.badRecords += r.badRecords;
      stats.errors += report(opts.err, job.job.path, r.issues);
    }
  } finally {
    await pool?.close();
  }
  return stats;
}
