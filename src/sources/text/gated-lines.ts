// Lines of a text log through the WebAssembly line kernel: plain lines counted in place, the others handed on.

import { isUtf8 } from 'node:buffer';
import type { Problem } from '../../core/problem.js';
import type { LineGate } from '../../core/source.js';
import { detectEncoding, Utf16ToUtf8, utf16Units } from './encoding.js';
import type { Detected, TextEncoding } from './encoding.js';
import { F_LONG, F_ODD, OUT_WORDS, releaseKernel, takeKernel } from './kernel.js';
import type { Kernel } from './kernel.js';

/**
 * Called for every line that is not plain, in file order: `mask` has the bits of the gate literals found
 * in it (0: none), or -1 when they were not looked for. `offset` is the line's byte offset in the file as
 * it is on disk (a UTF-16 file's own offsets).
 */
type GatedLineHandler = (line: string, lineNo: number, offset: number, mask: number) => void;

/** What makes a line plain: its timestamp's shape at the start and its field count. */
export interface LineFormat {
  /** The field separator, one ASCII character. */
  sep: string;
  fields: number;
  /**
   * Shape of the timestamp that starts the line: `d` a digit, `?` any byte, other characters exact, and
   * `YYYY` `MM` `DD` `hh` `mm` `ss` the digits of year, month, day, hour, minute and second: with all six, a
   * line is plain only when they make a real time (no month 13, no 30 February, no hour 24).
   */
  stamp: string;
  /** Leading characters of the stamp compared for the earliest and latest time. */
  compare: number;
}

/** A line longer than this (bytes, without its end) is reported and not read, so memory stays bounded. */
export const MAX_LINE_BYTES = 16 << 20;

/**
 * A line with no end within this many bytes (as read, UTF-8 after decoding) stops the reading of its file
 * there: a 10 GB file of one line must not be read through. The line and the rest of the file are a loss.
 */
export const MAX_UNENDED_LINE_BYTES = 64 << 20;

/**
 * Where every line went. `plain + blank + dropped + handed` is every line; the parser accounts for each line
 * handed to it as part of a record, as a directive/header/blank line, or as a line lost to a located problem.
 */
export interface LineAccount {
  /** Counted in place by the kernel as records. */
  plain: number;
  /** Empty lines. */
  blank: number;
  /** Ended here as a located problem (too long, nothing but NUL bytes, no end at all), never handed on. */
  dropped: number;
  /** Handed to the parser. */
  handed: number;
  /** Set by the parser: lines that made (part of) a record. */
  records: number;
  /** Set by the parser: directives, header rows, empty lines. */
  ignored: number;
  /** Set by the parser: lines that ended in a located problem and no record. */
  problems: number;
}

interface GatedLinesOptions {
  /** Evidence-relative path, for problems. */
  path: string;
  /** The literals rules need; undefined: every line is handed on. */
  gate: LineGate | undefined;
  onLine: GatedLineHandler;
  /** Plain lines counted since the last call, with the earliest and latest of their timestamps. */
  onTally: (count: number, first: string, last: string) => void;
  onProblem: (p: Problem) => void;
  /** Longest line read, in bytes (default MAX_LINE_BYTES). */
  maxLine?: number;
  /** A line longer than this stops the reading of the file (default MAX_UNENDED_LINE_BYTES). */
  maxUnended?: number;
  /** The file's size, when known: a stop then says how many bytes were not read. */
  size?: number;
  /** CSV: quotes matter (whatever the format), and the parser follows values across lines (setQuote). */
  csv?: boolean;
}

const NAMES: Record<TextEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
};

export class GatedLines {
  readonly account: LineAccount = {
    plain: 0,
    blank: 0,
    dropped: 0,
    handed: 0,
    records: 0,
    ignored: 0,
    problems: 0,
  };
  private k: Kernel | undefined;
  private readonly input: number;
  private mem: Buffer;
  private readonly maxLine: number;
  private readonly maxUnended: number;
  /** A line had no end within `maxUnended` bytes: nothing more of the file is read. */
  private halted = false;
  /** Bytes of the line being skipped (skip 1) seen so far. */
  private skipBytes = 0;
  /** Bytes held in the kernel's input: [pos, len) is the start of a line whose end has not come. */
  private len = 0;
  /** Offset in the decoded text (after any byte-order mark) of input byte 0. */
  private base = 0;
  /** The first bytes, until the encoding is known. */
  private head: Buffer | undefined = Buffer.alloc(0);
  private encoding: TextEncoding = 'utf-8';
  private bom = 0;
  private utf16: Utf16ToUtf8 | undefined;
  /** UTF-16 only: code units before `base`, and a cursor in the input (offsets are counted lazily). */
  private unitsAtBase = 0;
  private curAt = 0;
  private curUnits = 0;
  /** A line over the limit being skipped: 0 none, 1 up to its end, 2 it ended with CR (an LF may follow). */
  private skip = 0;
  private skipLine = 0;
  private skipOffset = 0;
  private quote = false;
  private tail = 0;
  private compare = 0;

