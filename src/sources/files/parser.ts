// Collects a file's first bytes (bounded) and emits it as a single FileRecord when the file ends.

import type { Parser, RecordSink } from '../../core/record.js';
import { FileRecord, MAX_CONTENT } from './record.js';

export function createFileParser(source: string, path: string, sink: RecordSink, modified?: string): Parser {
  const parts: Buffer[] = [];
  let kept = 0;
  let size = 0;
  return {
    push(chunk) {
      size += chunk.length;
      if (kept < MAX_CONTENT) {
        const take = chunk.length > MAX_CONTENT - kept ? chunk.subarray(0, MAX_CONTENT - kept) : chunk;
        parts.push(Buffer.from(take)); // copy: stream buffers may be reused
        kept += take.length;
      }
    },
    end() {
      sink.record(new FileRecord(source, path, size, Buffer.concat(parts, kept), modified));
    },
  };
}
