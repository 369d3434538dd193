// The ZIP structures, parsed from bytes with every length checked: end records, central and local headers, names.

import { crc32 } from 'node:zlib';
import { displayName } from './display-path.js';

export const SIG = {
  local: 0x04034b50,
  central: 0x02014b50,
  end: 0x06054b50,
  end64: 0x06064b50,
  locator64: 0x07064b50,
  descriptor: 0x08074b50,
} as const;

const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
const END_SIZE = 22;
const LOCATOR64_SIZE = 20;
export const CENTRAL_SIZE = 46;
export const LOCAL_SIZE = 30;
/** The end record's comment is at most 64 KiB, so the record lies in the file's last 64 KiB + 22 bytes. */
export const TAIL_SIZE = END_SIZE + MAX16 + LOCATOR64_SIZE;

export interface EndRecord {
  /** Offset of the end record, and of the byte after its comment. */
  at: number;
  end: number;
  entries: number;
  cdSize: number;
  cdOffset: number;
  /** Set when a ZIP64 locator precedes the end record. */
  locatorAt?: number;
  zip64At?: number;
}

/** The last end record in `tail` (which starts at file offset `base`) whose comment fits in the file. */
export function findEnd(tail: Buffer, base: number): EndRecord | undefined {
  for (let i = tail.length - END_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== SIG.end) continue;
    const comment = tail.readUInt16LE(i + 20);
    if (i + END_SIZE + comment > tail.length) continue;
    const rec: EndRecord = {
      at: base + i,
      end: base + i + END_SIZE + comment,
      entries: tail.readUInt16LE(i + 10),
      cdSize: tail.readUInt32LE(i + 12),
      cdOffset: tail.readUInt32LE(i + 16),
    };
    if (i >= LOCATOR64_SIZE && tail.readUInt32LE(i - LOCATOR64_SIZE) === SIG.locator64) {
      rec.locatorAt = base + i - LOCATOR64_SIZE;
      rec.zip64At = u64(tail, i - LOCATOR64_SIZE + 8);
    }
    return rec;
  }
  return undefined;
}

/** Applies a ZIP64 end record (56 bytes at `rec.zip64At`); false when it is not one. */
export function applyEnd64(rec: EndRecord, b: Buffer): { ok: boolean; end: number } {
  if (b.length < 56 || b.readUInt32LE(0) !== SIG.end64) return { ok: false, end: 0 };
  rec.entries = u64(b, 32);
  rec.cdSize = u64(b, 40);
  rec.cdOffset = u64(b, 48);
  return { ok: true, end: (rec.zip64At ?? 0) + 12 + u64(b, 4) };
}

export interface CentralEntry {
  /** Position in the central directory, and offset of its header there. */
  index: number;
  at: number;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the local header. */
  header: number;
  name: Buffer;
  extra: Buffer;
  dosTime: number;
  dosDate: number;
}

/** One central header at `off` in `b` (which holds it whole), or why not; `length` is its size in bytes. */
export function parseCentral(
  b: Buffer,
  off: number,
  index: number,
  at: number,
): { entry: CentralEntry; length: number } | { error: string } {
  if (b.length - off < CENTRAL_SIZE || b.readUInt32LE(off) !== SIG.central)
    return { error: 'no central directory header' };
  const n = b.readUInt16LE(off + 28);
  const m = b.readUInt16LE(off + 30);
  const k = b.readUInt16LE(off + 32);
  const length = CENTRAL_SIZE + n + m + k;
  if (b.length - off < length) return { error: 'central directory header cut off' };
  const entry: CentralEntry = {
    index,
    at,
    flags: b.readUInt16LE(off + 8),
    method: b.readUInt16LE(off + 10),
    dosTime: b.readUInt16LE(off + 12),
    dosDate: b.readUInt16LE(off + 14),
    crc32: b.readUInt32LE(off + 16),
    compressedSize: b.readUInt32LE(off + 20),
    uncompressedSize: b.readUInt32LE(off + 24),
    header: b.readUInt32LE(off + 42),
    name: Buffer.from(b.subarray(off + CENTRAL_SIZE, off + CENTRAL_SIZE + n)),
    extra: Buffer.from(b.subarray(off + CENTRAL_SIZE + n, off + CENTRAL_SIZE + n + m)),
  };
  // ZIP64: the fields set to all ones are in the extra field, in this order, only those that are.
  const z = extraField(entry.extra, 0x0001);
  if (z) {
    let p = 0;
    const take = () => (p + 8 <= z.length ? u64(z, (p += 8) - 8) : undefined);
    if (entry.uncompressedSize === MAX32) entry.uncompressedSize = take() ?? MAX32;
    if (entry.compressedSize === MAX32) entry.compressedSize = take() ?? MAX32;
    if (entry.header === MAX32) entry.header = take() ?? MAX32;
  }
  return { entry, length };
}

