// Zip bundles written byte by byte, so that every field can lie: counts, names, offsets, sizes, checksums.

import { crc32 } from '../lib/binaries.js';

export interface RawEntry {
  name: string;
  /** The bytes stored in the bundle (deflated when `method` is 8). */
  data: Buffer;
  method?: 0 | 8;
  crc: number;
  /** Sizes as the headers declare them; default: the truth. */
  compressed?: number;
  uncompressed: number;
  /** Point the central entry at another entry's local header (overlapping entries), by its index. */
  sharesWith?: number;
  /** Declare the sizes in a ZIP64 extra field. */
  zip64?: boolean;
}

function local(e: RawEntry): Buffer {
  const name = Buffer.from(e.name, 'utf8');
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(e.zip64 ? 45 : 20, 4);
  h.writeUInt16LE(0x0800, 6);
  h.writeUInt16LE(e.method ?? 0, 8);
  h.writeUInt16LE(0x6000, 10);
  h.writeUInt16LE(0x5263, 12);
  h.writeUInt32LE(e.crc >>> 0, 14);
  h.writeUInt32LE(e.zip64 ? 0xffffffff : (e.compressed ?? e.data.length), 18);
  h.writeUInt32LE(e.zip64 ? 0xffffffff : e.uncompressed, 22);
  h.writeUInt16LE(name.length, 26);
  const extra = e.zip64 ? zip64Extra(e, false) : Buffer.alloc(0);
  h.writeUInt16LE(extra.length, 28);
  return Buffer.concat([h, name, extra]);
}

function zip64Extra(e: RawEntry, withOffset: boolean, offset = 0): Buffer {
  const x = Buffer.alloc(withOffset ? 28 : 20);
  x.writeUInt16LE(1, 0);
  x.writeUInt16LE(x.length - 4, 2);
  x.writeBigUInt64LE(BigInt(e.uncompressed), 4);
  x.writeBigUInt64LE(BigInt(e.compressed ?? e.data.length), 12);
  if (withOffset) x.writeBigUInt64LE(BigInt(offset), 20);
  return x;
}

function central(e: RawEntry, offset: number): Buffer {
  const name = Buffer.from(e.name, 'utf8');
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(0x0314, 4);
  h.writeUInt16LE(e.zip64 ? 45 : 20, 6);
  h.writeUInt16LE(0x0800, 8);
  h.writeUInt16LE(e.method ?? 0, 10);
  h.writeUInt16LE(0x6000, 12);
  h.writeUInt16LE(0x5263, 14);
  h.writeUInt32LE(e.crc >>> 0, 16);
  h.writeUInt32LE(e.zip64 ? 0xffffffff : (e.compressed ?? e.data.length), 20);
  h.writeUInt32LE(e.zip64 ? 0xffffffff : e.uncompressed, 24);
  h.writeUInt16LE(name.length, 28);
  const extra = e.zip64 ? zip64Extra(e, true, offset) : Buffer.alloc(0);
  h.writeUInt16LE(extra.length, 30);
  h.writeUInt32LE(e.zip64 ? 0xffffffff : offset, 42);
  return Buffer.concat([h, name, extra]);
}

/** A bundle of `entries`; `declare` overrides the entry count the end record states. */
export function rawZip(entries: readonly RawEntry[], opts: { declare?: number } = {}): Buffer {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (const e of entries) {
    if (e.sharesWith !== undefined) {
      offsets.push(offsets[e.sharesWith] ?? 0);
      continue;
    }
    offsets.push(at);
    const l = local(e);
    parts.push(l, e.data);
    at += l.length + e.data.length;
  }
  const cd = Buffer.concat(entries.map((e, i) => central(e, offsets[i] ?? 0)));
  const end = Buffer.alloc(22);
  const n = Math.min(opts.declare ?? entries.length, 0xffff);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(n, 8);
  end.writeUInt16LE(n, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(at, 16);
  if (entries.length <= 0xffff) return Buffer.concat([...parts, cd, end]);
  // More entries than 16 bits hold: a ZIP64 end record and its locator before the classic one.
  const end64 = Buffer.alloc(56);
  end64.writeUInt32LE(0x06064b50, 0);
  end64.writeBigUInt64LE(44n, 4);
  end64.writeUInt16LE(45, 12);
  end64.writeUInt16LE(45, 14);
  end64.writeBigUInt64LE(BigInt(opts.declare ?? entries.length), 24);
  end64.writeBigUInt64LE(BigInt(opts.declare ?? entries.length), 32);
  end64.writeBigUInt64LE(BigInt(cd.length), 40);
  end64.writeBigUInt64LE(BigInt(at), 48);
  const loc = Buffer.alloc(20);
  loc.writeUInt32LE(0x07064b50, 0);
  loc.writeBigUInt64LE(BigInt(at + cd.length), 8);
  loc.writeUInt32LE(1, 16);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([...parts, cd, end64, loc, end]);
}

export function stored(name: string, text: string | Buffer): RawEntry {
  const data = Buffer.isBuffer(text) ? text : Buffer.from(text);
  return { name, data, crc: crc32(data), uncompressed: data.length };
}
