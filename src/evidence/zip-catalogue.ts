// Lists a zip bundle so that every byte is accounted for: an entry's, the directory's, or a reported gap.

import type { Problem } from '../core/problem.js';
import type { Bytes } from './zip-bytes.js';
import {
  CENTRAL_SIZE,
  LOCAL_SIZE,
  SIG,
  TAIL_SIZE,
  applyEnd64,
  descriptorLength,
  findEnd,
  hasDescriptor,
  localMismatch,
  parseCentral,
  parseLocal,
} from './zip-format.js';
import type { CentralEntry, EndRecord, LocalHeader } from './zip-format.js';
import { finish } from './zip-entries.js';
import type { Candidate, Item } from './zip-entries.js';
import type { EvidenceLimits } from './types.js';

export type { Item } from './zip-entries.js';

/** Most problems of one code listed from one bundle; the rest are counted in a `limit.problems`. */
const PROBLEMS_PER_CODE = 1000;
/** What is read around a header far from the last one: a page, not a megabyte. */
const PAGE = 4096;
const LOCAL_SIG = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const DESCRIPTOR_SIG = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
/** Data descriptors tried per recovered entry before giving up on it. */
const DESCRIPTOR_TRIES = 64;

class Reporter {
  readonly items: Item[] = [];
  private readonly counts = new Map<string, number>();

  add(p: Problem): void {
    const n = (this.counts.get(p.code) ?? 0) + 1;
    this.counts.set(p.code, n);
    if (n <= PROBLEMS_PER_CODE) this.items.push({ problem: p });
  }

  done(): Item[] {
    for (const [code, n] of this.counts)
      if (n > PROBLEMS_PER_CODE)
        this.items.push({
          problem: {
            code: 'limit.problems',
            message: `${n - PROBLEMS_PER_CODE} more ${code} problems in this bundle not listed`,
            path: '.',
            severity: 'limit',
          },
        });
    return this.items;
  }
}

type Range = [number, number];

export async function catalogue(bytes: Bytes, limits: EvidenceLimits): Promise<Item[]> {
  const report = new Reporter();
  const structures: Range[] = [];
  const cands: Candidate[] = [];
  const end = await endRecord(bytes, report, structures);
  let capped = false;
  if (end) capped = await central(bytes, end, report, structures, cands, limits.maxEntries);
  await locals(bytes, cands);
  overlaps(cands, structures);
  // A full entry cap already says that part of the bundle was not read; scanning its gaps would only add to it.
  if (!capped)
    for (const gap of gaps(cands, structures, bytes.size))
      await recover(bytes, gap, cands, report, { orphans: end !== undefined, maxEntries: limits.maxEntries });
  finish(cands, limits, report, bytes.size);
  return report.done();
}

async function endRecord(
  bytes: Bytes,
  report: Reporter,
  structures: Range[],
): Promise<EndRecord | undefined> {
  const tailAt = Math.max(0, bytes.size - TAIL_SIZE);
  const rec = findEnd(await bytes.exact(tailAt, bytes.size - tailAt), tailAt);
  if (!rec) {
    report.add({
      code: 'zip.no-end-record',
      message:
        'no end-of-central-directory record (not a zip bundle, or cut off): entries are recovered from their local headers, and any past the cut are lost',
      path: '.',
      severity: 'warning',
    });
    return undefined;
  }
  structures.push([rec.at, rec.end]);
  if (rec.locatorAt !== undefined && rec.zip64At !== undefined) {
    structures.push([rec.locatorAt, rec.locatorAt + 20]);
    const z = applyEnd64(rec, await bytes.exact(rec.zip64At, 56));
    if (z.ok) structures.push([rec.zip64At, Math.min(z.end, bytes.size)]);
    else
      report.add({
        code: 'zip.corrupt',
        message: `no ZIP64 end record at offset ${rec.zip64At}, where the locator points; the 32-bit end record is used`,
        path: '.',
        offset: rec.zip64At,
        severity: 'warning',
      });
  }
  return rec;
}

