// Test support: one EVTX file through the scan path (push parser) and the dump path, in comparable form.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Problem } from '../../../core/problem.js';
import { dumpFiles } from '../dump.js';
import type { EvtxEvent } from '../event.js';
import type { EvtxLimits } from '../limits.js';
import { EvtxParser } from '../parser.js';

interface SeenProblem {
  code: string;
  offset: number | undefined;
  severity: string;
}

export interface PathResult {
  /** JSON lines of the records read, in order. */
  json: string[];
  problems: SeenProblem[];
  /** Bad records as each path counts them (the scan path: `error` problems with a line). */
  badRecords: number;
}

export type ScanResult = PathResult & { raw: Problem[] };

/** The scan path: the push parser fed `data` in pieces of `piece` bytes (or the given sizes, cycled). */
export function scanPath(
  data: Buffer,
  piece: number | readonly number[] = data.length,
  limits?: EvtxLimits,
): ScanResult {
  const json: string[] = [];
  const raw: Problem[] = [];
  const p = new EvtxParser(
    { path: 'x.evtx' },
    { record: (r) => json.push((r as EvtxEvent).json()), problem: (x) => raw.push(x) },
    limits,
  );
  const sizes = typeof piece === 'number' ? [Math.max(piece, 1)] : piece.map((n) => Math.max(n, 1));
  for (let i = 0, k = 0; i < data.length; k++) {
    const n = sizes[k % sizes.length]!;
    p.push(data.subarray(i, i + n));
    i += n;
  }
  p.end();
  return {
    json,
    raw,
    problems: raw.map((x) => ({ code: x.code, offset: x.offset, severity: x.severity })),
    badRecords: raw.filter((x) => x.severity === 'error' && x.line !== undefined).length,
  };
}

let dir: string | undefined;
let n = 0;

/** A temporary file holding `data`, in one folder per process that tests may leave behind in /tmp. */
function tempFile(data: Buffer, name = 'x.evtx'): string {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'exhunt-evtx-both-'));
  const sub = path.join(dir, String(n++));
  fs.mkdirSync(sub);
  const file = path.join(sub, name);
  fs.writeFileSync(file, data);
  return file;
}

const LINE = /^(.*)@(\d+): (error|warning) (\S+): /;

interface DumpPathOptions {
  threads?: number;
  chunksPerJob?: number;
  limits?: EvtxLimits;
}

/** The dump path (`dumpFiles`, as `exhunt evtx dump` runs it) on a file holding `data`. */
export function dumpPath(data: Buffer, opts: DumpPathOptions = {}): Promise<PathResult & { stderr: string }> {
  return dumpFile(tempFile(data), opts);
}

/** The dump path on `file` as it is. */
export async function dumpFile(
  file: string,
  opts: DumpPathOptions = {},
): Promise<PathResult & { stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  out.on('data', (c: Buffer) => o.push(c));
  err.on('data', (c: Buffer) => e.push(c));
  const stats = await dumpFiles([file], { out, err, threads: opts.threads ?? 1, ...opts });
  const stderr = Buffer.concat(e).toString('utf8');
  const problems: SeenProblem[] = [];
  for (const line of stderr.split('\n')) {
    const m = LINE.exec(line);
    if (m) problems.push({ code: m[4]!, offset: Number(m[2]), severity: m[3]! });
  }
  const text = Buffer.concat(o).toString('utf8');
  return {
    json: text === '' ? [] : text.replace(/\n$/, '').split('\n'),
    problems,
    badRecords: stats.badRecords,
    stderr,
  };
}

/** Problems in a canonical order, to compare the two paths (which report in different orders). */
export const sorted = (ps: readonly SeenProblem[]): SeenProblem[] =>
  [...ps].sort((a, b) => (a.offset ?? -1) - (b.offset ?? -1) || a.code.localeCompare(b.code));
