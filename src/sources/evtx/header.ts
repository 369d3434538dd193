// The 4096-byte file header: magic, chunk count, flags and CRC32, checked but never trusted blindly.
import { u16, u32, u64n } from './bytes.js';
import { crc32 } from './crc32.js';

const FILE_MAGIC = Buffer.from('ElfFile\0', 'latin1');
export const FILE_HEADER_SIZE = 4096;
export const CHUNK_SIZE = 65536;

/** File flag: the header carries no CRC32 (0x1 and 0x2 say dirty and full; nothing here depends on them). */
const FLAG_NO_CRC32 = 0x4;

interface FileHeader {
  firstChunk: number;
  lastChunk: number;
  nextRecordId: number;
  headerSize: number;
  minorVersion: number;
  majorVersion: number;
  /** Offset of the first chunk (4096). */
  blockSize: number;
  /** What the header says; often stale, so every chunk to the end of the file is read regardless. */
  chunkCount: number;
  flags: number;
  checksum: number;
}

export interface HeaderIssue {
  code: string;
  message: string;
  offset: number;
  severity: 'error' | 'warning';
}

export function hasFileMagic(head: Uint8Array): boolean {
  return head.length >= 8 && FILE_MAGIC.equals(head.subarray(0, 8));
}

/** Reads the header at the start of `b` (at least 128 bytes) and lists what is wrong with it. */
function readFileHeader(b: Uint8Array): { header: FileHeader; issues: HeaderIssue[] } {
  const issues: HeaderIssue[] = [];
  const header: FileHeader = {
    firstChunk: u64n(b, 8),
    lastChunk: u64n(b, 16),
    nextRecordId: u64n(b, 24),
    headerSize: u32(b, 32),
    minorVersion: u16(b, 36),
    majorVersion: u16(b, 38),
    blockSize: u16(b, 40),
    chunkCount: u16(b, 42),
    flags: u32(b, 120),
    checksum: u32(b, 124),
  };
  if (!hasFileMagic(b)) {
    const found = Buffer.from(b.subarray(0, 8)).toString('hex');
    issues.push({
      code: 'evtx.bad-file-magic',
      message: `file header magic is wrong (expected 456c6646696c6500 "ElfFile\\0", found ${found})`,
      offset: 0,
      severity: 'error',
    });
  } else if (!(header.flags & FLAG_NO_CRC32)) {
    const crc = crc32(b.subarray(0, 120));
    if (crc !== header.checksum) {
      issues.push({
        code: 'evtx.bad-file-checksum',
        message: `file header CRC32 mismatch (expected 0x${header.checksum.toString(16)}, found 0x${crc.toString(16)})`,
        offset: 124,
        severity: 'warning',
      });
    }
  }
  return { header, issues };
}

/** What both reading paths take from the file header. */
interface FileFacts {
  issues: HeaderIssue[];
  verifyChecksums: boolean;
  /** The header's chunk count when the header can be believed (magic, and CRC32 when it has one). */
  listedChunks: number | undefined;
}

export function fileFacts(head: Uint8Array): FileFacts {
  const { header, issues } = readFileHeader(head);
  const believed = hasFileMagic(head) && !issues.some((i) => i.code === 'evtx.bad-file-checksum');
  return {
    issues,
    verifyChecksums: !(header.flags & FLAG_NO_CRC32),
    listedChunks: believed ? header.chunkCount : undefined,
  };
}

/**
 * The chunks a believed header lists that the file does not hold (a copy cut short at a chunk
 * boundary, which leaves no partial chunk to notice), located at the end of the file.
 */
export function missingChunks(listed: number | undefined, fileSize: number): HeaderIssue | undefined {
  const found = Math.ceil(Math.max(fileSize - FILE_HEADER_SIZE, 0) / CHUNK_SIZE);
  if (listed === undefined || found >= listed) return undefined;
  return {
    code: 'evtx.missing-chunks',
    message: `the file ends after ${found} chunk(s) but its header lists ${listed} (expected ${listed}, found ${found}); the records of the missing ${listed - found} are lost`,
    offset: fileSize,
    severity: 'error',
  };
}