/** Walks the central directory up to the end structures, whatever count and size the end record declares. */
async function central(
  bytes: Bytes,
  rec: EndRecord,
  report: Reporter,
  structures: Range[],
  cands: Candidate[],
  maxEntries: number,
): Promise<boolean> {
  const ends = structures.map(([a]) => a).filter((a) => a > rec.cdOffset);
  const limit = Math.min(rec.at, ...ends);
  let pos = rec.cdOffset;
  let found = 0;
  while (pos + CENTRAL_SIZE <= limit) {
    const b = await bytes.at(pos, Math.min(limit - pos, CENTRAL_SIZE + 3 * 0xffff));
    if (b.readUInt32LE(0) !== SIG.central) break;
    const r = parseCentral(b, 0, found, pos);
    if ('error' in r) break;
    if (found < maxEntries) cands.push(fromCentral(r.entry));
    found++;
    pos += r.length;
  }
  if (pos > rec.cdOffset) structures.push([rec.cdOffset, pos]);
  const where = { path: '.', offset: rec.cdOffset };
  if (found === 0 && rec.entries > 0)
    report.add({
      ...where,
      code: 'zip.corrupt',
      message: `no central directory at offset ${rec.cdOffset}, where the end record points; entries are recovered from their local headers`,
      severity: 'warning',
    });
  else if (found < rec.entries)
    report.add({
      ...where,
      code: 'zip.entries-missing',
      message: `the end record declares ${rec.entries} entries; the central directory holds only ${found}: ${rec.entries - found} may be lost`,
      severity: 'error',
    });
  else if (found !== rec.entries || pos - rec.cdOffset !== rec.cdSize)
    // Other tools trust the declared count and show fewer entries: every header found is read.
    report.add({
      ...where,
      code: 'zip.count-mismatch',
      message: `the end record declares ${rec.entries} entries in ${rec.cdSize} bytes; the central directory holds ${found} in ${pos - rec.cdOffset} bytes (every one found is read)`,
      severity: 'warning',
    });
  if (found > maxEntries) {
    report.add({
      ...where,
      code: 'zip.too-many-entries',
      message: `entry limit of ${maxEntries} reached: ${found - maxEntries} more entries of the central directory not read`,
      severity: 'limit',
    });
    return true;
  }
  return false;
}

function fromCentral(c: CentralEntry): Candidate {
  return { ...c, order: c.index, notes: [], central: c };
}

/** Reads each entry's local header (in file order, so the read window serves neighbours) and sets its range. */
async function locals(bytes: Bytes, cands: Candidate[]): Promise<void> {
  for (const c of [...cands].sort((a, b) => a.header - b.header)) {
    const l = c.header < bytes.size ? await localAt(bytes, c.header, bytes.size) : 'short';
    if (l === undefined || l === 'short') {
      c.refusal = {
        code: l === 'short' ? 'zip.truncated' : 'zip.bad-local-header',
        message:
          l === 'short'
            ? `local header at offset ${c.header} is cut off by the end of the bundle (${bytes.size} bytes)`
            : `no local header at offset ${c.header}, where the central directory points`,
      };
      continue;
    }
    await place(bytes, c, l);
  }
}

async function place(bytes: Bytes, c: Candidate, l: LocalHeader): Promise<void> {
  c.data = c.header + l.length;
  c.end = c.data + c.compressedSize;
  if (c.central) {
    const why = localMismatch(c.central, l);
    if (why)
      c.notes.push({
        code: 'zip.local-mismatch',
        message: `local header disagrees with the central directory (${why}); read as the central directory says`,
        severity: 'warning',
      });
  }
  if (c.end > bytes.size) {
    c.refusal = {
      code: 'zip.truncated',
      message: `data runs past the end of the bundle (${c.end} > ${bytes.size} bytes): cut off`,
    };
    c.end = bytes.size;
  } else if (hasDescriptor(c.flags))
    c.end += descriptorLength(await bytes.at(c.end, 24, PAGE), c.crc32, c.compressedSize, c.uncompressedSize);
}

/** An entry whose bytes begin inside another's (the overlapping zip bomb) or inside the directory is refused. */
function overlaps(cands: Candidate[], structures: Range[]): void {
  type Span = { start: number; end: number; c?: Candidate };
  const spans: Span[] = [
    ...structures.map(([start, end]): Span => ({ start, end })),
    ...cands.filter((c) => c.end !== undefined).map((c) => ({ start: c.header, end: c.end!, c })),
  ].sort((a, b) => a.start - b.start || (a.c?.order ?? -1) - (b.c?.order ?? -1));
  let reach = 0;
  let owner: Span | undefined;
  for (const s of spans) {
    if (owner && s.start < reach) {
      const victim = s.c ?? owner.c;
      const other = s.c ? owner : s;
      if (victim && !victim.refusal)
        victim.refusal = {
          code: 'zip.overlap',
          message: `bytes ${victim.header}..${victim.end} overlap ${other.c ? `the entry at offset ${other.c.header}` : 'the central directory'} (the overlapping-entries zip bomb, or damage); not read`,
        };
    }
    if (s.end > reach) {
      reach = s.end;
      owner = s;
    }
  }
}

