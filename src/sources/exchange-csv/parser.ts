// Streaming parser for Exchange's CSV logs: directives, `#Fields` or a plain header, quoted fields, repeated headers.

import type { Parser, RecordSink } from '../../core/record.js';
import type { SourceContext } from '../../core/source.js';
import { hasOpenQuote } from '../text/csv.js';
import { GatedLines } from '../text/gated-lines.js';
import type { LineFormat } from '../text/gated-lines.js';
import { splitCsv } from '../text/csv.js';
import { CsvRecord, makeCsvSchema } from './record.js';
import type { CsvSchema, Derive } from './record.js';

/** A record spanning lines (a quoted value with line breaks) is joined up to this many characters. */
const MAX_RECORD_CHARS = 1 << 20;

export interface CsvOptions {
  source: string;
  derive?: Derive;
  /** Formats without fixed columns (the OAB generator log) keep rows as text when no header is present. */
  textOnly?: boolean;
}

export function createCsvParser(opts: CsvOptions, ctx: SourceContext, sink: RecordSink): Parser {
  let schema: CsvSchema | undefined;
  let version: string | undefined;
  let date: string | undefined;
  let versionSent = false;
  let pending: { text: string; line: number; offset: number } | undefined;
  /** Line of Windows PowerShell's `#TYPE` (Export-Csv): the header row comes right after it. */
  let typeLine = -1;
  /** `2021-03-03T06:49:42.162Z,`: the millisecond ISO form Exchange writes at the start of each row. */
  const stamp = 'dddd-dd-ddTdd:dd:dd.dddZ,';
  const format = (): LineFormat | undefined =>
    schema && schema.time === 0 && sink.tally
      ? { sep: ',', fields: schema.names.length, stamp, compare: 24, csv: true }
      : undefined;

  const sendVersion = (line: number) => {
    if (version && !versionSent && sink.version) {
      versionSent = true;
      sink.version(version, date, line);
    }
  };

  const row = (text: string, lineNo: number, offset: number, mask: number) => {
    if (schema && text === schema.headerLine) return; // a header row repeated as data
    const first = lineNo === 1 || lineNo === typeLine + 1;
    if (!schema && !opts.textOnly && first && !/^"?\d{4}-\d{2}-\d{2}T/.test(text)) {
      schema = makeCsvSchema(splitCsv(text)); // the plain header line some Exchange logs start with
      lines.setFormat(format());
      return;
    }
    const rec = new CsvRecord(opts.source, schema, text, lineNo, offset, opts.derive, mask);
    if (schema) {
      const n = rec.count();
      // A row cut short (a published excerpt, an export that dropped trailing columns) keeps the columns
      // it has in their places: it is read, and the rules that need the missing ones cannot decide on it.
      if (n < schema.names.length) {
        sink.problem({
          code: 'csv.short-row',
          message: `row has ${n} of the header's ${schema.names.length} columns; read with the rest absent`,
          path: ctx.path,
          line: lineNo,
          severity: 'warning',
        });
      } else if (n !== schema.names.length) {
        sink.problem({
          code: 'csv.bad-line',
          message: `row has ${n} fields, the header declares ${schema.names.length}`,
          path: ctx.path,
          line: lineNo,
          severity: 'error',
        });
        return;
      }
    }
    sink.record(rec);
  };

  // Rows no matcher can hit are checked (column count) and counted by the kernel; quoted rows come here.
  const lines: GatedLines = new GatedLines(
    sink.tally ? ctx.gate : undefined,
    (line, lineNo, offset, mask) => {
      if (pending) {
        pending.text += '\n' + line;
        if (hasOpenQuote(pending.text) && pending.text.length < MAX_RECORD_CHARS) return;
        const p = pending;
        pending = undefined;
        // The literal bits were found per line; a row of several lines is tested again as a whole.
        row(p.text, p.line, p.offset, -1);
        return;
      }
      if (line.length === 0) return;
      if (line.charCodeAt(0) === 35) {
        directive(line, lineNo);
        return;
      }
      if (hasOpenQuote(line)) {
        pending = { text: line, line: lineNo, offset };
        return;
      }
      row(line, lineNo, offset, mask);
    },
    (n, first, last) => sink.tally?.(n, first, last),
  );

  const directive = (line: string, lineNo: number) => {
    if (line.startsWith('#Fields:')) {
      schema = makeCsvSchema(splitCsv(line.slice(8).trim()));
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
      if (pending) {
        sink.problem({
          code: 'csv.unclosed-quote',
          message: 'the file ends inside a quoted field; the last record is incomplete',
          path: ctx.path,
          line: pending.line,
          severity: 'error',
        });
        pending = undefined;
      }
      sendVersion(lines.lines);
    },
  };
}
