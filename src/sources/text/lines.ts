// Splits pushed bytes into text lines: UTF-8 across chunk edges, BOM stripped, CRLF or LF, a last line without end.

import { isAscii } from 'node:buffer';

export type LineHandler = (line: string, lineNo: number, offset: number) => void;

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

  constructor(private readonly onLine: LineHandler) {}

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
    let start = 0;
    const len = text.length;
    while (start < len) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.emit(text.slice(start, end), nl + 1 - start);
      start = nl + 1;
    }
    this.rest = start === 0 ? text : text.slice(start);
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