  constructor(private readonly opts: GatedLinesOptions) {
    this.maxLine = opts.maxLine ?? MAX_LINE_BYTES;
    this.maxUnended = Math.max(1, opts.maxUnended ?? MAX_UNENDED_LINE_BYTES);
    const k = takeKernel(opts.gate, this.maxLine);
    this.k = k;
    this.input = ((Number(k.__heap_base.value) + 15) & ~15) + 32;
    this.mem = Buffer.from(k.memory.buffer);
    k.set_input(this.input, 0);
    k.set_format(0, 0, 0, 0, opts.csv ? 1 : 0);
  }

  /** The format plain lines must have from the next line on; undefined: no line is plain. */
  setFormat(f: LineFormat | undefined): void {
    const k = this.live();
    this.flush();
    const csv = this.opts.csv ? 1 : 0;
    if (!f || f.stamp.length > k.limits(3) || f.compare > f.stamp.length) {
      k.set_format(0, 0, 0, 0, csv);
      return;
    }
    Buffer.from(k.memory.buffer).write(f.stamp, k.ptr(6), 'latin1');
    this.compare = f.compare;
    k.set_format(f.sep.charCodeAt(0), f.fields, f.stamp.length, f.compare, csv);
  }

  /** CSV: whether the next line continues a quoted value (every such line is handed on). */
  setQuote(open: boolean): void {
    this.quote = open;
  }

  push(chunk: Buffer): void {
    if (this.halted) return;
    if (this.head) {
      const h = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      const d = detectEncoding(h, false);
      if (!d) {
        this.head = h === chunk ? Buffer.from(chunk) : h; // the caller may reuse its chunk
        return;
      }
      this.head = undefined;
      this.begin(d, h);
      return;
    }
    this.feed(this.utf16 ? this.utf16.push(chunk) : chunk);
  }

  /** Reads what is left: a last line without an end (a log cut off mid-write) is read as a line. */
  end(): void {
    const h = this.head;
    if (h) {
      this.head = undefined;
      this.begin(detectEncoding(h, true)!, h);
    }
    if (this.utf16) this.feed(this.utf16.end());
    if (this.skip === 1) {
      if (this.skipBytes > this.maxUnended) this.halt(this.skipLine, this.skipOffset);
      else this.tooLong(this.skipLine, this.skipOffset, this.origin(0));
    }
    this.skip = 0;
    const k = this.live();
    if (this.len > k.position()) this.feed(Buffer.from('\n'));
    this.flush();
    this.account.blank = k.blank_lines();
    this.tail = k.lines();
    releaseKernel(k);
    this.k = undefined;
  }

  /** Lines passed so far. */
  get lines(): number {
    return this.k ? this.k.lines() : this.tail;
  }

  /** Reading stopped at a line with no end (`text.unended-line`): the rest of the file is not wanted. */
  get stopped(): boolean {
    return this.halted;
  }

  /** The encoding the input was read in. */
  get textEncoding(): TextEncoding {
    return this.encoding;
  }

  private begin(d: Detected, h: Buffer): void {
    this.encoding = d.encoding;
    this.bom = d.bom;
    if (d.encoding !== 'utf-8') this.utf16 = new Utf16ToUtf8(d.encoding === 'utf-16be');
    const rest = h.subarray(d.bom);
    this.feed(this.utf16 ? this.utf16.push(rest) : rest);
  }

  private live(): Kernel {
    if (!this.k) throw new Error('GatedLines used after end()');
    return this.k;
  }

  /**
   * Decoded (UTF-8) bytes, in pieces no longer than the unended-line limit: a line over it then always
   * begins in the held input, so it is found before any line after it is read, in every chunking.
   */
  private feed(chunk: Buffer): void {
    for (let at = 0; at < chunk.length && !this.halted; at += this.maxUnended)
      this.piece(chunk.subarray(at, at + this.maxUnended));
  }