export interface LocalHeader {
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  name: Buffer;
  extra: Buffer;
  dosTime: number;
  dosDate: number;
  /** Bytes from the header's start to its data. */
  length: number;
}

/** The local header at the start of `b`; `undefined` when `b` lacks its fixed part or its signature. */
export function parseLocal(b: Buffer): LocalHeader | 'short' | undefined {
  if (b.length < LOCAL_SIZE) return 'short';
  if (b.readUInt32LE(0) !== SIG.local) return undefined;
  const n = b.readUInt16LE(26);
  const m = b.readUInt16LE(28);
  if (b.length < LOCAL_SIZE + n + m) return 'short';
  const h: LocalHeader = {
    flags: b.readUInt16LE(6),
    method: b.readUInt16LE(8),
    dosTime: b.readUInt16LE(10),
    dosDate: b.readUInt16LE(12),
    crc32: b.readUInt32LE(14),
    compressedSize: b.readUInt32LE(18),
    uncompressedSize: b.readUInt32LE(22),
    name: Buffer.from(b.subarray(LOCAL_SIZE, LOCAL_SIZE + n)),
    extra: Buffer.from(b.subarray(LOCAL_SIZE + n, LOCAL_SIZE + n + m)),
    length: LOCAL_SIZE + n + m,
  };
  // In a local header, ZIP64 sizes come as a pair whenever either is all ones.
  const z = extraField(h.extra, 0x0001);
  if (z && z.length >= 16 && (h.uncompressedSize === MAX32 || h.compressedSize === MAX32)) {
    h.uncompressedSize = u64(z, 0);
    h.compressedSize = u64(z, 8);
  }
  return h;
}

/** Bit 3: sizes and CRC follow the data in a descriptor (the local header may hold zeros). */
export const hasDescriptor = (flags: number) => (flags & 0x0008) !== 0;
export const isEncrypted = (flags: number) => (flags & 0x0041) !== 0;

/**
 * How a local header disagrees with its central one, or undefined. Only what changes how the bytes are
 * read counts: name, method, encryption, and the CRC and sizes when the local header carries them.
 */
export function localMismatch(c: CentralEntry, l: LocalHeader): string | undefined {
  if (!c.name.equals(l.name)) return `local name "${nameOf(l.flags, l.name, l.extra)}"`;
  if (c.method !== l.method) return `local compression method ${l.method}, central ${c.method}`;
  if ((c.flags & 0x0849) !== (l.flags & 0x0849))
    return `local flags 0x${l.flags.toString(16)}, central 0x${c.flags.toString(16)}`;
  if (hasDescriptor(l.flags)) return undefined;
  if (l.crc32 !== c.crc32) return `local CRC-32 ${hex(l.crc32)}, central ${hex(c.crc32)}`;
  if (l.compressedSize !== c.compressedSize || l.uncompressedSize !== c.uncompressedSize)
    return `local sizes ${l.compressedSize}/${l.uncompressedSize}, central ${c.compressedSize}/${c.uncompressedSize}`;
  return undefined;
}

/**
 * Length of the data descriptor at the start of `b` that matches the entry (12 to 24 bytes: an optional
 * signature, the CRC, then 4- or 8-byte sizes), or 0 when none does.
 */
