// Decodes one chunk into events: checks the chunk, walks its records and parses each record's BinXML.
import { u32 } from './bytes.js';
import { ChunkContext } from './binxml/context.js';
import { BinXmlReader } from './binxml/reader.js';
import { checkChunk, walkRecords, type ChunkIssue } from './chunk.js';
import { describeError } from './errors.js';
import { EvtxEvent } from './event.js';

/** A problem with a file offset, ready to become a core Problem once the path is added. */
export interface EvtxIssue {
  code: string;
  message: string;
  offset: number;
  severity: 'error' | 'warning';
  /** Set when the issue is one unreadable event record (what counts as a bad record). */
  recordId?: number;
}

export interface ChunkResult {
  events: EvtxEvent[];
  /** Records found but not decodable, and chunks that could not be read at all. */
  badRecords: number;
  empty: boolean;
}

/**
 * Reads the chunk in `buf` (64 KiB, or less for a truncated last chunk) found at `fileOffset`. Each
 * record's BinXML structure and template are parsed here, so a record that is emitted is one whose
 * structure is sound; in a chunk whose checksums hold, its values are decoded later, when asked for.
 */
export function readChunk(
  buf: Buffer,
  fileOffset: number,
  issues: EvtxIssue[],
  verifyChecksums = true,
  /** True past the chunks the file header lists: data there that is no chunk is slack, not damage. */
  pastListed = false,
): ChunkResult {
  const local: ChunkIssue[] = [];
  const check = checkChunk(buf, local, verifyChecksums);
  const events: EvtxEvent[] = [];
  let badRecords = 0;
  if (check.state === 'ok' && check.header) {
    const refs = walkRecords(buf, check.header, local);
    const ctx = new ChunkContext(buf, fileOffset);
    for (const ref of refs) {
      try {
        const nodes = new BinXmlReader(ctx, ref.offset + 24, ref.offset + ref.size - 4).parseDocument();
        const event = new EvtxEvent(ctx, ref, nodes);
        // A chunk that failed its checksums may hold records that reference overwritten templates:
        // decode those fully now, so a broken one is reported instead of yielding wrong fields later.
        if (!check.trusted || !ref.sizeCopyOk) event.tree();
        if (!ref.sizeCopyOk) {
          issues.push({
            code: 'evtx.record-size-mismatch',
            message: `event record ${ref.id}: size copy at the end disagrees (expected ${ref.size}, found ${u32(buf, ref.offset + ref.size - 4)}); its BinXML decoded, values may be cut short`,
            offset: fileOffset + ref.offset,
            severity: 'warning',
          });
        }
        events.push(event);
      } catch (e) {
        badRecords++;
        issues.push({
          code: 'evtx.bad-record',
          message: `event record ${ref.id}: ${describeError(e, fileOffset)}`,
          offset: fileOffset + ref.offset,
          severity: 'error',
          recordId: ref.id,
        });
      }
    }
  }
  for (const i of local) {
    if (i.code === 'evtx.bad-chunk-magic' && pastListed) {
      const message = `no chunk here, past the chunks the file header lists (${i.message})`;
      issues.push({ code: 'evtx.not-a-chunk', message, offset: fileOffset + i.offset, severity: 'warning' });
      continue;
    }
    if (i.code === 'evtx.bad-record' || i.code === 'evtx.bad-chunk-magic') badRecords++;
    issues.push({ code: i.code, message: i.message, offset: fileOffset + i.offset, severity: i.severity });
  }
  return { events, badRecords, empty: check.state === 'empty' };
}