  private piece(chunk: Buffer): void {
    if (this.skip) {
      chunk = this.skipping(chunk);
      if (chunk.length === 0 || this.halted) return;
    }
    const k = this.live();
    const pos = k.position();
    const held = this.len - pos;
    this.advance(pos);
    if (pos > 0 && held > 0) this.mem.copyWithin(this.input, this.input + pos, this.input + this.len);
    // The held line, with what this piece adds before its end, is over the unended limit (a CR last in
    // the held bytes already ended it).
    if (held > 0 && held + chunk.length > this.maxUnended && this.mem[this.input + held - 1] !== 13) {
      if (lineEnd(chunk, this.maxUnended - held + 1) < 0) {
        const n = k.lines() + 1;
        k.set_lines(n);
        this.len = 0;
        k.set_input(this.input, 0);
        this.halt(n, this.origin(0));
        return;
      }
    }
    this.reserve(held + chunk.length);
    this.mem.set(chunk, this.input + held);
    this.len = held + chunk.length;
    k.set_input(this.input, this.len);
    this.run(k);
    // A line with no end in sight: report it and skip it. A CR last is that line's end (the kernel waits
    // only to see whether an LF follows).
    const rest = this.len - k.position();
    if (rest - (this.mem[this.input + this.len - 1] === 13 ? 1 : 0) > this.maxLine) this.cut(k);
    this.flush();
  }

  private run(k: Kernel): void {
    for (;;) {
      k.set_quote(this.quote ? 1 : 0);
      const n = k.scan();
      if (n > 0) {
        // Handlers may change the format or the quote state for the lines after theirs (the kernel stops
        // after each line that may do so); they never grow the memory, so this view stays valid.
        const out = new Int32Array(k.memory.buffer, k.ptr(7), n * OUT_WORDS);
        for (let i = 0; i < n * OUT_WORDS; i += OUT_WORDS)
          this.line(out[i]!, out[i + 1]!, out[i + 2]!, out[i + 3]!, out[i + 4]!);
      }
      if (!k.more()) return;
    }
  }

  /** A listed line [s, e) of the input: checked for what the kernel flagged, then handed on. */
  private line(s: number, e: number, no: number, mask: number, flags: number): void {
    // Offsets are asked for in file order: in UTF-16 each is counted on from the one before.
    let offset = this.origin(s);
    if (flags & F_LONG) {
      this.tooLong(no, offset, this.origin(e));
      return;
    }
    if (flags & F_ODD) {
      const bytes = this.mem.subarray(this.input + s, this.input + e);
      if (!isUtf8(bytes))
        this.problem({
          code: 'text.bad-encoding',
          message: `the line is not valid ${NAMES[this.encoding]}; read with U+FFFD in place of the bad bytes`,
          line: no,
          offset,
          severity: 'warning',
        });
      if (bytes.indexOf(0) >= 0) {
        const kept = this.nuls(bytes, no, s, offset);
        if (!kept) {
          this.account.dropped++;
          return;
        }
        e = s + kept[1];
        // Offsets are asked for in file order: the one of a kept start after the NULs comes last.
        if (kept[0] > 0) offset = this.origin((s += kept[0]));
        mask = -1;
      }
    }
    this.account.handed++;
    this.opts.onLine(this.mem.toString('utf8', this.input + s, this.input + e), no, offset, mask);
  }

  /**
   * NUL bytes are what a crash leaves where log writes never happened. The text after the last run of them
   * is a new write and is read as the line; without any, the text before the first run (a line cut off by
   * the crash) is. The rest is reported, in file bytes. Returns the part of `bytes` to read, or undefined.
   */
  private nuls(bytes: Buffer, no: number, s: number, offset: number): [number, number] | undefined {
    const first = bytes.indexOf(0);
    const last = bytes.lastIndexOf(0);
    let nuls = 0;
    for (let i = first; i <= last; i++) if (bytes[i] === 0) nuls++;
    const keep: [number, number] | undefined =
      last + 1 < bytes.length ? [last + 1, bytes.length] : first > 0 ? [0, first] : undefined;
    const lost = keep ? (keep[0] > 0 ? [0, keep[0]] : [keep[1], bytes.length]) : [0, bytes.length];
    const cut = lost[1]! - lost[0]! - nuls;
    const what = !keep
      ? 'nothing else in it is read'
      : keep[0] > 0
        ? `the text after them is read${cut > 0 ? '; the text before them, a cut-off line, is not' : ''}`
        : 'the text before them, a line cut off, is read';
    const from = lost[0] === 0 ? offset : this.origin(s + lost[0]!);
    this.problem({
      code: 'text.nul-bytes',
      message: `${nuls} NUL characters in the line (log writes that never happened, as after a crash); ${what}`,
      line: no,
      offset: from,
      bytes: this.origin(s + lost[1]!) - from,
      severity: 'warning',
    });
    return keep;
  }

  /** A line with no end within the unended limit, from file offset `from`: reading stops. */
  private halt(line: number, from: number): void {
    this.halted = true;
    this.skip = 0;
    this.account.dropped++;
    this.opts.onProblem(unendedLine(this.opts.path, line, from, this.maxUnended, this.opts.size));
  }

