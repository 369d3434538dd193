// Streaming parser for Exchange's CSV logs: directives, `#Fields` or a header row, quoted values (bounded).

import type { RecordSink } from '../../core/record.js';
import type { SourceContext } from '../../core/source.js';
import { hasOpenQuote, splitCsv } from '../text/csv.js';
import { GatedLines } from '../text/gated-lines.js';
import type { LineFormat } from '../text/gated-lines.js';
import { clip } from '../text/text-parser.js';
import type { TextParser } from '../text/text-parser.js';
import { CsvRecord, isTimeColumn, makeCsvSchema } from './record.js';
import type { CsvSchema, Derive } from './record.js';

/**
 * A quoted value may hold line breaks (Exchange writes some that way), so a row continues until its quotes
 * balance, but no further than this many lines or bytes: a stray quote must not swallow the rest of a file.
 */
export const MAX_RECORD_LINES = 1000;
const MAX_RECORD_BYTES = 1 << 20;

/** `2021-03-03T06:49:42.162Z,`, a real time: the millisecond ISO form Exchange writes at the start of each row. */
const STAMP = 'YYYY-MM-DDThh:mm:ss.dddZ,';
/** What starts an Exchange row (or a log's head): a line like this ends a quoted value left open. */
const ROW_START = /^(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d|#Software: |#Fields: )/;
/** A header row: names only, the first a time column (`DateTime,RequestId,...`). */
const NAMES = /^[A-Za-z][\w\-()]*(?:,[A-Za-z][\w\-()]*)+$/;

interface CsvOptions {
  source: string;
  derive?: Derive;
  /** Formats without fixed columns (the OAB generator log) keep rows as text when no header is present. */
  textOnly?: boolean;
}

/** A row whose quoted value runs over several lines, joined when its quotes balance. */
interface Pending {
  parts: string[];
  line: number;
  offset: number;
  bytes: number;
}

export function createCsvParser(opts: CsvOptions, ctx: SourceContext, sink: RecordSink): TextParser {
  let schema: CsvSchema | undefined;
  let version: string | undefined;
  let date: string | undefined;
  let versionSent = false;
  let pending: Pending | undefined;
  let noHeaderSaid = false;
  /** Line of Windows PowerShell's `#TYPE` (Export-Csv): the header row comes right after it. */
  let typeLine = -1;
  const format = (): LineFormat | undefined =>
    schema && schema.time === 0 && sink.tally
      ? { sep: ',', fields: schema.names.length, stamp: STAMP, compare: 24 }
      : undefined;
  const problem = (
    code: string,
    line: number,
    message: string,
    severity: 'error' | 'warning',
    bytes?: number,
  ) =>
    sink.problem({
      code,
      message,
      path: ctx.path,
      line,
      severity,
      ...(bytes !== undefined ? { bytes } : {}),
    });

  const sendVersion = (line: number) => {
    if (version && !versionSent && sink.version) {
      versionSent = true;
      sink.version(version, date, line);
    }
  };

  const isHeader = (text: string, lineNo: number): boolean => {
    // The first line, or the one after Export-Csv's `#TYPE`, is a header unless it starts with a time.
    const first = lineNo === 1 || lineNo === typeLine + 1;
    if (first && !schema && !opts.textOnly) return !/^"?\d{4}-\d{2}-\d{2}T/.test(text);
    if (!NAMES.test(text)) return false;
    const comma = text.indexOf(',');
    return isTimeColumn(text.slice(0, comma));
  };

  const row = (text: string, lineNo: number, offset: number, mask: number, spans: number) => {
    const account = lines.account;
    if (schema && text === schema.headerLine) {
      account.ignored += spans; // a header row repeated as data
      return;
    }
    if (isHeader(text, lineNo)) {
      schema = makeCsvSchema(splitCsv(text)); // the header row Exchange logs start with, or a later one
      lines.setFormat(format());
      account.ignored += spans;
      return;
    }
    if (!schema && !opts.textOnly && !noHeaderSaid) {
      noHeaderSaid = true;
      problem(
        'csv.no-header',
        lineNo,
        'rows before any header (#Fields or a header row): their columns are unknown, so only rules on the whole line apply to them',
        'warning',
      );
    }
    const rec = new CsvRecord(opts.source, schema, text, lineNo, offset, opts.derive, mask);
    if (schema) {
      const n = rec.count();
      // A row cut short (a published excerpt, an export that dropped trailing columns) keeps the columns
      // it has in their places: it is read, and the rules that need the missing ones cannot decide on it.
      // A short line without a readable time is not such a row but damage, and is not read.
      const cut = schema.time < 0 || rec.time !== undefined;
      if (n < schema.names.length && cut) {
        problem(
          'csv.short-row',
          lineNo,
          `row has ${n} of the header's ${schema.names.length} columns; read with the rest absent`,
          'warning',
        );
      } else if (n !== schema.names.length) {
        account.problems += spans;
        problem(
          'csv.bad-line',
          lineNo,
          `row has ${n} fields, the header declares ${schema.names.length}`,
          'error',
        );
        return;
      }
    }
    // A row with an impossible or unreadable time is still read; its time is left out, and said so.
    if (rec.time === undefined && (schema ? schema.time >= 0 : /^\d{4}-\d\d-\d\dT/.test(text))) {
      const t = schema ? rec.get(schema.names[schema.time]!) : text.slice(0, 24);
      problem(
        'csv.bad-time',
        lineNo,
        `"${clip(typeof t === 'string' ? t : '')}" is not a real time; the row is read without one`,
        'warning',
      );
    }
    account.records += spans;
    sink.record(rec);
  };

  const unclosed = (p: Pending, why: string) => {
    pending = undefined;
    lines.setQuote(false);
    lines.account.problems += p.parts.length;
    const n = p.parts.length;
    problem(
      'csv.unclosed-quote',
      p.line,
      `a quoted value opened on this line is not closed ${why}; ${n === 1 ? 'the line is' : `its ${n} lines are`} not read`,
      'error',
      p.bytes,
    );
  };

  // Rows no matcher can hit are checked (column count, real time) and counted by the kernel; quoted rows
  // and the lines of a value that spans lines come here.
  const onLine = (line: string, lineNo: number, offset: number, mask: number) => {
    if (pending) {
      if (!ROW_START.test(line)) {
        const p = pending;
        p.parts.push(line);
        p.bytes += Buffer.byteLength(line) + 1;
        if (hasOpenQuote(line)) {
          pending = undefined;
          lines.setQuote(false);
          // The literal bits were found per line; a row of several lines is tested again as a whole.
          row(p.parts.join('\n'), p.line, p.offset, -1, p.parts.length);
        } else if (p.parts.length >= MAX_RECORD_LINES || p.bytes > MAX_RECORD_BYTES) {
          unclosed(p, `within ${MAX_RECORD_LINES} lines or ${MAX_RECORD_BYTES} bytes`);
        }
        return;
      }
      unclosed(pending, `before the row on line ${lineNo}`);
    }
    if (line.length === 0) {
      lines.account.ignored++;
      return;
    }
    if (line.charCodeAt(0) === 35) {
      lines.account.ignored++;
      directive(line, lineNo);
      return;
    }
    if (hasOpenQuote(line)) {
      pending = { parts: [line], line: lineNo, offset, bytes: Buffer.byteLength(line) };
      lines.setQuote(true);
      return;
    }
    row(line, lineNo, offset, mask, 1);
  };

  const lines: GatedLines = new GatedLines({
    path: ctx.path,
    gate: sink.tally ? ctx.gate : undefined,
    onLine,
    onTally: (n, first, last) => sink.tally?.(n, first, last),
    onProblem: (p) => sink.problem(p),
    ...(ctx.size !== undefined ? { size: ctx.size } : {}),
    ...(ctx.maxUnendedLine !== undefined ? { maxUnended: ctx.maxUnendedLine } : {}),
    csv: true,
  });

  const directive = (line: string, lineNo: number) => {
    if (line.startsWith('#Fields:')) {
      const names = splitCsv(line.slice(8).trim());
      if (names.every((n) => n.trim() === '')) {
        problem('csv.bad-fields', lineNo, '#Fields names no column; the layout before it is kept', 'warning');
        return;
      }
      schema = makeCsvSchema(names);
      lines.setFormat(format());
      sendVersion(lineNo);
    } else if (line.startsWith('#TYPE ')) {
      typeLine = lineNo;
    } else if (line.startsWith('#Version:')) {
      version = line.slice(9).trim();
    } else if (line.startsWith('#Date:')) {
      date = line.slice(6).trim();
    }
  };

  return {
    push: (chunk) => lines.push(chunk),
    end: () => {
      lines.end();
      if (pending) unclosed(pending, 'before the end of the file');
      sendVersion(lines.lines);
    },
    stopped: () => lines.stopped,
    get account() {
      return lines.account;
    },
    get lines() {
      return lines.lines;
    },
  };
}
