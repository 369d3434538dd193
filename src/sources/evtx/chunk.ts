// One 64 KiB chunk: header checks (magic, CRC32s) and the walk over its event records.
import { allZero, u32, u64n } from './bytes.js';
import { crc32 } from './crc32.js';
import { CHUNK_SIZE } from './header.js';

export const CHUNK_MAGIC = Buffer.from('ElfChnk\0', 'latin1');
export const CHUNK_HEADER_SIZE = 512;
const RECORD_MAGIC = 0x00002a2a;
/** Record header (magic, size, id, written time) plus the trailing copy of the size. */
export const RECORD_OVERHEAD = 28;

export interface ChunkHeader {
  firstRecordNumber: number;
  lastRecordNumber: number;
  firstRecordId: number;
  lastRecordId: number;
  headerSize: number;
  lastRecordOffset: number;
  freeSpaceOffset: number;
  recordsChecksum: number;
  headerChecksum: number;
}

/** A problem found in a chunk, at a chunk-relative offset. */
export interface ChunkIssue {
  code: string;
  message: string;
  offset: number;
  severity: 'error' | 'warning';
  /** The record number, when the issue is one record lost or unreadable. */
  recordId?: number;
  /** Bytes left unread or read with doubts, when known. */
  bytes?: number;
}

/** Where one event record sits in its chunk. */
export interface RecordRef {
  /** Chunk-relative offset of the record header. */
  offset: number;
  size: number;
  id: number;
  writtenLo: number;
  writtenHi: number;
  /** False when the size copied at the end of the record disagrees with the size at its start. */
  sizeCopyOk: boolean;
}

type ChunkState = 'empty' | 'bad' | 'ok';

export function readChunkHeader(b: Uint8Array): ChunkHeader {
  return {
    firstRecordNumber: u64n(b, 8),
    lastRecordNumber: u64n(b, 16),
    firstRecordId: u64n(b, 24),
    lastRecordId: u64n(b, 32),
    headerSize: u32(b, 40),
    lastRecordOffset: u32(b, 44),
    freeSpaceOffset: u32(b, 48),
    recordsChecksum: u32(b, 52),
    headerChecksum: u32(b, 124),
  };
}

const h32 = (n: number): string => '0x' + n.toString(16);

interface ChunkCheck {
  state: ChunkState;
  header?: ChunkHeader;
  /** Both CRC32s hold: records are decoded lazily. */
  trusted: boolean;
  /** The header's own CRC32 holds, so its record numbers can say which records a damaged range lost. */
  headerOk: boolean;
}

/**
 * Classifies a chunk: all zeros (never used), unreadable (bad magic, or too short), or readable. A
 * readable chunk may still carry checksum warnings: its records are then each checked on their own.
 * `verifyChecksums` is false for files whose header flags say they carry no CRC32s. A chunk cut short
 * (the end of a truncated file) has its header checked but not its records' CRC32, which covers bytes
 * that are missing.
 */
export function checkChunk(b: Buffer, issues: ChunkIssue[], verifyChecksums = true): ChunkCheck {
  if (allZero(b, 0, b.length)) return { state: 'empty', trusted: false, headerOk: false };
  if (b.length < CHUNK_HEADER_SIZE && CHUNK_MAGIC.subarray(0, b.length).equals(b.subarray(0, 8))) {
    // The magic is there but the file ends inside the header: the caller reports the truncation.
    return { state: 'bad', trusted: false, headerOk: false };
  }
  if (b.length < CHUNK_HEADER_SIZE || !CHUNK_MAGIC.equals(b.subarray(0, 8))) {
    const found = b.subarray(0, 8).toString('hex');
    issues.push({
      code: 'evtx.bad-chunk-magic',
      message: `chunk magic is wrong (expected 456c6643686e6b00 "ElfChnk\\0", found ${found})`,
      offset: 0,
      severity: 'error',
      bytes: b.length,
    });
    return { state: 'bad', trusted: false, headerOk: false };
  }
  const header = readChunkHeader(b);
  let trusted = b.length === CHUNK_SIZE;
  let headerOk = true;
  const crc = verifyChecksums ? crc32(b.subarray(128, CHUNK_HEADER_SIZE), crc32(b.subarray(0, 120))) : 0;
  if (verifyChecksums && crc !== header.headerChecksum) {
    trusted = false;
    headerOk = false;
    issues.push({
      code: 'evtx.bad-chunk-checksum',
      message: `chunk header CRC32 mismatch (expected ${h32(header.headerChecksum)}, found ${h32(crc)})`,
      offset: 124,
      severity: 'warning',
    });
  }
  const free = header.freeSpaceOffset;
  // In a chunk cut short by the end of the file, a free space offset past the cut is not damage.
  const cut = b.length < CHUNK_SIZE && free > b.length && free <= CHUNK_SIZE;
  if (!cut && (free < CHUNK_HEADER_SIZE || free > b.length)) {
    trusted = false;
    issues.push({
      code: 'evtx.bad-free-space-offset',
      message: `chunk free space offset out of range (expected ${CHUNK_HEADER_SIZE}..${b.length}, found ${free})`,
      offset: 48,
      severity: 'warning',
    });
  } else if (verifyChecksums && b.length === CHUNK_SIZE) {
    const rc = crc32(b.subarray(CHUNK_HEADER_SIZE, free));
    if (rc !== header.recordsChecksum) {
      trusted = false;
      issues.push({
        code: 'evtx.bad-records-checksum',
        message: `event records CRC32 mismatch (expected ${h32(header.recordsChecksum)}, found ${h32(rc)})`,
        offset: 52,
        severity: 'warning',
      });
    }
  }
  return { state: 'ok', header, trusted, headerOk };
}

