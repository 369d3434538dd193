// Test support: writes small, valid EVTX files (templates, substitutions, CRCs) for unit tests.
import { crc32 } from '../crc32.js';

/**
 * A template node: an element, literal text, a substitution of value `sub` with `type`, or a template
 * instance with its own values written inside the template (as hostile files do, to nest templates).
 */
export type TNode =
  | { el: string; attrs?: [string, TText][]; kids?: TNode[] }
  | { inst: [key: string, root: TNode, values: TValue[]] }
  | TText;
type TText = string | { sub: number; type: number; optional?: boolean };

/**
 * A substitution value: raw bytes of a type (`size` overrides the size its descriptor claims), or a
 * nested BinXML template instance built in place.
 */
export type TValue =
  { type: number; bytes: Buffer; size?: number } | { nested: [key: string, root: TNode, values: TValue[]] };

export const utf16z = (s: string): Buffer => Buffer.from(s + '\0', 'utf16le');
export const u32le = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
export const u64le = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
};

/** Builds one chunk: records are appended with a template that is defined inline on first use. */
export class ChunkBuilder {
  readonly buf = Buffer.alloc(65536);
  private pos = 512;
  private readonly names = new Map<string, number>();
  private readonly templates = new Map<string, number>();
  private first = 0;
  private last = 0;
  private lastOffset = 0;

  private u8(n: number): void {
    this.buf[this.pos++] = n;
  }
  private u16(n: number): void {
    this.buf.writeUInt16LE(n, this.pos);
    this.pos += 2;
  }
  private u32(n: number): void {
    this.buf.writeUInt32LE(n >>> 0, this.pos);
    this.pos += 4;
  }

  private name(s: string): void {
    const known = this.names.get(s);
    if (known !== undefined) return this.u32(known);
    this.u32(this.pos + 4);
    this.names.set(s, this.pos);
    this.u32(0); // next name in the hash bucket
    this.u16(0); // hash (readers do not check it)
    this.u16(s.length);
    this.pos += this.buf.write(s + '\0', this.pos, 'utf16le');
  }

  private text(t: TText): void {
    if (typeof t === 'string') {
      this.u8(0x05);
      this.u8(0x01);
      this.u16(t.length);
      this.pos += this.buf.write(t, this.pos, 'utf16le');
    } else {
      this.u8(t.optional ? 0x0e : 0x0d);
      this.u16(t.sub);
      this.u8(t.type);
    }
  }

  private element(n: TNode, inTemplate: boolean): void {
    if (typeof n !== 'string' && 'inst' in n) return this.instance(...n.inst);
    if (typeof n === 'string' || !('el' in n)) return this.text(n);
    const attrs = n.attrs ?? [];
    this.u8(attrs.length > 0 ? 0x41 : 0x01);
    if (inTemplate) this.u16(0xffff);
    this.u32(0); // data size (readers use the tokens)
    this.name(n.el);
    if (attrs.length > 0) {
      this.u32(0); // attribute list size
      attrs.forEach(([name, value], i) => {
        this.u8(i < attrs.length - 1 ? 0x46 : 0x06);
        this.name(name);
        this.text(value);
      });
    }
    const kids = n.kids ?? [];
    if (kids.length === 0) return this.u8(0x03);
    this.u8(0x02);
    for (const k of kids) this.element(k, inTemplate);
    this.u8(0x04);
  }

  /** Template instance of `root` (keyed by `key`) with `values`, as a record body or nested value. */
  instance(key: string, root: TNode, values: TValue[]): void {
    this.u8(0x0c);
    this.u8(0x01);
    this.u32(0x1234);
    const known = this.templates.get(key);
    if (known !== undefined) this.u32(known);
    else {
      this.u32(this.pos + 4);
      this.templates.set(key, this.pos);
      this.u32(0); // next template
      this.pos += 16; // GUID
      const sizeAt = this.pos;
      this.u32(0);
      const start = this.pos;
      this.fragment(() => this.element(root, true));
      this.buf.writeUInt32LE(this.pos - start, sizeAt);
    }
    this.u32(values.length);
    const desc = this.pos;
    for (const v of values) {
      this.u16('bytes' in v ? (v.size ?? v.bytes.length) : 0);
      this.u8('bytes' in v ? v.type : 0x21);
      this.u8(0);
    }
    values.forEach((v, i) => {
      if ('bytes' in v) this.pos += v.bytes.copy(this.buf, this.pos);
      else {
        // Nested BinXML defines its names and template inline at their final offsets.
        const start = this.pos;
        this.fragment(() => this.instance(...v.nested));
        this.buf.writeUInt16LE(this.pos - start, desc + 4 * i);
      }
    });
  }

  private fragment(body: () => void): void {
    this.u8(0x0f);
    this.u8(0x01);
    this.u8(0x01);
    this.u8(0x00);
    body();
    this.u8(0x00);
  }

  /** A record whose body is a template instance; returns its chunk offset. */
  record(id: number, key: string, root: TNode, values: TValue[], written = 0n): number {
    return this.recordWith(id, written, () => this.fragment(() => this.instance(key, root, values)));
  }

  /** A record whose body is the BinXML `body(offset)` returns, given the chunk offset it starts at. */
  rawRecord(id: number, body: (offset: number) => Buffer): number {
    return this.recordWith(id, 0n, () => {
      this.pos += body(this.pos).copy(this.buf, this.pos);
    });
  }

  /** The chunk offset the next record will start at. */
  get offset(): number {
    return this.pos;
  }

  private recordWith(id: number, written: bigint, body: () => void): number {
    const start = this.pos;
    this.u32(0x2a2a);
    this.u32(0);
    this.buf.writeBigUInt64LE(BigInt(id), this.pos);
    this.pos += 8;
    this.buf.writeBigUInt64LE(written, this.pos);
    this.pos += 8;
    body();
    const size = this.pos + 4 - start;
    this.u32(size);
    this.buf.writeUInt32LE(size, start + 4);
    if (this.first === 0) this.first = id;
    this.last = id;
    this.lastOffset = start;
    return start;
  }

  /** Header fields and both CRC32s. */
  finish(): Buffer {
    const b = this.buf;
    b.write('ElfChnk\0', 0, 'latin1');
    b.writeBigUInt64LE(BigInt(this.first), 8);
    b.writeBigUInt64LE(BigInt(this.last), 16);
    b.writeBigUInt64LE(BigInt(this.first), 24);
    b.writeBigUInt64LE(BigInt(this.last), 32);
    b.writeUInt32LE(128, 40);
    b.writeUInt32LE(this.lastOffset, 44);
    b.writeUInt32LE(this.pos, 48);
    b.writeUInt32LE(crc32(b.subarray(512, this.pos)), 52);
    b.writeUInt32LE(crc32(b.subarray(128, 512), crc32(b.subarray(0, 120))), 124);
    return b;
  }
}

/** A file header for `chunks` chunks, with its CRC32. */
export function fileHeader(chunks: number, flags = 0): Buffer {
  const h = Buffer.alloc(4096);
  h.write('ElfFile\0', 0, 'latin1');
  h.writeBigUInt64LE(BigInt(Math.max(chunks - 1, 0)), 16);
  h.writeUInt32LE(128, 32);
  h.writeUInt16LE(1, 36);
  h.writeUInt16LE(3, 38);
  h.writeUInt16LE(4096, 40);
  h.writeUInt16LE(chunks, 42);
  h.writeUInt32LE(flags, 120);
  h.writeUInt32LE(crc32(h.subarray(0, 120)), 124);
  return h;
}
