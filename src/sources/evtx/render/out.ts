// A growable UTF-8 output buffer that JSON is written into directly, without intermediate strings.

// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON must escape
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const HEX = '0123456789abcdef';

export class JsonOut {
  buf: Buffer;
  pos = 0;

  constructor(size = 1 << 20) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  byte(c: number): void {
    this.ensure(1);
    this.buf[this.pos++] = c;
  }

  /** Bytes already encoded (quoted keys with their colon). */
  raw(b: Uint8Array): void {
    this.ensure(b.length);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < b.length; i++) buf[p++] = b[i]!;
    this.pos = p;
  }

  /** Text that is already JSON (numbers, `null`, fragments rendered elsewhere). */
  text(s: string): void {
    this.ensure(s.length * 3);
    this.pos = this.chars(s, this.pos);
  }

  /** A JS string as a quoted JSON string. */
  string(s: string): void {
    if (NEEDS_ESCAPE.test(s)) return this.text(JSON.stringify(s));
    this.ensure(s.length * 3 + 2);
    this.buf[this.pos] = 0x22;
    const p = this.chars(s, this.pos + 1);
    this.buf[p] = 0x22;
    this.pos = p + 1;
  }

  /** A string known to be plain ASCII needing no escapes (GUIDs, SIDs, hex, times), quoted. */
  quotedAscii(s: string): void {
    const n = s.length;
    this.ensure(n + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 0x22;
    if (n > 32) p += buf.write(s, p, 'latin1');
    else for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    buf[p++] = 0x22;
    this.pos = p;
  }

  /**
   * Writes `s` as UTF-8 at `p`. Short ASCII strings (numbers, GUIDs, keys) are copied in a loop:
   * Buffer#write costs more in argument checks than such a string takes to copy.
   */
  private chars(s: string, p: number): number {
    const buf = this.buf;
    const n = s.length;
    if (n > 64) return p + buf.write(s, p, 'utf8');
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return p + buf.write(s.slice(i), p, 'utf8');
      buf[p++] = c;
    }
    return p;
  }

  /**
   * UTF-16LE text from `src[start, end)` as a quoted JSON string, transcoded to UTF-8 byte by byte.
   * This skips making a JS string for each value, which is most of the cost of rendering an event.
   */
  utf16(src: Uint8Array, start: number, end: number): void {
    this.ensure(((end - start) >> 1) * 6 + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 0x22;
    for (let i = start; i + 1 < end; i += 2) {
      const c = src[i]! | (src[i + 1]! << 8);
      if (c < 0x80) {
        if (c >= 0x20 && c !== 0x22 && c !== 0x5c) buf[p++] = c;
        else p = escape(buf, p, c);
      } else if (c < 0x800) {
        buf[p++] = 0xc0 | (c >> 6);
        buf[p++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c < 0xdc00 && i + 3 < end && (src[i + 3]! & 0xfc) === 0xdc) {
        const lo = src[i + 2]! | (src[i + 3]! << 8);
        const cp = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        buf[p++] = 0xf0 | (cp >> 18);
        buf[p++] = 0x80 | ((cp >> 12) & 0x3f);
        buf[p++] = 0x80 | ((cp >> 6) & 0x3f);
        buf[p++] = 0x80 | (cp & 0x3f);
        i += 2;
      } else if (c >= 0xd800 && c < 0xe000) {
        p = escape(buf, p, c); // a lone surrogate, escaped as JSON.stringify does
      } else {
        buf[p++] = 0xe0 | (c >> 12);
        buf[p++] = 0x80 | ((c >> 6) & 0x3f);
        buf[p++] = 0x80 | (c & 0x3f);
      }
    }
    buf[p++] = 0x22;
    this.pos = p;
  }

  toString(): string {
    return this.buf.toString('utf8', 0, this.pos);
  }
}

const SHORT: Record<number, string> = {
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0c: 'f',
  0x0d: 'r',
  0x22: '"',
  0x5c: '\\',
};

function escape(buf: Buffer, p: number, c: number): number {
  buf[p++] = 0x5c;
  const s = SHORT[c];
  if (s !== undefined) {
    buf[p++] = s.charCodeAt(0);
    return p;
  }
  buf[p++] = 0x75; // \u00XX
  buf[p++] = HEX.charCodeAt((c >> 12) & 0xf);
  buf[p++] = HEX.charCodeAt((c >> 8) & 0xf);
  buf[p++] = HEX.charCodeAt((c >> 4) & 0xf);
  buf[p++] = HEX.charCodeAt(c & 0xf);
  return p;
}
