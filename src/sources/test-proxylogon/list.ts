// Test-ProxyLogon's `.log` outputs: plain lists written by Set-Content, one log file path or download path a line.

import type { Problem } from '../../core/problem.js';
import type { FieldValue, LogRecord, Parser, RecordSink } from '../../core/record.js';
import type { SourceContext } from '../../core/source.js';
import { ExportLines, MAX_LINE_BYTES } from '../log-export/lines.js';
import { MAX_UNENDED_LINE_BYTES, unendedLine } from '../text/gated-lines.js';

/** One entry of a list: `Path` is the line as written (the script's own value, quotes and all). */
class ListRecord implements LogRecord {
  readonly time = undefined;

  constructor(
    readonly source: string,
    private readonly entry: string,
    readonly line: number,
    readonly offset: number | undefined,
  ) {}

  get(field: string): FieldValue | undefined {
    return field === 'Path' ? this.entry : undefined;
  }

  text(): string {
    return this.entry;
  }

  fieldNames(): readonly string[] {
    return ['Path'];
  }
}

/** A Windows path to a file (`C:\...`, `\\server\share\...`), possibly in the single quotes a log put around it. */
const WINDOWS_PATH = /^'?(?:[a-z]:\\|\\\\)[^\r\n]*$/i;

interface ListOptions {
  source: string;
  /** What an entry is, for messages (`OAB generator log path`). */
  entry: string;
  /** What an entry must look like; a Windows path to a file by default. */
  accept?: RegExp;
}

export function createListParser(opts: ListOptions, ctx: SourceContext, sink: RecordSink): Parser {
  let entries = 0;
  let bad = 0;
  const problem = (p: Omit<Problem, 'path'>) => sink.problem({ ...p, path: ctx.path });
  const lines = new ExportLines(
    (line, lineNo, offset) => {
      const entry = line.trim();
      if (entry.length === 0) return;
      if (!(opts.accept ?? WINDOWS_PATH).test(entry)) {
        bad++;
        problem({
          code: 'tpl.bad-entry',
          message: `not a ${opts.entry}, as every line of this list should be: ${entry.slice(0, 200)}`,
          line: lineNo,
          severity: 'error',
        });
        return;
      }
      entries++;
      sink.record(new ListRecord(opts.source, entry, lineNo, offset));
    },
    (lineNo) =>
      problem({
        code: 'tpl.bad-entry',
        message: `line longer than ${MAX_LINE_BYTES} bytes, not read`,
        line: lineNo,
        severity: 'error',
      }),
    (lineNo, offset, max) => sink.problem(unendedLine(ctx.path, lineNo, offset, max, ctx.size)),
    ctx.maxUnendedLine ?? MAX_UNENDED_LINE_BYTES,
  );
  return {
    push: (chunk) => lines.push(chunk),
    stopped: () => lines.stopped,
    end: () => {
      lines.end();
      if (entries > 0) return;
      // Test-ProxyLogon writes these lists only when it has something to put in them.
      problem({
        code: 'tpl.no-entries',
        message:
          bad > 0
            ? `none of its ${bad} lines is a ${opts.entry}: the list cannot be used`
            : `no ${opts.entry} in it, although Test-ProxyLogon writes this file only when it found some: it was cut or emptied`,
        line: Math.max(1, lines.lines),
        bytes: lines.bytes,
        severity: 'error',
      });
    },
  };
}
