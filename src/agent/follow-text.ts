// Follows one text log (IIS W3C, Exchange CSV logs) as it is written: reads what was appended up to the
// last whole line, runs the scan's matchers on the new records, and notices a file replaced under the same
// name (another file id, a shrink, other first bytes), which is then read again from its start.

import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import type { DetectorContext, Hit } from '../core/detector.js';
import type { Finding } from '../core/finding.js';
import type { Parser } from '../core/record.js';
import type { CorrelationEvent } from '../engine/correlate.js';
import { SOURCES } from '../sources/registry.js';
import type { AgentRules } from './rules.js';
import { hitToFinding } from './rules.js';
import type { Loss, TextFileState } from './state.js';

/** A finding with the record it came from (its line, or its EVTX record id). */
export interface FoundItem {
  record: number | string;
  fileKey: string;
  source: string;
  family: string;
  finding: Finding;
  correlation?: CorrelationEvent & { path: string; source: string };
}

const HEAD = 64;
const CHUNK = 1 << 20;

export function newTextState(
  rel: string,
  task: { source: string; reader?: string; family: string },
  st: Stats,
): TextFileState {
  return {
    key: fileKey(rel, st, 0),
    source: task.source,
    ...(task.reader ? { reader: task.reader } : {}),
    family: task.family,
    dev: st.dev,
    ino: st.ino,
    head: '',
    offset: 0,
    lines: 0,
    size: 0,
    mtimeMs: 0,
  };
}

/**
 * A file's identity in finding keys: its name, file id and creation time, and how many files were seen
 * under that name before (so a file rewritten in place does not reuse its predecessor's keys). The same
 * file gives the same key after a restart, so a record read again is a duplicate the server drops.
 */
function fileKey(rel: string, st: Stats, generation: number): string {
  const id = [rel, st.dev, st.ino, Math.round(st.birthtimeMs), generation].join('\0');
  return `${createHash('sha256').update(id).digest('hex').slice(0, 16)}.${generation}`;
}

function generationOf(key: string): number {
  return Number(key.slice(key.lastIndexOf('.') + 1)) || 0;
}

export class TextFollower {
  private parser: Parser | undefined;
  private replaying = false;
  private found: FoundItem[] = [];
  private readonly hits: Hit[] = [];
  /** When the parser was last fed: idle parsers are dropped to keep memory flat. */
  lastActive = Date.now();

  constructor(
    private readonly root: string,
    readonly rel: string,
    public st: TextFileState,
  ) {}

  /** Drops the parser (rules changed, or the file went quiet); the next read replays up to the offset. */
  reset(): void {
    this.parser = undefined;
  }

  /**
   * Reads what was appended since the last call, at most `budget` bytes. Returns the findings and, when the
   * file was replaced with bytes of the old one unread, the loss.
   */
  poll(
    stat: Stats,
    rules: AgentRules,
    ctx: Omit<DetectorContext, 'path'>,
    budget: number,
  ): { found: FoundItem[]; loss?: Loss; more: boolean } {
    let loss: Loss | undefined;
    const st = this.st;
    if (stat.size === st.size && stat.mtimeMs === st.mtimeMs && stat.ino === st.ino && stat.dev === st.dev)
      return { found: [], more: false };
    const fd = openSync(path.join(this.root, this.rel), 'r');
    try {
      const head = readAt(fd, 0, Math.min(HEAD, stat.size)).toString('hex');
      const replaced =
        stat.ino !== st.ino ||
        stat.dev !== st.dev ||
        stat.size < st.offset ||
        !(head.startsWith(st.head) || st.head.startsWith(head));
      if (replaced) {
        if (st.size > st.offset)
          loss = {
            path: this.rel,
            bytes: st.size - st.offset,
            at: new Date().toISOString(),
            why: 'replaced before it was read to its end',
          };
        this.st = {
          ...st,
          key: fileKey(this.rel, stat, generationOf(st.key) + 1),
          dev: stat.dev,
          ino: stat.ino,
          offset: 0,
          lines: 0,
          head: '',
        };
        this.parser = undefined;
      }
      if (this.st.head.length < HEAD * 2) this.st.head = head;
      this.ensureParser(fd, rules, ctx);
      const end = Math.min(stat.size, this.st.offset + budget);
      const buf = readAt(fd, this.st.offset, end - this.st.offset);
      // Only whole lines: the rest is read again once its end is written.
      let cut = buf.lastIndexOf(10) + 1;
      // A line longer than the budget is handed over as it is: the parser bounds overlong lines itself.
      if (cut === 0 && buf.length >= budget) cut = buf.length;
      if (cut > 0) {
        const part = buf.subarray(0, cut);
        this.parser!.push(part);
        this.st.offset += cut;
        this.st.lines += countLines(part);
        this.lastActive = Date.now();
      }
      const more = this.st.offset + (buf.length - cut) < stat.size;
      // Seen in full only when everything up to the size was read (else the next poll must look again).
      if (!more) {
        this.st.size = stat.size;
        this.st.mtimeMs = stat.mtimeMs;
      }
      const found = this.found;
      this.found = [];
      return { found, more, ...(loss ? { loss } : {}) };
    } finally {
      closeSync(fd);
    }
  }

  private ensureParser(fd: number, rules: AgentRules, ctx: Omit<DetectorContext, 'path'>): void {
    if (this.parser) return;
    const st = this.st;
    const def = SOURCES.get(st.reader ?? st.source);
    if (!def) throw new Error(`unknown source ${st.reader ?? st.source}`);
    const matchers = rules.set.forSource(st.source);
    const gate = matchers.gate();
    const dctx: DetectorContext = { ...ctx, path: this.rel };
    this.parser = def.createParser(
      { path: this.rel, ...(gate ? { gate } : {}) },
      {
        record: (r) => {
          if (this.replaying) return;
          matchers.run(r, dctx, this.hits);
          for (const h of this.hits) {
            const { finding, correlation } = hitToFinding(h, r, this.rel);
            this.found.push({
              record: r.line,
              fileKey: this.st.key,
              source: st.source,
              family: st.family,
              finding,
              ...(correlation ? { correlation: { ...correlation, path: this.rel, source: st.source } } : {}),
            });
          }
          this.hits.length = 0;
        },
        // Bad lines are the scan's business: the agent reports what it finds, and keeps reading.
        problem: () => undefined,
      },
    );
    // After a restart (or a rule change) the parser reads again what was read before, finding nothing in
    // it (those findings were committed), so that it holds the file's headers and state as before.
    if (st.offset > 0) {
      this.replaying = true;
      try {
        for (let at = 0; at < st.offset; at += CHUNK)
          this.parser.push(readAt(fd, at, Math.min(CHUNK, st.offset - at)));
      } finally {
        this.replaying = false;
      }
    }
  }
}

function readAt(fd: number, at: number, n: number): Buffer {
  const buf = Buffer.allocUnsafe(Math.max(0, n));
  let got = 0;
  while (got < n) {
    const k = readSync(fd, buf, got, n - got, at + got);
    if (k === 0) break;
    got += k;
  }
  return buf.subarray(0, got);
}

function countLines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
  return n;
}
