// Splits pushed bytes into text lines: UTF-8 across chunk edges, BOM stripped, CRLF or LF, a last line without end.

import { isAscii } from 'node:buffer';

export type LineHandler = (line: string, lineNo: number, offset: number) => void;

/**
 * Looks at a line in place (`text.slice(start, end)` without making it) and returns true when it needed
 * nothing more; false makes the splitter hand the line to the `LineHandler` as usual.
 */
export type PlainHandler = (text: string, start: number, end: number, lineNo: number) => boolean;

export interface SplitterOptions {
  /**
   * Lines this pattern (global flag) does not touch are given to `plain`, not materialised: most lines of
   * a large log match no rule, and making a string and a record for each was most of the cost.
   */
  gate?: RegExp;
  plain?: PlainHandler;
  /** Called after each chunk's lines, so a parser can report what `plain` counted. */
  flush?: () => void;
}

/**
 * Decodes whole chunks at once (much cheaper than per-line decoding) and walks them with indexOf.
 * Offsets are byte offsets of each line start, exact for ASCII text and approximate after multi-byte text.
 */
export class LineSplitter {
  /** Bytes of a UTF-8 character cut by the chunk edge, prepended to the next chunk. */
  private carry: Buffer | undefined;
  private rest = '';
  private lineNo = 0;
  private offset = 0;
  private first = true;

  constructor(
    private readonly onLine: LineHandler,
    private readonly opts: SplitterOptions = {},
  ) {}

  push(chunk: Buffer): void {
    let text = this.decode(chunk);
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
        this.offset = 3;
      }
    }
    if (this.rest.length > 0) text = this.rest + text;
    const { gate, plain } = this.opts;
    const cands = gate && plain ? candidates(gate, text) : undefined;
    let k = 0;
    let start = 0;
    const len = text.length;
    while (start < len) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (cands && plain) {
        while (k < cands.length && cands[k]! < start) k++;
        const hit = k < cands.length && cands[k] === start;
        if (
          !hit &&
          text.charCodeAt(start) !== 35 &&
          end > start &&
          plain(text, start, end, this.lineNo + 1)
        ) {
          this.lineNo++;
          this.offset += nl + 1 - start;
          start = nl + 1;
          continue;
        }
      }
      this.emit(text.slice(start, end), nl + 1 - start);
      start = nl + 1;
    }
    this.rest = start === 0 ? text : text.slice(start);
    this.opts.flush?.();
  }

  /** Emits a last line that has no line end (a log cut off mid-write). Returns true if there was one. */
  end(): boolean {
    const tail = this.rest + (this.carry ? this.carry.toString('utf8') : '');
    this.carry = undefined;
    this.rest = '';
    if (tail.length === 0) return false;
    this.emit(tail.endsWith('\r') ? tail.slice(0, -1) : tail, tail.length);
    return true;
  }

  /** ASCII chunks (nearly all log text) take the cheap one-byte path; others are cut at a character edge. */
  private decode(input: Buffer): string {
    const chunk = this.carry ? Buffer.concat([this.carry, input]) : input;
    this.carry = undefined;
    if (isAscii(chunk)) return chunk.toString('latin1');
    let end = chunk.length;
    // Walk back over continuation bytes to the last lead byte and keep an incomplete character for later.
    let i = end - 1;
    while (i >= 0 && i > end - 4 && (chunk[i]! & 0xc0) === 0x80) i--;
    if (i >= 0) {
      const lead = chunk[i]!;
      const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      if (end - i < need) end = i;
    }
    if (end < chunk.length) this.carry = Buffer.from(chunk.subarray(end));
    return chunk.toString('utf8', 0, end);
  }

  /** The line number the next line will get, minus one. */
  get lines(): number {
    return this.lineNo;
  }

  private emit(line: string, consumed: number): void {
    this.lineNo++;
    const at = this.offset;
    this.offset += consumed;
    this.onLine(line, this.lineNo, at);
  }
}

/** Start offsets of the lines the gate pattern touches, ascending, one per line. */
function candidates(gate: RegExp, text: string): number[] {
  const out: number[] = [];
  gate.lastIndex = 0;
  for (let m = gate.exec(text); m; m = gate.exec(text)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (out.length === 0 || out[out.length - 1] !== lineStart) out.push(lineStart);
    // One hit is enough for a line: go on from the next line.
    const nl = text.indexOf('\n', m.index + Math.max(1, m[0].length));
    if (nl < 0) break;
    gate.lastIndex = nl + 1;
  }
  return out;
}
