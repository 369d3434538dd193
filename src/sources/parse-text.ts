// Parses a whole text or buffer with one source, collecting records and problems (tests and small inputs).

import type { Problem } from '../core/problem.js';
import type { LogRecord } from '../core/record.js';
import { SOURCES } from './registry.js';

export interface Parsed {
  records: LogRecord[];
  problems: Problem[];
  versions: { build: string; time?: string }[];
}

/** Feeds the input in `chunkSize` pieces, to exercise chunk edges the way a stream would. */
export function parseWith(source: string, path: string, input: string | Buffer, chunkSize = 1 << 16): Parsed {
  const def = SOURCES.get(source);
  if (!def) throw new Error(`unknown source ${source}`);
  const out: Parsed = { records: [], problems: [], versions: [] };
  const parser = def.createParser(
    { path },
    {
      record: (r) => out.records.push(r),
      problem: (p) => out.problems.push(p),
      version: (build, time) => out.versions.push({ build, ...(time ? { time } : {}) }),
    },
  );
  const buf = typeof input === 'string' ? Buffer.from(input) : input;
  for (let i = 0; i < buf.length; i += chunkSize) parser.push(buf.subarray(i, i + chunkSize));
  parser.end();
  return out;
}
