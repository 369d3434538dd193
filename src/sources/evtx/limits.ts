// Caps on what one record may expand to, so a few hostile KiB never become gigabytes or a deep stack.
import { EvtxFormatError } from './errors.js';

/**
 * Sizes are bounds on JSON bytes (see `binxml/measure.ts`), computed from the parsed structure and the
 * value sizes before anything is rendered. Over the 23,556 records of the 170 files in
 * `../shared/samples` (measured when these were set): the largest record is bounded at 72 KB (12 KB
 * of real JSON), the largest chunk at 1.2 MB (167 KB of JSON), and the deepest nesting is 10 levels.
 * The defaults sit far above: 58 times, 13 times and 6 times.
 */
export interface EvtxLimits {
  /** Estimated expanded size of one record. */
  maxRecordBytes: number;
  /** Estimated expanded size of all the records of one 64 KiB chunk. */
  maxChunkBytes: number;
  /** Nesting of elements, template instances and BinXML values in one record. */
  maxDepth: number;
}

export const DEFAULT_EVTX_LIMITS: Readonly<EvtxLimits> = {
  maxRecordBytes: 4 << 20,
  maxChunkBytes: 16 << 20,
  maxDepth: 64,
};

/** A cap was hit: the record is reported under `code` and left out, like a damaged one. */
export class EvtxLimitError extends EvtxFormatError {
  constructor(
    readonly code: 'limit.evtx-expansion' | 'limit.evtx-depth',
    message: string,
    offset: number,
    expected: string,
    found: string,
  ) {
    super(message, offset, expected, found);
    this.name = 'EvtxLimitError';
  }
}
