// The agent's on-disk spool: what was found and not yet accepted by the fleet server, one file per
// commit, sent in commit order. Bounded: when full, the agent stops reading (the logs themselves hold
// what comes next), so the oldest findings are kept and nothing is dropped in silence.

import { mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../core/finding.js';
import { syncFolder, writeFileAtomic } from './atomic.js';

/** One finding as the agent sends it: the server stores it once per `key`. */
export interface AgentFinding {
  /** Idempotent id: the same record and rule always give the same key (see `findingKey`). */
  key: string;
  source: string;
  family: string;
  /** When the agent read it (UTC ISO-8601): the server measures write-to-database lag from it. */
  seenAt: string;
  finding: Finding;
}

interface Entry {
  seq: number;
  bytes: number;
}

const NAME = /^(\d{12})\.json$/;

export class Spool {
  private readonly entries: Entry[] = [];
  private total = 0;

  constructor(
    private readonly dir: string,
    readonly maxBytes: number,
  ) {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) {
      const m = NAME.exec(name);
      if (!m) continue;
      const bytes = statSync(path.join(dir, name)).size;
      this.entries.push({ seq: Number(m[1]), bytes });
      this.total += bytes;
    }
    this.entries.sort((a, b) => a.seq - b.seq);
  }

  get bytes(): number {
    return this.total;
  }

  get count(): number {
    return this.entries.length;
  }

  /** At or over the limit: the agent must not read further until the server accepts something. */
  full(): boolean {
    return this.total >= this.maxBytes;
  }

  /** Appends one commit durably. Synchronous, so nothing else runs between it and the state's write. */
  append(seq: number, items: AgentFinding[]): void {
    const text = JSON.stringify({ seq, items });
    writeFileAtomic(this.file(seq), text);
    const bytes = Buffer.byteLength(text);
    this.entries.push({ seq, bytes });
    this.total += bytes;
  }

  /** The oldest commits, in order, up to about `maxItems` findings (at least one commit). */
  oldest(maxItems: number): { seq: number; items: AgentFinding[] }[] {
    const out: { seq: number; items: AgentFinding[] }[] = [];
    let n = 0;
    for (const e of this.entries) {
      const items = this.read(e.seq);
      if (out.length > 0 && n + items.length > maxItems) break;
      out.push({ seq: e.seq, items });
      n += items.length;
    }
    return out;
  }

  /** Removes every commit up to `seq` (the server accepted them). */
  release(seq: number): void {
    while (this.entries.length > 0 && this.entries[0]!.seq <= seq) {
      const e = this.entries.shift()!;
      this.total -= e.bytes;
      unlinkSync(this.file(e.seq));
    }
    syncFolder(this.dir);
  }

  /**
   * Removes commits after `seq`: written by a process killed before it recorded them in its state, so the
   * restarted agent reads those records again and writes the same findings anew.
   */
  discardAfter(seq: number): number {
    const keep = this.entries.filter((e) => e.seq <= seq);
    const gone = this.entries.filter((e) => e.seq > seq);
    for (const e of gone) {
      unlinkSync(this.file(e.seq));
      this.total -= e.bytes;
    }
    this.entries.length = 0;
    this.entries.push(...keep);
    if (gone.length) syncFolder(this.dir);
    return gone.length;
  }

  private read(seq: number): AgentFinding[] {
    return (JSON.parse(readFileSync(this.file(seq), 'utf8')) as { items: AgentFinding[] }).items;
  }

  private file(seq: number): string {
    return path.join(this.dir, `${String(seq).padStart(12, '0')}.json`);
  }
}
