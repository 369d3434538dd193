// Lines of a text log through the WebAssembly line kernel: plain lines counted in place, the others handed on.

import type { LineGate } from '../../core/source.js';
import { LINESCAN_WASM } from './linescan-wasm.js';
import { buildTeddy, normaliseLiterals } from './teddy.js';
import type { TeddyTables } from './teddy.js';

/**
 * Called for every line that is not plain, in file order: `mask` has the bits of the gate literals found
 * in it (0: none), or -1 when they were not looked for.
 */
export type GatedLineHandler = (line: string, lineNo: number, offset: number, mask: number) => void;

/** What makes a line plain: its timestamp's shape at the start and its field count. */
export interface LineFormat {
  /** The field separator, one ASCII character. */
  sep: string;
  fields: number;
  /** Shape of the timestamp that starts the line: `d` a digit, `?` any byte, other characters exact. */
  stamp: string;
  /** Leading characters of the stamp compared for the earliest and latest time. */
  compare: number;
  /** Quotes matter: a quoted row is never plain and an odd number of quotes continues it. */
  csv: boolean;
}

/** A line longer than this is cut there and the rest of it skipped, so memory stays bounded. */
export const MAX_LINE_BYTES = 16 << 20;

interface Memory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface Exports {
  memory: Memory;
  __heap_base: { value: unknown };
  ptr(which: number): number;
  limits(which: number): number;
  set_gate(n: number, all: number, shortBuckets: number): void;
  set_format(sep: number, fields: number, stampLen: number, compare: number, csv: number): void;
  set_input(at: number, len: number): void;
  position(): number;
  lines(): number;
  set_lines(n: number): void;
  more(): number;
  plain_lines(): number;
  set_quote(q: number): void;
  reset_tally(): void;
  scan(): number;
}

/** The part of the WebAssembly API used here (this project's TypeScript libraries do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | undefined;
/** Tables per gate: a source's gate is one object for the whole scan, and its files are many. */
const prepared = new WeakMap<LineGate, TeddyTables | null>();

/** Null when the kernel cannot take the gate (a literal without ASCII, or more than it holds). */
function tablesFor(gate: LineGate, k: Exports): TeddyTables | null {
  let t = prepared.get(gate);
  if (t !== undefined) return t;
  const lits = normaliseLiterals(gate.literals);
  t = lits && lits.length <= k.limits(0) ? buildTeddy(lits) : null;
  if (t && t.bytes.length > k.limits(1)) t = null;
  prepared.set(gate, t);
  return t;
}
/** Kernels of finished parsers, reused by the next ones in this thread. */
const idle: Exports[] = [];
/** The gate whose tables each kernel holds. */
const holds = new WeakMap<Exports, LineGate>();

function kernel(): Exports {
  const k = idle.pop();
  if (k) return k;
  compiled ??= new wasm.Module(Buffer.from(LINESCAN_WASM, 'base64'));
  return new wasm.Instance(compiled).exports as Exports;
}

export class GatedLines {
  private k: Exports | undefined;
  private readonly input: number;
  private mem: Buffer;
  /** Bytes held in the kernel's input: [pos, len) is the start of a line whose end has not come. */
  private len = 0;
  /** File offset of input byte 0. */
  private base = 0;
  private head: Buffer | undefined = Buffer.alloc(0);
  private skipping = false;
  private tail = 0;
  private compare = 0;

  constructor(
    gate: LineGate | undefined,
    private readonly onLine: GatedLineHandler,
    private readonly onTally: (count: number, first: string, last: string) => void,
  ) {
    const k = kernel();
    this.k = k;
    this.input = ((Number(k.__heap_base.value) + 15) & ~15) + 32;
    this.mem = Buffer.from(k.memory.buffer);
    k.set_input(this.input, 0);
    k.set_lines(0);
    k.set_quote(0);
    k.reset_tally();
    k.set_format(0, 0, 0, 0, 0);
    this.setGate(k, gate);
  }

  private setGate(k: Exports, gate: LineGate | undefined): void {
    const t = gate ? tablesFor(gate, k) : undefined;
    if (!gate || !t) {
      k.set_gate(0, 1, 0);
      return;
    }
    // A kernel back from the pool usually holds this source's tables already.
    if (holds.get(k) !== gate) {
      const u32 = (which: number, a: ArrayLike<number>) =>
        new Uint32Array(k.memory.buffer, k.ptr(which), a.length).set(a);
      Buffer.from(k.memory.buffer).set(t.masks, k.ptr(0));
      Buffer.from(k.memory.buffer).set(t.bytes, k.ptr(5));
      const c = t.columns;
      u32(1, c.off);
      u32(2, c.len);
      u32(3, c.back);
      u32(10, c.mask);
      u32(11, c.word);
      u32(12, c.wmask);
      u32(13, c.fold);
      u32(14, c.root);
      u32(4, t.shortFirst);
      u32(15, t.shortLits);
      u32(16, t.hashKey);
      u32(17, t.hashHead);
      u32(18, t.next);
      holds.set(k, gate);
    }
    k.set_gate(t.columns.len.length, gate.all ? 1 : 0, t.shortBuckets);
  }

