// Test helper: writes zip bundles byte by byte, hostile ones included (lying headers, hidden entries, bombs).

import { crc32, deflateRawSync } from 'node:zlib';

export interface ForgeEntry {
  name: string;
  /** The content; compressed here unless `raw` gives the bytes stored in the bundle. */
  data: Buffer;
  /** 8 (deflate) unless said otherwise. */
  method?: number;
  raw?: Buffer;
  flags?: number;
  /** What the headers claim, whatever the data says. */
  crc32?: number;
  size?: number;
  compressedSize?: number;
  /** What the local header alone claims. */
  localName?: string;
  localMethod?: number;
  /** Sizes and CRC after the data (flag bit 3), zeros in the local header. */
  descriptor?: boolean;
}

interface ForgeOptions {
  /** Entry count the end record declares (default: the true count). */
  declaredCount?: number;
  /** Entries (by position) left out of the central directory: only their local headers remain. */
  hidden?: number[];
  /** Extra central records named `name` that point at the local header of entry `target`. */
  aliases?: { name: string; target: number }[];
}

/** A bundle, and where each entry's local header and the central directory start. */
interface Forged {
  zip: Buffer;
  headers: number[];
  cdOffset: number;
}

export function forgeZip(entries: ForgeEntry[], opts: ForgeOptions = {}): Forged {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const headers: number[] = [];
  const fields: { crc: number; csize: number; usize: number; e: ForgeEntry }[] = [];
  let at = 0;
  for (const e of entries) {
    const method = e.method ?? 8;
    const raw = e.raw ?? (method === 8 ? deflateRawSync(e.data) : e.data);
    const crc = e.crc32 ?? crc32(e.data);
    const csize = e.compressedSize ?? raw.length;
    const usize = e.size ?? e.data.length;
    const flags = (e.flags ?? 0) | (e.descriptor ? 8 : 0);
    const name = Buffer.from(e.localName ?? e.name);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(flags, 6);
    lh.writeUInt16LE(e.localMethod ?? method, 8);
    lh.writeUInt16LE(0x6000, 10); // 12:00
    lh.writeUInt16LE((43 << 9) | (1 << 5) | 1, 12); // 2023-01-01
    if (!e.descriptor) {
      lh.writeUInt32LE(crc >>> 0, 14);
      lh.writeUInt32LE(csize, 18);
      lh.writeUInt32LE(usize, 22);
    }
    lh.writeUInt16LE(name.length, 26);
    const parts = [lh, name, raw];
    if (e.descriptor) {
      const d = Buffer.alloc(16);
      d.writeUInt32LE(0x08074b50, 0);
      d.writeUInt32LE(crc >>> 0, 4);
      d.writeUInt32LE(csize, 8);
      d.writeUInt32LE(usize, 12);
      parts.push(d);
    }
    const local = Buffer.concat(parts);
    headers.push(at);
    locals.push(local);
    fields.push({ crc, csize, usize, e: { ...e, method, flags } });
    at += local.length;
  }
  const central = (i: number, name: string) => {
    const { crc, csize, usize, e } = fields[i]!;
    const n = Buffer.from(name);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(e.flags ?? 0, 8);
    ch.writeUInt16LE(e.method ?? 8, 10);
    ch.writeUInt16LE(0x6000, 12);
    ch.writeUInt16LE((43 << 9) | (1 << 5) | 1, 14);
    ch.writeUInt32LE(crc >>> 0, 16);
    ch.writeUInt32LE(csize, 20);
    ch.writeUInt32LE(usize, 24);
    ch.writeUInt16LE(n.length, 28);
    ch.writeUInt32LE(headers[i]!, 42);
    return Buffer.concat([ch, n]);
  };
  for (const [i, e] of entries.entries()) if (!opts.hidden?.includes(i)) centrals.push(central(i, e.name));
  for (const a of opts.aliases ?? []) centrals.push(central(a.target, a.name));
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(opts.declaredCount ?? centrals.length, 8);
  end.writeUInt16LE(opts.declaredCount ?? centrals.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(at, 16);
  return { zip: Buffer.concat([...locals, cd, end]), headers, cdOffset: at };
}

/**
 * The overlapping-entries zip bomb (David Fifield's construction, written here from its description): every
 * entry's compressed data quotes the next entries' local headers in stored deflate blocks, then ends in one
 * shared kernel, so `count` entries each inflate to the whole kernel from a file barely larger than it.
 * `kernel` is raw deflate data that inflates to `kernelSize` bytes, `kernelOut` when given (the CRCs are
 * then right; without it they are zero).
 */
export function overlapBomb(
  kernel: Buffer,
  kernelOut: Buffer | undefined,
  count: number,
  kernelSize: number,
): Buffer {
  const names = Array.from({ length: count }, (_, i) => Buffer.from(`f${String(i).padStart(6, '0')}.log`));
  // Built from the last entry back: entry i's local header holds its CRC and sizes, which cover i+1's header.
  const lhs: Buffer[] = new Array<Buffer>(count);
  const csizes: number[] = new Array<number>(count);
  const usizes: number[] = new Array<number>(count);
  const crcs: number[] = new Array<number>(count);
  let tailOut = kernelSize;
  let tailIn = kernel.length;
  for (let i = count - 1; i >= 0; i--) {
    let crc = 0;
    if (kernelOut) {
      for (let j = i + 1; j < count; j++) crc = crc32(lhs[j]!, crc);
      crc = crc32(kernelOut, crc);
    }
    const lh = Buffer.alloc(30 + names[i]!.length);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(8, 8);
    lh.writeUInt32LE(crc >>> 0, 14);
    lh.writeUInt32LE(tailIn, 18);
    lh.writeUInt32LE(tailOut, 22);
    lh.writeUInt16LE(names[i]!.length, 26);
    names[i]!.copy(lh, 30);
    lhs[i] = lh;
    csizes[i] = tailIn;
    usizes[i] = tailOut;
    crcs[i] = crc;
    // The entry before this one quotes this header in a stored block (5 bytes of block header).
    tailIn += 5 + lh.length;
    tailOut += lh.length;
  }
  const body: Buffer[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    offsets.push(at);
    body.push(lhs[i]!);
    at += lhs[i]!.length;
    const next = lhs[i + 1];
    if (next) {
      const q = Buffer.alloc(5);
      q.writeUInt16LE(next.length, 1);
      q.writeUInt16LE(~next.length & 0xffff, 3);
      body.push(q);
      at += 5;
    }
  }
  body.push(kernel);
  at += kernel.length;
  const cd: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const ch = Buffer.alloc(46 + names[i]!.length);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(crcs[i]! >>> 0, 16);
    ch.writeUInt32LE(csizes[i]!, 20);
    ch.writeUInt32LE(usizes[i]!, 24);
    ch.writeUInt16LE(names[i]!.length, 28);
    ch.writeUInt32LE(offsets[i]!, 42);
    names[i]!.copy(ch, 46);
    cd.push(ch);
  }
  const cdBuf = Buffer.concat(cd);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(cdBuf.length, 12);
  end.writeUInt32LE(at, 16);
  return Buffer.concat([...body, cdBuf, end]);
}
