// Decodes one chunk into events: checks the chunk, walks its records, parses and measures each record.
import { u32 } from './bytes.js';
import { ChunkContext } from './binxml/nodes.js';
import { measureNodes } from './binxml/measure.js';
import { BinXmlReader } from './binxml/reader.js';
import { CHUNK_HEADER_SIZE, checkChunk, walkRecords, type ChunkHeader, type ChunkIssue } from './chunk.js';
import { describeError } from './errors.js';
import { EvtxEvent } from './event.js';
import { DEFAULT_EVTX_LIMITS, EvtxLimitError, type EvtxLimits } from './limits.js';

/** A problem with a file offset, ready to become a core Problem once the path is added. */
export interface EvtxIssue {
  code: string;
  message: string;
  offset: number;
  severity: 'error' | 'warning';
  /**
   * The record number when the issue is about one record. An `error` with a record number is one bad
   * record (unreadable, over a cap, or lost in a damaged range): what both paths count.
   */
  recordId?: number;
  /** Bytes left unread or read with doubts, when known. */
  bytes?: number;
}

export interface ChunkOptions {
  /** False for files whose header flags say they carry no CRC32s. */
  verifyChecksums: boolean;
  /** Position of the chunk in the file, 0 for the one right after the file header. */
  index: number;
  /**
   * The chunk count in the file header when the header can be believed (magic and CRC32 hold), else
   * undefined. A zeroed chunk inside that count lost its records; data past it that is no chunk is
   * slack, not damage.
   */
  listedChunks: number | undefined;
  limits: EvtxLimits;
}

const DEFAULT_CHUNK_OPTIONS: ChunkOptions = {
  verifyChecksums: true,
  index: 0,
  listedChunks: undefined,
  limits: DEFAULT_EVTX_LIMITS,
};

interface ChunkResult {
  events: EvtxEvent[];
  /** Issues of this chunk that are bad records (an `error` with a record number). */
  badRecords: number;
  empty: boolean;
}

/** What a chunk without a readable header is walked with: no free space offset, no record numbers. */
const NO_HEADER: ChunkHeader = {
  firstRecordNumber: 0,
  lastRecordNumber: 0,
  firstRecordId: 0,
  lastRecordId: 0,
  headerSize: 0,
  lastRecordOffset: 0,
  freeSpaceOffset: 0,
  recordsChecksum: 0,
  headerChecksum: 0,
};

/** True when the issue counts as one bad record, on every path. */
export const isBadRecord = (i: Pick<EvtxIssue, 'severity' | 'recordId'>): boolean =>
  i.severity === 'error' && i.recordId !== undefined;

/**
 * Reads the chunk in `buf` (64 KiB, or less for a truncated last chunk) found at `fileOffset`. Each
 * record's BinXML is parsed and measured here (every value the record uses checked as the decoder
 * will, expansion and nesting capped), so a record that is emitted renders without error, within the
 * caps, on the scan path and in `evtx dump` alike; its values are decoded later, when asked for.
 */
export function readChunk(
  buf: Buffer,
  fileOffset: number,
  issues: EvtxIssue[],
  opts: ChunkOptions = DEFAULT_CHUNK_OPTIONS,
): ChunkResult {
  const local: ChunkIssue[] = [];
  const check = checkChunk(buf, local, opts.verifyChecksums);
  const listed = opts.listedChunks === undefined ? undefined : opts.index < opts.listedChunks;
  const events: EvtxEvent[] = [];
  const before = issues.length;
  if (check.state === 'empty' && listed === true) {
    local.push({
      code: 'evtx.zeroed-chunk',
      message: `chunk ${opts.index} of the ${opts.listedChunks} the file header lists is all zeros; the records it held are lost`,
      offset: 0,
      severity: 'error',
      bytes: buf.length,
    });
  }
  // A chunk whose header is gone (often zeroed with the records after it) may still hold whole records:
  // their offsets are relative to the chunk, which starts where it always does. Past the listed chunks
  // such data is slack, left alone.
  const salvage = check.state === 'bad' && listed !== false && buf.length > CHUNK_HEADER_SIZE;
  const header = check.header ?? (salvage ? NO_HEADER : undefined);
  if (header) {
    const refs = walkRecords(buf, header, local, check.headerOk);
    const { limits } = opts;
    const ctx = new ChunkContext(buf, fileOffset, limits.maxDepth);
    let spent = 0;
    for (const ref of refs) {
      try {
        const nodes = new BinXmlReader(ctx, ref.offset + 24, ref.offset + ref.size - 4).parseDocument();
        const budget = { maxBytes: limits.maxRecordBytes, maxDepth: limits.maxDepth, at: ref.offset };
        const m = measureNodes(ctx, nodes, budget, 0);
        if (spent + m.weight > limits.maxChunkBytes) {
          throw new EvtxLimitError(
            'limit.evtx-expansion',
            'the records of this chunk expand beyond the chunk size cap',
            ref.offset,
            `at most ${limits.maxChunkBytes} bytes for the chunk`,
            `${spent} bytes before this record and about ${m.weight} for it`,
          );
        }
        spent += m.weight;
        const event = new EvtxEvent(ctx, ref, nodes);
        event.expandedBytes = m.weight;
        // In a chunk that failed its checksums, build the tree now too: a belt to the measure's braces.
        if (!check.trusted || !ref.sizeCopyOk) event.tree();
        if (!ref.sizeCopyOk) {
          issues.push({
            code: 'evtx.record-size-mismatch',
            message: `event record ${ref.id}: size copy at the end disagrees (expected ${ref.size}, found ${u32(buf, ref.offset + ref.size - 4)}); its BinXML decoded, values may be cut short`,
            offset: fileOffset + ref.offset,
            severity: 'warning',
            recordId: ref.id,
          });
        }
        events.push(event);
      } catch (e) {
        issues.push({
          code: e instanceof EvtxLimitError ? e.code : 'evtx.bad-record',
          message: `event record ${ref.id}: ${describeError(e, fileOffset)}`,
          offset: fileOffset + ref.offset,
          severity: 'error',
          recordId: ref.id,
          bytes: ref.size,
        });
      }
    }
  }
  for (const i of local) {
    const offset = fileOffset + i.offset;
    if (i.code === 'evtx.bad-chunk-magic' && listed === false) {
      const message = `no chunk here, past the chunks the file header lists (${i.message})`;
      issues.push({ code: 'evtx.not-a-chunk', message, offset, severity: 'warning' });
      continue;
    }
    const message =
      i.recordId === undefined
        ? i.message
        : `event record ${i.recordId}: ${i.message} starting at offset ${offset}`;
    issues.push({ ...i, message, offset });
  }
  let badRecords = 0;
  for (let k = before; k < issues.length; k++) if (isBadRecord(issues[k]!)) badRecords++;
  return { events, badRecords, empty: check.state === 'empty' };
}
