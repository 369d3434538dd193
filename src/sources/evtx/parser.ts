// The push parser: fed a file's bytes in any slices, it checks the header and emits each chunk's events.
import type { Problem } from '../../core/problem.js';
import type { Parser, RecordSink } from '../../core/record.js';
import type { SourceContext } from '../../core/source.js';
import { CHUNK_SIZE, FILE_HEADER_SIZE, FLAG_NO_CRC32, readFileHeader } from './header.js';
import { readChunk, type EvtxIssue } from './read-chunk.js';

/**
 * Memory stays at one 64 KiB assembly buffer plus the chunks whose events the sink still holds: a
 * chunk is handed to its events and a fresh buffer taken, so no input slice is ever retained.
 */
export class EvtxParser implements Parser {
  private buf = Buffer.allocUnsafe(FILE_HEADER_SIZE);
  private fill = 0;
  /** File offset of `buf[0]`. */
  private at = 0;
  private headerDone = false;
  private verifyChecksums = true;
  private listedChunks = 0;
  private chunkCount = 0;
  private issues: EvtxIssue[] = [];

  constructor(
    private readonly ctx: SourceContext,
    private readonly sink: RecordSink,
  ) {}

  push(data: Buffer): void {
    let i = 0;
    while (i < data.length) {
      const n = Math.min(this.buf.length - this.fill, data.length - i);
      data.copy(this.buf, this.fill, i, i + n);
      this.fill += n;
      i += n;
      if (this.fill === this.buf.length) this.flush();
    }
  }

  end(): void {
    if (this.fill === 0) return;
    if (!this.headerDone) {
      this.report({
        code: 'evtx.truncated',
        message: `file ends inside its header (expected ${FILE_HEADER_SIZE} bytes, found ${this.fill})`,
        offset: 0,
        severity: 'error',
      });
      return;
    }
    this.report({
      code: 'evtx.truncated-chunk',
      message: `last chunk is cut short (expected ${CHUNK_SIZE} bytes, found ${this.fill}); reading the records it holds`,
      offset: this.at,
      severity: 'warning',
    });
    this.chunk(this.buf.subarray(0, this.fill), false);
    this.fill = 0;
  }

  private flush(): void {
    if (!this.headerDone) {
      this.header();
      this.headerDone = true;
      this.buf = Buffer.allocUnsafe(CHUNK_SIZE);
    } else {
      this.chunk(this.buf, this.verifyChecksums);
      this.buf = Buffer.allocUnsafe(CHUNK_SIZE);
    }
    this.at += this.fill;
    this.fill = 0;
  }

  private header(): void {
    const { header, issues } = readFileHeader(this.buf);
    for (const i of issues) this.report(i);
    this.verifyChecksums = !(header.flags & FLAG_NO_CRC32);
    this.listedChunks = header.chunkCount;
  }

  private chunk(buf: Buffer, verifyChecksums: boolean): void {
    const index = this.chunkCount++;
    const result = readChunk(buf, this.at, this.issues, verifyChecksums, index >= this.listedChunks);
    for (const i of this.issues) this.report(i, index);
    this.issues = [];
    for (const e of result.events) this.sink.record(e);
  }

  private report(i: Omit<EvtxIssue, 'recordId'>, chunk?: number): void {
    const where = chunk === undefined ? '' : `chunk ${chunk}: `;
    const p: Problem = {
      code: i.code,
      message: where + i.message,
      path: this.ctx.path,
      offset: i.offset,
      severity: i.severity,
    };
    this.sink.problem(p);
  }
}
