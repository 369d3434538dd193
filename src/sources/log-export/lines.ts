// Lines of an exported text file in any encoding Windows tools write: UTF-8 (BOM or not), UTF-16, a code page.

import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { MAX_UNENDED_LINE_BYTES } from '../text/gated-lines.js';

/** A line longer than this (bytes) is reported and skipped, so memory stays bounded. */
export const MAX_LINE_BYTES = 4 << 20;

type TextEncodingName = 'utf8' | 'latin1' | 'utf16le' | 'utf16be';

/**
 * The encoding of a file from its first bytes, and how many BOM bytes to skip. Windows PowerShell 5 writes
 * Export-Csv as ASCII and Set-Content in the ANSI code page (read as Latin-1, which keeps every byte), `>`
 * and `-Encoding Unicode` as UTF-16 LE with a BOM; PowerShell 7 writes UTF-8 without one.
 */
export function detectEncoding(head: Buffer): { encoding: TextEncodingName; bom: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', bom: 2 };
  // ASCII text in UTF-16 without a BOM: every other byte is zero.
  if (head.length >= 4 && head[0] !== 0 && head[1] === 0 && head[2] !== 0 && head[3] === 0)
    return { encoding: 'utf16le', bom: 0 };
  if (head.length >= 4 && head[0] === 0 && head[1] !== 0 && head[2] === 0 && head[3] !== 0)
    return { encoding: 'utf16be', bom: 0 };
  // A multi-byte character may be cut at the end of the sample; the last bytes do not decide.
  const sample = head.subarray(0, Math.max(0, head.length - 3));
  return { encoding: isUtf8(sample) ? 'utf8' : 'latin1', bom: 0 };
}

/** The first lines of a head sample as text, for recognising a file by its header. */
export function headLines(head: Buffer, max = 8): string[] {
  const { encoding, bom } = detectEncoding(head);
  const text =
    encoding === 'utf16le' || encoding === 'utf16be'
      ? new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be').decode(head.subarray(bom))
      : head.toString(encoding, bom);
  return text.split('\n', max + 1).map((l) => l.replace(/\r$/, ''));
}

/** Called per line, without its end; `offset` is the line's byte offset, unknown for UTF-16 files. */
type LineHandler = (line: string, lineNo: number, offset: number | undefined) => void;

/**
 * Splits pushed chunks into decoded lines, bounded in length. A line longer than `maxUnended` (a line that
 * does not end) stops the splitting there: `onUnended` is told, and nothing after it is read.
 */
export class ExportLines {
  private encoding: TextEncodingName | undefined;
  private decoder: TextDecoder | undefined;
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** The line being carried is over the limit: its bytes are dropped until its end. */
  private skipping = false;
  private lineNo = 0;
  private offset = 0;
  private started = false;
  private total = 0;
  /** Decoded bytes of the current line so far, kept or skipped. */
  private lineBytes = 0;
  private halted = false;

  constructor(
    private readonly onLine: LineHandler,
    private readonly onLong: (lineNo: number, offset: number | undefined) => void,
    private readonly onUnended: (lineNo: number, offset: number | undefined, max: number) => void = () => {},
    private readonly maxUnended = MAX_UNENDED_LINE_BYTES,
  ) {}

  /** Whether a line with no end stopped the reading. */
  get stopped(): boolean {
    return this.halted;
  }

  get lines(): number {
    return this.lineNo;
  }

  get encodingName(): TextEncodingName | undefined {
    return this.encoding;
  }

  /** Bytes pushed so far, as they are in the file. */
  get bytes(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    if (this.halted) return;
    this.total += chunk.length;
    if (!this.started) {
      this.started = true;
      const { encoding, bom } = detectEncoding(chunk);
      this.encoding = encoding;
      this.offset = bom;
      chunk = chunk.subarray(bom);
      if (encoding === 'utf16le' || encoding === 'utf16be')
        this.decoder = new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be');
    }
    // UTF-16 is turned into UTF-8 first, so that one splitter serves every encoding.
    if (this.decoder) chunk = Buffer.from(this.decoder.decode(chunk, { stream: true }), 'utf8');
    this.split(chunk);
  }

  end(): void {
    if (this.halted) return;
    if (this.decoder) this.split(Buffer.from(this.decoder.decode(), 'utf8'));
    if (this.carryBytes > 0 || this.skipping) this.emit(Buffer.alloc(0));
  }

  private split(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
      if (this.over(nl - start)) return;
      this.emit(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length && !this.over(chunk.length - start)) this.keep(chunk.subarray(start));
  }

  /** Adds `n` bytes to the current line; true when that makes it a line with no end (reading stops). */
  private over(n: number): boolean {
    this.lineBytes += n;
    if (this.lineBytes <= this.maxUnended) return false;
    this.halted = true;
    this.carry = [];
    this.carryBytes = 0;
    this.onUnended(this.lineNo + 1, this.decoder ? undefined : this.offset, this.maxUnended);
    return true;
  }

  private keep(part: Buffer): void {
    if (this.skipping) return;
    if (this.carryBytes + part.length > MAX_LINE_BYTES) {
      this.skipping = true;
      this.carry = [];
      this.carryBytes = 0;
      return;
    }
    this.carry.push(Buffer.from(part)); // copied: the caller may reuse its buffer
    this.carryBytes += part.length;
  }

  private emit(tail: Buffer): void {
    this.lineNo++;
    this.lineBytes = 0;
    const offset = this.decoder ? undefined : this.offset;
    const bytes = this.carryBytes + tail.length + 1;
    if (this.skipping || this.carryBytes + tail.length > MAX_LINE_BYTES) {
      this.skipping = false;
      this.carry = [];
      this.carryBytes = 0;
      this.offset += bytes;
      this.onLong(this.lineNo, offset);
      return;
    }
    const buf = this.carryBytes > 0 ? Buffer.concat([...this.carry, tail]) : tail;
    this.carry = [];
    this.carryBytes = 0;
    this.offset += bytes;
    let end = buf.length;
    if (end > 0 && buf[end - 1] === 13) end--;
    const enc = this.encoding === 'latin1' ? 'latin1' : 'utf8';
    this.onLine(buf.toString(enc, 0, end), this.lineNo, offset);
  }
}
