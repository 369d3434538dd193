// ExSetup.exe's version from its PE version resource (VS_FIXEDFILEINFO), reading only the few bytes it needs.

/** Random access to the file: `length` bytes at `offset` (fewer at the end of the file). */
export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

export type PeVersionResult =
  { ok: true; fileVersion: string; productVersion: string } | { ok: false; error: string; offset?: number };

const RT_VERSION = 16;
const FIXED_SIGNATURE = 0xfeef04bd;
/** Bounds on what a malformed or hostile file can make us read or walk. */
const MAX_SECTIONS = 96;
const MAX_DIR_ENTRIES = 4096;
const MAX_VERSION_BYTES = 64 * 1024;

class PeError extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

interface Section {
  va: number;
  vsize: number;
  rawSize: number;
  rawPtr: number;
}

/**
 * Follows DOS header → PE header → optional header (PE32 or PE32+) → resource directory → RT_VERSION →
 * first name → first language → data entry, then finds VS_FIXEDFILEINFO by its signature. The file version
 * is what HealthChecker reads as FileBuildPart/FilePrivatePart.
 */
export async function readPeFileVersion(read: ReadAt, size: number): Promise<PeVersionResult> {
  try {
    return await readVersion(read, size);
  } catch (e) {
    if (e instanceof PeError) return { ok: false, error: e.message, offset: e.offset };
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

async function readVersion(read: ReadAt, size: number): Promise<PeVersionResult> {
  const exact = async (offset: number, length: number): Promise<Buffer> => {
    if (offset < 0 || length < 0 || offset + length > size)
      throw new PeError(`read past the end of the file`, offset);
    const b = await read(offset, length);
    if (b.length < length) throw new PeError(`short read`, offset);
    return b;
  };
  const dos = await exact(0, 64);
  if (dos.readUInt16LE(0) !== 0x5a4d) throw new PeError('not a PE file (no MZ header)', 0);
  const peOff = dos.readUInt32LE(0x3c);
  const coff = await exact(peOff, 24);
  if (coff.readUInt32LE(0) !== 0x00004550) throw new PeError('no PE signature', peOff);
  const nSections = coff.readUInt16LE(6);
  const optSize = coff.readUInt16LE(20);
  if (nSections === 0 || nSections > MAX_SECTIONS)
    throw new PeError(`implausible section count ${nSections}`, peOff + 6);
  const opt = await exact(peOff + 24, optSize);
  if (optSize < 2) throw new PeError(`optional header of ${optSize} bytes`, peOff + 20);
  const magic = opt.readUInt16LE(0);
  if (magic !== 0x10b && magic !== 0x20b)
    throw new PeError(`unknown optional header magic 0x${magic.toString(16)}`, peOff + 24);
  const dirBase = magic === 0x10b ? 96 : 112;
  // Too short to reach the resource directory's entry: checked before any field past the magic is read.
  if (dirBase + 3 * 8 > optSize) return { ok: false, error: 'no resource directory' };
  const nDirs = opt.readUInt32LE(dirBase - 4);
  if (nDirs < 3) return { ok: false, error: 'no resource directory' };
  const resRva = opt.readUInt32LE(dirBase + 2 * 8);
  if (resRva === 0) return { ok: false, error: 'no resource directory' };

  const secBuf = await exact(peOff + 24 + optSize, nSections * 40);
  const sections: Section[] = [];
  for (let i = 0; i < nSections; i++) {
    const o = i * 40;
    sections.push({
      vsize: secBuf.readUInt32LE(o + 8),
      va: secBuf.readUInt32LE(o + 12),
      rawSize: secBuf.readUInt32LE(o + 16),
      rawPtr: secBuf.readUInt32LE(o + 20),
    });
  }
  const toOffset = (rva: number): number => {
    for (const s of sections) {
      if (rva >= s.va && rva < s.va + Math.max(s.vsize, s.rawSize)) return s.rawPtr + (rva - s.va);
    }
    throw new PeError(`RVA 0x${rva.toString(16)} is in no section`);
  };
  const resBase = toOffset(resRva);

  /** One directory level: the entry whose id matches, or the first entry when `id` is undefined. */
  const entry = async (dirOff: number, id: number | undefined): Promise<number | undefined> => {
    const head = await exact(dirOff, 16);
    const count = head.readUInt16LE(12) + head.readUInt16LE(14);
    if (count > MAX_DIR_ENTRIES) throw new PeError(`implausible resource entry count ${count}`, dirOff);
    if (count === 0) return undefined;
    const entries = await exact(dirOff + 16, count * 8);
    for (let i = 0; i < count; i++) {
      const name = entries.readUInt32LE(i * 8);
      if (id === undefined || (!(name & 0x80000000) && name === id)) return entries.readUInt32LE(i * 8 + 4);
    }
    return undefined;
  };
  const subdir = (ref: number | undefined, what: string): number => {
    if (ref === undefined || !(ref & 0x80000000))
      throw new PeError(`no ${what} in the resource directory`, resBase);
    return resBase + (ref & 0x7fffffff);
  };
  const typeDir = subdir(await entry(resBase, RT_VERSION), 'version resource');
  const langDir = subdir(await entry(typeDir, undefined), 'version resource name');
  const dataRef = await entry(langDir, undefined);
  if (dataRef === undefined || dataRef & 0x80000000)
    throw new PeError('no version resource data entry', langDir);
  const dataEntry = await exact(resBase + dataRef, 16);
  const dataOff = toOffset(dataEntry.readUInt32LE(0));
  const dataLen = Math.min(dataEntry.readUInt32LE(4), MAX_VERSION_BYTES, size - dataOff);
  const data = await exact(dataOff, dataLen);
  for (let i = 0; i + 52 <= data.length; i += 4) {
    if (data.readUInt32LE(i) !== FIXED_SIGNATURE) continue;
    const quad = (ms: number, ls: number) => [ms >>> 16, ms & 0xffff, ls >>> 16, ls & 0xffff].join('.');
    return {
      ok: true,
      fileVersion: quad(data.readUInt32LE(i + 8), data.readUInt32LE(i + 12)),
      productVersion: quad(data.readUInt32LE(i + 16), data.readUInt32LE(i + 20)),
    };
  }
  throw new PeError('version resource without VS_FIXEDFILEINFO', dataOff);
}
