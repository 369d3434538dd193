// Test helper: a text log through one source in given chunks, with what came out and where every line went.

import assert from 'node:assert/strict';
import type { Problem } from '../../../core/problem.js';
import type { LineGate } from '../../../core/source.js';
import { SOURCES } from '../../registry.js';
import type { LineAccount } from '../gated-lines.js';
import type { TextParser } from '../text-parser.js';

export interface Fed {
  records: { line: number; time: string | undefined; text: string; offset: number | undefined }[];
  problems: Problem[];
  /** Lines counted in place, with the earliest and latest time among them. */
  tallied: { records: number; first?: string; last?: string };
  versions: string[];
  account: LineAccount;
  lines: number;
}

/** Chunk sizes to cut an input into: every piece has the next size, round and round. */
export type Chunking = readonly number[];

/** Feeds `input` to a new parser of `source` cut as `chunking` says (empty: one chunk). */
export function feed(source: string, input: Buffer, chunking: Chunking = [], gate?: LineGate): Fed {
  const def = SOURCES.get(source);
  if (!def) throw new Error(`unknown source ${source}`);
  const out: Omit<Fed, 'account' | 'lines'> = {
    records: [],
    problems: [],
    tallied: { records: 0 },
    versions: [],
  };
  const t = out.tallied;
  const parser = def.createParser(
    { path: 'logs/x.log', ...(gate ? { gate } : {}) },
    {
      record: (r) => {
        // Every field, and the derived ones, must be readable on any record without throwing.
        for (const name of [...r.fieldNames(), 'Uri', 'cs-uri', 'CMD', 'URL', 'NoSuchField']) r.get(name);
        out.records.push({ line: r.line, time: r.time, text: r.text(), offset: r.offset });
      },
      problem: (p) => out.problems.push(p),
      tally: (n, first, last) => {
        t.records += n;
        if (first !== undefined && (t.first === undefined || first < t.first)) t.first = first;
        if (last !== undefined && (t.last === undefined || last > t.last)) t.last = last;
      },
      version: (build) => out.versions.push(build),
    },
  ) as TextParser;
  if (chunking.length === 0) parser.push(Buffer.from(input));
  for (let i = 0, k = 0; chunking.length > 0 && i < input.length; k++) {
    const n = Math.max(1, chunking[k % chunking.length]!);
    // A copy, overwritten after the call, as the engine reuses its read buffer.
    const piece = Buffer.from(input.subarray(i, i + n));
    parser.push(piece);
    piece.fill(0x41);
    i += n;
  }
  parser.end();
  return { ...out, account: { ...parser.account }, lines: parser.lines };
}

/** Every line ended as exactly one of: a record, a directive/header/blank line, a located problem. */
export function assertAccounted(f: Fed, expectedLines?: number, msg = ''): void {
  const a = f.account;
  if (expectedLines !== undefined) assert.equal(f.lines, expectedLines, `lines read ${msg}`);
  assert.equal(
    a.plain + a.blank + a.dropped + a.handed,
    f.lines,
    `kernel's account ${JSON.stringify(a)} ${msg}`,
  );
  assert.equal(a.records + a.ignored + a.problems, a.handed, `parser's account ${JSON.stringify(a)} ${msg}`);
  assert.equal(f.tallied.records, a.plain, msg);
  assert.ok(f.records.length <= a.records, `records ${f.records.length} > record lines ${a.records} ${msg}`);
  // Each line that ended as a problem has one located problem (multi-line records: on their first line).
  const located = new Set(f.problems.filter((p) => p.line !== undefined).map((p) => p.line));
  if (a.problems + a.dropped > 0) assert.ok(located.size > 0, `problem lines without problems ${msg}`);
}

/** Lines in a text as the readers split it: at LF, CRLF or CR; a last line without an end counts. */
export function countLines(text: string): number {
  const ends = text.match(/\r\n|\r|\n/g)?.length ?? 0;
  return ends + (/(\r\n|\r|\n)$/.test(text) || text.length === 0 ? 0 : 1);
}

/** What must be the same in every chunking: the records, the problems, the tallies, the versions. */
export function outcome(f: Fed): unknown {
  return {
    records: f.records,
    problems: f.problems,
    tallied: f.tallied,
    versions: f.versions,
    account: f.account,
  };
}

/** The same, without what depends on the file's encoding (offsets, byte counts, encoding names). */
export function decodedOutcome(f: Fed): unknown {
  return {
    records: f.records.map(({ line, time, text }) => ({ line, time, text })),
    problems: f.problems.map((p) => [p.code, p.line, p.severity]),
    tallied: f.tallied,
    versions: f.versions,
    account: f.account,
  };
}

/** The text in UTF-16 (LE or BE), with a byte-order mark or without. */
export function utf16(text: string, bigEndian: boolean, bom: boolean): Buffer {
  const le = Buffer.from((bom ? '\ufeff' : '') + text, 'utf16le');
  return bigEndian ? le.swap16() : le;
}
