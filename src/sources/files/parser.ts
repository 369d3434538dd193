// Collects a file's first bytes (bounded) and emits it as a single FileRecord when the file ends.

import type { Parser, RecordSink } from '../../core/record.js';
import { FileRecord, MAX_CONTENT } from './record.js';

/**
 * `max` bounds what is kept for detectors; past it the file is still hashed, and when `limitCode` is given
 * the bytes left unexamined are reported as a problem on the file (a script padded past the bound must not
 * pass as examined).
 */
export function createFileParser(
  source: string,
  path: string,
  sink: RecordSink,
  modified?: string,
  max = MAX_CONTENT,
  limitCode?: string,
): Parser {
  const parts: Buffer[] = [];
  let kept = 0;
  let size = 0;
  return {
    push(chunk) {
      size += chunk.length;
      if (kept < max) {
        const take = chunk.length > max - kept ? chunk.subarray(0, max - kept) : chunk;
        parts.push(Buffer.from(take)); // copy: stream buffers may be reused
        kept += take.length;
      }
    },
    end() {
      if (limitCode && size > kept)
        sink.problem({
          code: limitCode,
          message: `${size} bytes; only the first ${kept} were examined for webshell code`,
          path,
          offset: kept,
          bytes: size - kept,
          severity: 'limit',
        });
      sink.record(new FileRecord(source, path, size, Buffer.concat(parts, kept), modified));
    },
  };
}