function recordAt(b: Buffer, pos: number, limit: number): RecordRef | undefined {
  if (pos + RECORD_OVERHEAD > limit || u32(b, pos) !== RECORD_MAGIC) return undefined;
  const size = u32(b, pos + 4);
  if (size < RECORD_OVERHEAD || pos + size > limit) return undefined;
  const sizeCopyOk = u32(b, pos + size - 4) === size;
  return {
    offset: pos,
    size,
    id: u64n(b, pos + 8),
    writtenLo: u32(b, pos + 16),
    writtenHi: u32(b, pos + 20),
    sizeCopyOk,
  };
}

/**
 * The chunk's records in order, up to the free space offset (or the end of the data when that offset is
 * impossible). A record whose trailing copy of the size disagrees is still returned, marked, because
 * its BinXML often survives (a record cut short by zeros); the caller decides. Where no record header
 * is found, the range up to the next record header is reported (zeroed or damaged, with its length),
 * and so is each record it lost when record numbers say which: the numbers between the records on
 * either side, or up to the chunk header's first or last number when the header's CRC32 holds.
 */
export function walkRecords(
  b: Buffer,
  header: ChunkHeader,
  issues: ChunkIssue[],
  headerOk = false,
): RecordRef[] {
  const free = header.freeSpaceOffset;
  const freeOk = free >= CHUNK_HEADER_SIZE && free <= b.length;
  const limit = freeOk ? free : b.length;
  const out: RecordRef[] = [];
  let pos = CHUNK_HEADER_SIZE;
  let prevId: number | undefined;
  while (pos + RECORD_OVERHEAD <= limit) {
    const r = recordAt(b, pos, b.length);
    if (r) {
      out.push(r);
      prevId = r.id;
      pos += r.size;
      continue;
    }
    // Zeros up to an impossible free space offset are the unused end of the chunk, not damage.
    if (!freeOk && allZero(b, pos, limit)) break;
    let next = pos + 1;
    let found: RecordRef | undefined;
    while (next + RECORD_OVERHEAD <= limit) {
      const c = recordAt(b, next, b.length);
      if (c?.sizeCopyOk) {
        found = c;
        break;
      }
      next++;
    }
    const end = found ? next : limit;
    const first = prevId !== undefined ? prevId + 1 : headerOk ? header.firstRecordNumber : undefined;
    const last = found ? found.id - 1 : headerOk ? header.lastRecordNumber : undefined;
    damagedRange(b, pos, end, first, last, issues);
    pos = end;
  }
  return out;
}

function damagedRange(
  b: Buffer,
  start: number,
  end: number,
  first: number | undefined,
  last: number | undefined,
  issues: ChunkIssue[],
): void {
  const bytes = end - start;
  const zero = allZero(b, start, end);
  // Record numbers are trusted only when they fit the bytes: a lost record takes at least a header.
  const known =
    first !== undefined && last !== undefined && last >= first && last - first < bytes / RECORD_OVERHEAD;
  const lost = !known
    ? 'an unknown number of records lost'
    : first === last
      ? `record ${first} lost`
      : `records ${first}..${last} lost`;
  const size = end - start >= 8 ? u32(b, start + 4) : 0;
  const what = zero
    ? 'all zeros'
    : u32(b, start) === RECORD_MAGIC &&
        size >= RECORD_OVERHEAD &&
        start + size > b.length &&
        b.length < CHUNK_SIZE
      ? `a record of ${size} bytes cut short by the end of the data`
      : u32(b, start) === RECORD_MAGIC
        ? `a record header whose size is out of range (found ${size})`
        : `no record header (expected 2a2a0000, found ${b.subarray(start, start + 4).toString('hex')})`;
  issues.push({
    code: zero ? 'evtx.zeroed-range' : 'evtx.damaged-range',
    message: `${bytes} bytes of the event records area unreadable: ${what}; ${lost}`,
    offset: start,
    severity: 'error',
    bytes,
  });
  if (!known) return;
  for (let id = first; id <= last; id++)
    issues.push({
      code: 'evtx.lost-record',
      message: `lost in a ${zero ? 'zeroed' : 'damaged'} range of ${bytes} bytes,`,
      offset: start,
      severity: 'error',
      recordId: id,
    });
}
