// Parses a whole text or buffer with one source, collecting records and problems (tests and small inputs).

import type { Problem } from '../core/problem.js';
import type { LogRecord } from '../core/record.js';
import type { LineGate } from '../core/source.js';
import { SOURCES } from './registry.js';

export interface Parsed {
  records: LogRecord[];
  problems: Problem[];
  versions: { build: string; time?: string }[];
  /** Lines counted in place because the gate did not touch them, with their time range. */
  tallied: { records: number; firstTime?: string; lastTime?: string };
}

/** Feeds the input in `chunkSize` pieces, to exercise chunk edges the way a stream would. */
export function parseWith(
  source: string,
  path: string,
  input: string | Buffer,
  chunkSize = 1 << 16,
  gate?: LineGate,
): Parsed {
  const def = SOURCES.get(source);
  if (!def) throw new Error(`unknown source ${source}`);
  const out: Parsed = { records: [], problems: [], versions: [], tallied: { records: 0 } };
  const t = out.tallied;
  const parser = def.createParser(
    { path, ...(gate ? { gate } : {}) },
    {
      record: (r) => out.records.push(r),
      tally: (n, first, last) => {
        t.records += n;
        if (first !== undefined && (t.firstTime === undefined || first < t.firstTime)) t.firstTime = first;
        if (last !== undefined && (t.lastTime === undefined || last > t.lastTime)) t.lastTime = last;
      },
      problem: (p) => out.problems.push(p),
      version: (build, time) => out.versions.push({ build, ...(time ? { time } : {}) }),
    },
  );
  const buf = typeof input === 'string' ? Buffer.from(input) : input;
  for (let i = 0; i < buf.length; i += chunkSize) parser.push(buf.subarray(i, i + chunkSize));
  parser.end();
  return out;
}
