// Text encodings of logs: UTF-8 or UTF-16 (LE, BE; with a byte-order mark or without), told from the first bytes.

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface Detected {
  encoding: TextEncoding;
  /** Bytes of byte-order mark at the start of the file (0, 2 or 3). */
  bom: number;
}

/** Bytes looked at to tell UTF-16 without a byte-order mark from UTF-8. */
const SNIFF_BYTES = 64;

/**
 * The encoding of a text whose first bytes are `head`. Without a byte-order mark, UTF-16 shows in the zero
 * bytes of ASCII text (every log starts with `#`, a date or a header row): a zero in every other byte. Returns
 * undefined when more bytes are needed to decide and `final` is false (more may come).
 */
export function detectEncoding(head: Buffer, final: boolean): Detected | undefined {
  const n = head.length;
  if (n >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
    return { encoding: 'utf-8', bom: 3 };
  if (n >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (n >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  if (n < SNIFF_BYTES && !final) return undefined;
  const pairs = Math.min(n, SNIFF_BYTES) >> 1;
  let le = 0;
  let be = 0;
  for (let i = 0; i < pairs; i++) {
    const a = head[2 * i]!;
    const b = head[2 * i + 1]!;
    if (a !== 0 && b === 0) le++;
    else if (a === 0 && b !== 0) be++;
  }
  // The first two characters are ASCII in the order the encoding says, and most of the rest too.
  const shaped = (lo: number, hi: number) =>
    head[lo] !== 0 && head[hi] === 0 && head[lo + 2] !== 0 && head[hi + 2] === 0;
  if (pairs >= 2 && le * 4 >= pairs * 3 && shaped(0, 1)) return { encoding: 'utf-16le', bom: 0 };
  if (pairs >= 2 && be * 4 >= pairs * 3 && shaped(1, 0)) return { encoding: 'utf-16be', bom: 0 };
  return { encoding: 'utf-8', bom: 0 };
}

/**
 * What the transcoder writes for a UTF-16 code unit it cannot decode (a lone surrogate, a last odd byte):
 * a byte that is never valid UTF-8, so the line kernel flags the line and it is reported like bad UTF-8. It
 * counts as one code unit in `utf16Units`, like the unit it stands for.
 */
const BAD_UNIT = 0xc0;

/**
 * Streaming UTF-16 to UTF-8. A code unit or a surrogate pair split across chunks is carried over to the next
 * chunk. The buffer returned is reused by the next call.
 */
export class Utf16ToUtf8 {
  private out = Buffer.alloc(0);
  /** An odd byte left from the last chunk, or -1. */
  private carry = -1;
  /** A high surrogate waiting for its low half, or 0. */
  private high = 0;

  constructor(private readonly bigEndian: boolean) {}

  push(chunk: Buffer): Buffer {
    // Each code unit (2 bytes) gives at most 3 bytes; a pair (4 bytes) gives 4; the carried ones add a few.
    const need = Math.ceil((chunk.length + 1) / 2) * 3 + 8;
    if (this.out.length < need) this.out = Buffer.allocUnsafe(Math.max(need, this.out.length * 2));
    const out = this.out;
    let o = 0;
    let i = 0;
    const n = chunk.length;
    const be = this.bigEndian;
    if (this.carry >= 0 && n > 0) {
      o = this.unit(be ? (this.carry << 8) | chunk[0]! : this.carry | (chunk[0]! << 8), out, o);
      this.carry = -1;
      i = 1;
    }
    for (; i + 1 < n; i += 2) {
      const u = be ? (chunk[i]! << 8) | chunk[i + 1]! : chunk[i]! | (chunk[i + 1]! << 8);
      if (u < 0x80 && this.high === 0) out[o++] = u;
      else o = this.unit(u, out, o);
    }
    if (i < n) this.carry = chunk[i]!;
    return out.subarray(0, o);
  }

  /** What is left at the end of the input: a lone high surrogate or an odd byte (or both), as one BAD_UNIT. */
  end(): Buffer {
    const out = Buffer.alloc(this.high || this.carry >= 0 ? 1 : 0, BAD_UNIT);
    this.high = 0;
    this.carry = -1;
    return out;
  }

  private unit(u: number, out: Buffer, o: number): number {
    if (this.high !== 0) {
      if (u >= 0xdc00 && u <= 0xdfff) {
        const cp = 0x10000 + ((this.high - 0xd800) << 10) + (u - 0xdc00);
        this.high = 0;
        out[o++] = 0xf0 | (cp >> 18);
        out[o++] = 0x80 | ((cp >> 12) & 0x3f);
        out[o++] = 0x80 | ((cp >> 6) & 0x3f);
        out[o++] = 0x80 | (cp & 0x3f);
        return o;
      }
      out[o++] = BAD_UNIT;
      this.high = 0;
    }
    if (u < 0x80) {
      out[o++] = u;
    } else if (u < 0x800) {
      out[o++] = 0xc0 | (u >> 6);
      out[o++] = 0x80 | (u & 0x3f);
    } else if (u >= 0xd800 && u <= 0xdbff) {
      this.high = u;
    } else if (u >= 0xdc00 && u <= 0xdfff) {
      out[o++] = BAD_UNIT;
    } else {
      out[o++] = 0xe0 | (u >> 12);
      out[o++] = 0x80 | ((u >> 6) & 0x3f);
      out[o++] = 0x80 | (u & 0x3f);
    }
    return o;
  }
}

/**
 * UTF-16 code units that the UTF-8 bytes `b[from, to)` came from (as written by Utf16ToUtf8): one per byte
 * that starts a sequence, and a second one for each 4-byte sequence (a surrogate pair).
 */
export function utf16Units(b: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    if (c < 0x80) n++;
    else if (c >= 0xc0) n += c >= 0xf0 && c <= 0xf4 ? 2 : 1;
  }
  return n;
}

/** The first `max` bytes of a file's head as text, in its encoding, without a byte-order mark. */
export function decodeHead(head: Buffer, max: number): string {
  const d = detectEncoding(head, true)!;
  const end = Math.min(head.length, max);
  if (d.encoding === 'utf-8') return head.toString('utf8', d.bom, end);
  const t = new Utf16ToUtf8(d.encoding === 'utf-16be');
  return t.push(head.subarray(d.bom, end)).toString('utf8');
}
