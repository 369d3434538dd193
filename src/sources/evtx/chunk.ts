// One 64 KiB chunk: header checks (magic, CRC32s) and the walk over its event records.
import { allZero, u32, u64n } from './bytes.js';
import { crc32 } from './crc32.js';

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

export type ChunkState = 'empty' | 'bad' | 'ok';

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

/**
 * Classifies a chunk: all zeros (never used), unreadable (bad magic, or too short), or readable. A
 * readable chunk may still carry checksum warnings: its records are then each checked on their own.
 * `verifyChecksums` is false for files whose header flags say they carry no CRC32s.
 */
export function checkChunk(
  b: Buffer,
  issues: ChunkIssue[],
  verifyChecksums = true,
): { state: ChunkState; header?: ChunkHeader; trusted: boolean } {
  if (allZero(b, 0, b.length)) return { state: 'empty', trusted: false };
  if (b.length < CHUNK_HEADER_SIZE || !CHUNK_MAGIC.equals(b.subarray(0, 8))) {
    const found = b.subarray(0, 8).toString('hex');
    issues.push({
      code: 'evtx.bad-chunk-magic',
      message: `chunk magic is wrong (expected 456c6643686e6b00 "ElfChnk\\0", found ${found})`,
      offset: 0,
      severity: 'error',
    });
    return { state: 'bad', trusted: false };
  }
  const header = readChunkHeader(b);
  let trusted = true;
  const crc = verifyChecksums ? crc32(b.subarray(128, CHUNK_HEADER_SIZE), crc32(b.subarray(0, 120))) : 0;
  if (verifyChecksums && crc !== header.headerChecksum) {
    trusted = false;
    issues.push({
      code: 'evtx.bad-chunk-checksum',
      message: `chunk header CRC32 mismatch (expected ${h32(header.headerChecksum)}, found ${h32(crc)})`,
      offset: 124,
      severity: 'warning',
    });
  }
  const free = header.freeSpaceOffset;
  if (free < CHUNK_HEADER_SIZE || free > b.length) {
    trusted = false;
    issues.push({
      code: 'evtx.bad-free-space-offset',
      message: `chunk free space offset out of range (expected ${CHUNK_HEADER_SIZE}..${b.length}, found ${free})`,
      offset: 48,
      severity: 'warning',
    });
  } else if (verifyChecksums) {
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
  return { state: 'ok', header, trusted };
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
 * is found at all, the damage is reported and the walk searches on for the next record header.
 */
export function walkRecords(b: Buffer, header: ChunkHeader, issues: ChunkIssue[]): RecordRef[] {
  const free = header.freeSpaceOffset;
  const limit = free >= CHUNK_HEADER_SIZE && free <= b.length ? free : b.length;
  const out: RecordRef[] = [];
  let pos = CHUNK_HEADER_SIZE;
  while (pos + RECORD_OVERHEAD <= limit) {
    const r = recordAt(b, pos, b.length);
    if (r) {
      out.push(r);
      pos += r.size;
      continue;
    }
    if (allZero(b, pos, limit)) break;
    const magicOk = u32(b, pos) === RECORD_MAGIC;
    issues.push({
      code: 'evtx.bad-record',
      message: magicOk
        ? `event record size out of range (expected ${RECORD_OVERHEAD}..${b.length - pos}, found ${u32(b, pos + 4)})`
        : `event record magic is wrong (expected 2a2a0000, found ${b.subarray(pos, pos + 4).toString('hex')})`,
      offset: pos,
      severity: 'error',
    });
    let next = pos + 1;
    while (next + RECORD_OVERHEAD <= limit && !recordAt(b, next, b.length)?.sizeCopyOk) next++;
    pos = next;
  }
  return out;
}
