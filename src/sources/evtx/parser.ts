// The push parser: fed a file's bytes in any slices, it checks the header and emits each chunk's events.
import type { Problem } from '../../core/problem.js';
import type { Parser, RecordSink } from '../../core/record.js';
import type { SourceContext } from '../../core/source.js';
import { CHUNK_SIZE, FILE_HEADER_SIZE, fileFacts, missingChunks } from './header.js';
import { DEFAULT_EVTX_LIMITS, type EvtxLimits } from './limits.js';
import { readChunk, type EvtxIssue } from './read-chunk.js';

/**
 * Memory stays at one 64 KiB assembly buffer plus the chunks whose events the sink still holds: a
 * chunk is handed to its events and a fresh buffer taken, so no input slice is ever retained.
 *
 * Problems about one record carry its record number as `line`; those that are errors are the file's
 * bad records (unreadable, over a cap, or lost in a damaged range), the count `evtx dump` gives too.
 */
export class EvtxParser implements Parser {
  private buf = Buffer.allocUnsafe(FILE_HEADER_SIZE);
  private fill = 0;
  /** File offset of `buf[0]`. */
  private at = 0;
  private headerDone = false;
  private verifyChecksums = true;
  private listedChunks: number | undefined;
  private chunkCount = 0;
  private issues: EvtxIssue[] = [];

  constructor(
    private readonly ctx: SourceContext,
    private readonly sink: RecordSink,
    private readonly limits: EvtxLimits = DEFAULT_EVTX_LIMITS,
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
    if (this.headerDone && this.fill === 0) return this.missing();
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
    this.chunk(this.buf.subarray(0, this.fill));
    this.at += this.fill;
    this.fill = 0;
    this.missing();
  }

  private missing(): void {
    const i = missingChunks(this.listedChunks, this.at);
    if (i) this.report(i);
  }

  private flush(): void {
    if (!this.headerDone) {
      this.header();
      this.headerDone = true;
      this.buf = Buffer.allocUnsafe(CHUNK_SIZE);
    } else {
      this.chunk(this.buf);
      this.buf = Buffer.allocUnsafe(CHUNK_SIZE);
    }
    this.at += this.fill;
    this.fill = 0;
  }

  private header(): void {
    const facts = fileFacts(this.buf);
    for (const i of facts.issues) this.report(i);
    this.verifyChecksums = facts.verifyChecksums;
    this.listedChunks = facts.listedChunks;
  }

  private chunk(buf: Buffer): void {
    const index = this.chunkCount++;
    const result = readChunk(buf, this.at, this.issues, {
      verifyChecksums: this.verifyChecksums,
      index,
      listedChunks: this.listedChunks,
      limits: this.limits,
    });
    for (const i of this.issues) this.report(i, index);
    this.issues = [];
    for (const e of result.events) this.sink.record(e);
  }

  private report(i: EvtxIssue, chunk?: number): void {
    const where = chunk === undefined ? '' : `chunk ${chunk}: `;
    const p: Problem = {
      code: i.code,
      message: where + i.message,
      path: this.ctx.path,
      ...(i.recordId !== undefined ? { line: i.recordId } : {}),
      offset: i.offset,
      ...(i.bytes !== undefined ? { bytes: i.bytes } : {}),
      severity: i.severity,
    };
    this.sink.problem(p);
  }
}