export function descriptorLength(b: Buffer, crc: number, csize: number, usize: number): number {
  for (const sig of [true, false])
    for (const wide of [false, true]) {
      const s = sig ? 4 : 0;
      const len = s + 4 + (wide ? 16 : 8);
      if (b.length < len || (sig && b.readUInt32LE(0) !== SIG.descriptor)) continue;
      const c = wide ? u64(b, s + 4) : b.readUInt32LE(s + 4);
      const u = wide ? u64(b, s + 12) : b.readUInt32LE(s + 8);
      if (b.readUInt32LE(s) === crc && c === csize && u === usize) return len;
    }
  return 0;
}

/**
 * The entry's name as shown: UTF-8 when the UTF-8 flag is set, when an Info-ZIP Unicode path field vouches
 * for it, or when the bytes are well-formed UTF-8 anyway (Info-ZIP on Unix writes UTF-8 without the flag);
 * otherwise code page 437, the format's default. Backslashes are separators (some Windows tools write
 * them); bytes that are not UTF-8 show as `\xNN`, as in folders.
 */
export function nameOf(flags: number, raw: Buffer, extra: Buffer): string {
  const up = extraField(extra, 0x7075);
  if (up && up.length >= 6 && up[0] === 1 && up.readUInt32LE(1) === crc32(raw))
    return utf8Name(up.subarray(5));
  if (flags & 0x0800) return utf8Name(raw);
  const asUtf8 = utf8Name(raw);
  return asUtf8.includes('\\x') ? cp437(raw) : asUtf8;
}

function utf8Name(raw: Buffer): string {
  const b = Buffer.from(raw);
  for (let i = 0; i < b.length; i++) if (b[i] === 0x5c) b[i] = 0x2f;
  return displayName(b);
}

const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

function cp437(raw: Buffer): string {
  let s = '';
  for (const b of raw) s += b === 0x5c ? '/' : b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  return s;
}

/** Why a name may not be used as a path under the evidence root, or undefined. */
export function unsafeName(name: string): string | undefined {
  if (name.length === 0) return 'empty name';
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return 'absolute path';
  if (name.split('/').includes('..')) return 'parent-folder (..) path';
  if (name.includes('\0')) return 'NUL byte in name';
  return undefined;
}

/** Last-write time, UTC ISO-8601: the Info-ZIP or NTFS extra field, else the DOS fields (no zone: taken as UTC). */
export function modifiedOf(extra: Buffer, dosDate: number, dosTime: number): string | undefined {
  let ms: number | undefined;
  const ut = extraField(extra, 0x5455);
  if (ut && ut.length >= 5 && ut[0]! & 1) ms = ut.readInt32LE(1) * 1000;
  const nt = extraField(extra, 0x000a);
  if (ms === undefined && nt && nt.length >= 32 && nt.readUInt16LE(4) === 1 && nt.readUInt16LE(6) >= 24)
    ms = (nt.readUInt32LE(8) + 2 ** 32 * nt.readUInt32LE(12)) / 10_000 - 11_644_473_600_000;
  if (ms === undefined) {
    const [y, mo, d] = [(dosDate >> 9) + 1980, ((dosDate >> 5) & 15) - 1, dosDate & 31];
    const [h, mi, s] = [dosTime >> 11, (dosTime >> 5) & 63, (dosTime & 31) * 2];
    if (mo < 0 || mo > 11 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
    ms = Date.UTC(y, mo, d, h, mi, s);
  }
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The data of the first extra field with this id, or undefined; a malformed extra area just ends the search. */
function extraField(extra: Buffer, id: number): Buffer | undefined {
  for (let i = 0; i + 4 <= extra.length;) {
    const len = extra.readUInt16LE(i + 2);
    if (i + 4 + len > extra.length) return undefined;
    if (extra.readUInt16LE(i) === id) return extra.subarray(i + 4, i + 4 + len);
    i += 4 + len;
  }
  return undefined;
}

export function u64(b: Buffer, off: number): number {
  // Above 2^53 a Number loses precision; such offsets and sizes lie past any real file and are refused there.
  return b.readUInt32LE(off + 4) * 2 ** 32 + b.readUInt32LE(off);
}

export const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