  /** A line over the limit, from file offset `from` to `to` (without its end). */
  private tooLong(line: number, from: number, to: number): void {
    this.account.dropped++;
    this.problem({
      code: 'text.line-too-long',
      message: `the line is longer than the ${this.maxLine}-byte limit (${to - from} bytes in the file); not read`,
      line,
      offset: from,
      bytes: to - from,
      severity: 'error',
    });
  }

  private problem(p: Omit<Problem, 'path'>): void {
    this.opts.onProblem({ ...p, path: this.opts.path });
  }

  /** The held line is over the limit: counted, its bytes dropped, and the rest of it skipped as it comes. */
  private cut(k: Kernel): void {
    const pos = k.position();
    const n = k.lines() + 1;
    k.set_lines(n);
    const from = this.origin(pos);
    const endsWithCr = this.mem[this.input + this.len - 1] === 13;
    const to = endsWithCr ? this.origin(this.len - 1) : 0;
    this.skipBytes = this.len - pos;
    this.advance(this.len);
    this.len = 0;
    k.set_input(this.input, 0);
    if (endsWithCr) {
      this.tooLong(n, from, to);
      this.skip = 2;
    } else {
      this.skip = 1;
      this.skipLine = n;
      this.skipOffset = from;
    }
  }

  /** Skips the rest of an overlong line (and the LF of its CRLF); returns what follows it. */
  private skipping(chunk: Buffer): Buffer {
    let at = 0;
    if (this.skip === 2) {
      this.skip = 0;
      if (chunk[0] === 10) at = 1;
    } else {
      const lf = chunk.indexOf(10);
      const cr = (lf < 0 ? chunk : chunk.subarray(0, lf)).indexOf(13);
      const e = cr >= 0 ? cr : lf;
      this.skipBytes += e < 0 ? chunk.length : e;
      if (this.skipBytes > this.maxUnended) {
        this.halt(this.skipLine, this.skipOffset);
        return chunk.subarray(chunk.length);
      }
      if (e < 0) {
        this.consume(chunk, chunk.length);
        return chunk.subarray(chunk.length);
      }
      this.consume(chunk, e);
      this.tooLong(this.skipLine, this.skipOffset, this.origin(0));
      chunk = chunk.subarray(e);
      at = 1;
      this.skip = 0;
      if (chunk[0] === 13) {
        if (chunk.length === 1) this.skip = 2;
        else if (chunk[1] === 10) at++;
      }
    }
    this.consume(chunk, at);
    return chunk.subarray(at);
  }

  /** The input's first `rel` bytes are done with: `base` moves past them. */
  private advance(rel: number): void {
    if (this.utf16) {
      this.unitsAtBase += this.unitsTo(rel);
      this.curAt = 0;
      this.curUnits = 0;
    }
    this.base += rel;
  }

  /** The first `n` bytes of a chunk are passed over without entering the input (the input is empty). */
  private consume(chunk: Buffer, n: number): void {
    if (this.utf16) this.unitsAtBase += utf16Units(chunk, 0, n);
    this.base += n;
  }

  /** The file offset of input byte `rel`. */
  private origin(rel: number): number {
    if (!this.utf16) return this.bom + this.base + rel;
    return this.bom + 2 * (this.unitsAtBase + this.unitsTo(rel));
  }

  /** UTF-16 code units in input bytes [0, rel), counted on from the last call (calls go forward). */
  private unitsTo(rel: number): number {
    if (rel < this.curAt) {
      this.curAt = 0;
      this.curUnits = 0;
    }
    this.curUnits += utf16Units(this.mem, this.input + this.curAt, this.input + rel);
    this.curAt = rel;
    return this.curUnits;
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
    this.account.plain += count;
    this.opts.onTally(count, first, last);
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

/**
 * The problem of a line with no end within `max` bytes, at file offset `from` (when known): the reading of
 * the file stopped there, so the line and the rest of the file (`size - from` bytes) are lost.
 */
export function unendedLine(
  path: string,
  line: number,
  from: number | undefined,
  max: number,
  size: number | undefined,
): Problem {
  const rest = from !== undefined && size !== undefined && size > from ? size - from : undefined;
  return {
    code: 'text.unended-line',
    message: `no line end within ${max} bytes of the line's start (the limit for a line that does not end, --max-unended-line): reading of the file stops here; the line and the rest of the file${rest !== undefined ? ` (${rest} bytes)` : ''} are not read`,
    path,
    line,
    ...(from !== undefined ? { offset: from } : {}),
    ...(rest !== undefined ? { bytes: rest } : {}),
    severity: 'error',
  };
}

/** The index of the first CR or LF in `b`'s first `within` bytes, or -1. */
function lineEnd(b: Buffer, within: number): number {
  const part = within < b.length ? b.subarray(0, within) : b;
  const lf = part.indexOf(10);
  const cr = (lf < 0 ? part : part.subarray(0, lf)).indexOf(13);
  return cr >= 0 ? cr : lf;
}
