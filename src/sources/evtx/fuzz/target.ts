// Jazzer.js fuzz target for the EVTX reader (run by hand, see README.md; `npm test` never runs it).
import type { Problem } from '../../../core/problem.js';
import type { EvtxEvent } from '../event.js';
import { EvtxParser } from '../parser.js';
import { renderJson } from '../render/json.js';

interface Seen {
  json: string[];
  problems: Problem[];
}

function read(data: Buffer, piece: number): Seen {
  const seen: Seen = { json: [], problems: [] };
  const p = new EvtxParser(
    { path: 'fuzz.evtx' },
    {
      record: (r) => {
        const e = r as EvtxEvent;
        const line = e.json();
        if (Buffer.byteLength(line) > e.expandedBytes)
          throw new Error(`record ${e.ref.id}: JSON beyond its bound`);
        if (line !== renderJson(e.tree())) throw new Error(`record ${e.ref.id}: the two renderers differ`);
        e.text();
        if (e.error !== undefined)
          throw new Error(
            `record ${e.ref.id}: lazy decoding failed: ${e.error instanceof Error ? e.error.message : JSON.stringify(e.error)}`,
          );
        seen.json.push(line);
      },
      problem: (x) => {
        if (x.offset === undefined || x.offset > data.length) throw new Error(`${x.code} outside the file`);
        seen.problems.push(x);
      },
    },
  );
  for (let i = 0; i < data.length; i += piece) p.push(data.subarray(i, i + piece));
  p.end();
  return seen;
}

/**
 * Anything thrown is a finding: the reader threw, a record rendered beyond its bound or unlike the
 * other renderer, a problem lay outside the file, or reading in pieces changed the outcome.
 */
export function fuzz(data: Buffer): void {
  const whole = read(data, Math.max(data.length, 1));
  const pieces = read(data, 4099);
  if (JSON.stringify(whole) !== JSON.stringify(pieces))
    throw new Error('reading in pieces changed the outcome');
}