  /** The format plain lines must have from the next line on; undefined: no line is plain. */
  setFormat(f: LineFormat | undefined): void {
    const k = this.live();
    this.flush();
    if (!f || f.stamp.length > k.limits(3) || f.compare > f.stamp.length) {
      k.set_format(0, 0, 0, 0, 0);
      return;
    }
    Buffer.from(k.memory.buffer).write(f.stamp, k.ptr(6), 'latin1');
    this.compare = f.compare;
    k.set_format(f.sep.charCodeAt(0), f.fields, f.stamp.length, f.compare, f.csv ? 1 : 0);
  }

  push(chunk: Buffer): void {
    if (this.head) {
      // A UTF-8 byte-order mark is not part of the first line; wait for three bytes to know.
      const h = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      if (h.length < 3) {
        this.head = h;
        return;
      }
      this.head = undefined;
      chunk = h[0] === 0xef && h[1] === 0xbb && h[2] === 0xbf ? h.subarray(3) : h;
      if (chunk !== h) this.base = 3;
    }
    this.feed(chunk);
  }

  private feed(chunk: Buffer): void {
    if (this.skipping) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.base += chunk.length;
        return;
      }
      this.skipping = false;
      this.base += nl + 1;
      chunk = chunk.subarray(nl + 1);
    }
    const k = this.live();
    const pos = k.position();
    const held = this.len - pos;
    if (pos > 0 && held > 0) this.mem.copyWithin(this.input, this.input + pos, this.input + this.len);
    this.base += pos;
    this.reserve(held + chunk.length);
    this.mem.set(chunk, this.input + held);
    this.len = held + chunk.length;
    k.set_input(this.input, this.len);
    this.run(k);
    if (this.len - k.position() > MAX_LINE_BYTES) this.cut(k);
    this.flush();
  }

  /** Hands on a last line without an end (a log cut off mid-write). Returns true if there was one. */
  end(): boolean {
    const h = this.head;
    this.head = undefined;
    if (h && h.length > 0) this.feed(h);
    const k = this.live();
    const pos = k.position();
    let had = false;
    if (this.len > pos && !this.skipping) {
      let end = this.input + this.len;
      if (this.mem[end - 1] === 13) end--;
      const n = k.lines() + 1;
      k.set_lines(n);
      this.onLine(this.mem.toString('utf8', this.input + pos, end), n, this.base + pos, -1);
      had = true;
    }
    this.flush();
    this.tail = k.lines();
    idle.push(k);
    this.k = undefined;
    return had;
  }

  /** Lines passed so far. */
  get lines(): number {
    return this.k ? this.k.lines() : this.tail;
  }

  private live(): Exports {
    if (!this.k) throw new Error('GatedLines used after end()');
    return this.k;
  }

  private run(k: Exports): void {
    for (;;) {
      const n = k.scan();
      if (n > 0) {
        const out = new Int32Array(k.memory.buffer, k.ptr(7), n * 4);
        // A handler may change the format for the lines after its own; the list stays as it is.
        for (let i = 0; i < n; i++) {
          const s = out[i * 4]!;
          const e = out[i * 4 + 1]!;
          this.onLine(
            this.mem.toString('utf8', this.input + s, this.input + e),
            out[i * 4 + 2]!,
            this.base + s,
            out[i * 4 + 3]!,
          );
        }
      }
      if (!k.more()) return;
    }
  }

  /** A line with no end in sight: hand on what there is, skip the rest up to the next line end. */
  private cut(k: Exports): void {
    const pos = k.position();
    const n = k.lines() + 1;
    k.set_lines(n);
    this.onLine(this.mem.toString('utf8', this.input + pos, this.input + this.len), n, this.base + pos, -1);
    this.base += this.len;
    this.len = 0;
    k.set_input(this.input, 0);
    this.skipping = true;
  }

  private flush(): void {
    const k = this.k;
    if (!k) return;
    const count = k.plain_lines();
    if (count === 0) return;
    const stamps = Buffer.from(k.memory.buffer);
    const first = stamps.toString('latin1', k.ptr(8), k.ptr(8) + this.compare);
    const last = stamps.toString('latin1', k.ptr(9), k.ptr(9) + this.compare);
    k.reset_tally();
    this.onTally(count, first, last);
  }

  /** Room for `bytes` of input plus the 32 bytes after it that the kernel's vector loads may read. */
  private reserve(bytes: number): void {
    const k = this.live();
    const need = this.input + bytes + 64;
    const have = k.memory.buffer.byteLength;
    if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
    if (this.mem.buffer !== k.memory.buffer) this.mem = Buffer.from(k.memory.buffer);
  }
}