function gaps(cands: Candidate[], structures: Range[], size: number): Range[] {
  const covered: Range[] = [...structures];
  for (const c of cands) if (c.end !== undefined) covered.push([c.header, c.end]);
  covered.sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  let at = 0;
  for (const [s, e] of covered) {
    if (s > at) out.push([at, s]);
    at = Math.max(at, e);
  }
  if (at < size) out.push([at, size]);
  return out;
}

/**
 * Looks for local headers in bytes no entry of the central directory claims: a bundle cut off before its
 * directory, a damaged directory, or entries hidden from it. Whatever is not an entry is reported.
 */
async function recover(
  bytes: Bytes,
  [from, to]: Range,
  cands: Candidate[],
  report: Reporter,
  opts: { orphans: boolean; maxEntries: number },
): Promise<void> {
  // A bundle full of false signatures must not make this scan read the file over and over.
  const budget = 4 * bytes.size + (64 << 20);
  let pos = from;
  let unclaimed = from;
  while (pos < to && bytes.scanned < budget && cands.length <= opts.maxEntries) {
    const at = await bytes.find(LOCAL_SIG, pos, to);
    if (at < 0) break;
    const found = await orphan(bytes, at, to);
    if (!found) {
      pos = at + 1;
      continue;
    }
    if (at > unclaimed) unaccounted(report, unclaimed, at);
    found.order = Number.MAX_SAFE_INTEGER / 2 + at;
    if (opts.orphans)
      found.notes.push({
        code: 'zip.orphan-entry',
        message: `entry at offset ${at} is not in the central directory (damaged or hidden); read from its local header`,
        severity: 'warning',
      });
    cands.push(found);
    pos = unclaimed = found.end!;
  }
  if (unclaimed < to) unaccounted(report, unclaimed, to);
}

/** The local header at `at`, read in two steps (fixed part, then name and extra) so as to read no more. */
async function localAt(bytes: Bytes, at: number, to: number): Promise<LocalHeader | 'short' | undefined> {
  const fixed = await bytes.at(at, Math.min(to - at, LOCAL_SIZE), PAGE);
  if (fixed.length < LOCAL_SIZE || fixed.readUInt32LE(0) !== SIG.local) return parseLocal(fixed);
  const length = LOCAL_SIZE + fixed.readUInt16LE(26) + fixed.readUInt16LE(28);
  return parseLocal(await bytes.at(at, Math.min(to - at, length), PAGE));
}

async function orphan(bytes: Bytes, at: number, to: number): Promise<Candidate | undefined> {
  const l = await localAt(bytes, at, to);
  if (l === undefined || l === 'short') return undefined;
  const c: Candidate = { ...l, index: -1, header: at, order: 0, notes: [] };
  c.data = at + l.length;
  if (!hasDescriptor(l.flags)) {
    c.end = c.data + l.compressedSize;
    return c.end <= to ? c : undefined;
  }
  // Sizes follow the data: the first descriptor whose compressed size matches the distance ends the entry.
  for (let d = c.data, tries = 0; tries < DESCRIPTOR_TRIES; tries++, d++) {
    d = await bytes.find(DESCRIPTOR_SIG, d, to);
    if (d < 0) return undefined;
    const b = await bytes.at(d, Math.min(24, to - d));
    for (const wide of [false, true]) {
      if (b.length < (wide ? 24 : 16)) continue;
      const csize = wide ? b.readUInt32LE(12) * 2 ** 32 + b.readUInt32LE(8) : b.readUInt32LE(8);
      if (csize !== d - c.data) continue;
      c.crc32 = b.readUInt32LE(4);
      c.compressedSize = csize;
      c.uncompressedSize = wide ? b.readUInt32LE(20) * 2 ** 32 + b.readUInt32LE(16) : b.readUInt32LE(12);
      c.end = d + (wide ? 24 : 16);
      return c;
    }
  }
  return undefined;
}

function unaccounted(report: Reporter, from: number, to: number): void {
  report.add({
    code: 'zip.unaccounted-bytes',
    message: `bytes ${from}..${to} of the bundle belong to no entry and no directory structure; not read`,
    path: '.',
    offset: from,
    bytes: to - from,
    severity: 'warning',
  });
}
