// Streaming parser for Exchange's CSV logs: directives, `#Fields` or a plain header, quoted fields, repeated headers.

import type { Parser, RecordSink } from '../../core/record.js';
import type { SourceContext } from '../../core/source.js';
import { hasOpenQuote } from '../text/csv.js';
import { LineSplitter } from '../text/lines.js';
import { countFieldsAt, TimeRange } from '../text/time-range.js';
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

  const sendVersion = (line: number) => {
    if (version && !versionSent && sink.version) {
      versionSent = true;
      sink.version(version, date, line);
    }
  };

  const row = (text: string, lineNo: number, offset: number) => {
    if (schema && text === schema.headerLine) return; // a header row repeated as data
    if (!schema && !opts.textOnly && lineNo === 1 && !/^\d{4}-\d{2}-\d{2}T/.test(text)) {
      schema = makeCsvSchema(splitCsv(text)); // the plain header line some Exchange logs start with
      return;
    }
    const rec = new CsvRecord(opts.source, schema, text, lineNo, offset, opts.derive);
    if (schema) {
      const n = rec.count();
      if (n !== schema.names.length) {
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

  const times = new TimeRange();
  // Rows no matcher can hit: checked (column count) and counted in place; quoted rows take the full path.
  // The next quote in the chunk, found once and reused: searching from every line would rescan the chunk.
  let quoteText = '';
  let nextQuote = -1;
  const plain = (text: string, start: number, end: number): boolean => {
    if (!schema || schema.time !== 0 || pending) return false;
    if (text !== quoteText || (nextQuote >= 0 && nextQuote < start)) {
      quoteText = text;
      nextQuote = text.indexOf('"', start);
    }
    if (nextQuote >= 0 && nextQuote < end) return false;
    if (!isIsoAt(text, start)) return false;
    if (countFieldsAt(text, start, end, ',') !== schema.names.length) return false;
    times.consider(text, start, 24);
    return true;
  };
  const flush = () => {
    if (times.count === 0) return;
    sink.tally?.(times.count, times.min, times.max);
    times.reset();
  };
  const splitter = new LineSplitter(
    (line, lineNo, offset) => {
      if (pending) {
        pending.text += '\n' + line;
        if (hasOpenQuote(pending.text) && pending.text.length < MAX_RECORD_CHARS) return;
        const p = pending;
        pending = undefined;
        row(p.text, p.line, p.offset);
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
      row(line, lineNo, offset);
    },
    ctx.gate && sink.tally ? { gate: ctx.gate, plain, flush } : {},
  );

  const directive = (line: string, lineNo: number) => {
    if (line.startsWith('#Fields:')) {
      schema = makeCsvSchema(splitCsv(line.slice(8).trim()));
      sendVersion(lineNo);
    } else if (line.startsWith('#Version:')) {
      version = line.slice(9).trim();
    } else if (line.startsWith('#Date:')) {
      date = line.slice(6).trim();
    }
  };

  return {
    push: (chunk) => splitter.push(chunk),
    end: () => {
      splitter.end();
      flush();
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
      sendVersion(splitter.lines);
    },
  };
}

/** `2021-03-03T06:49:42.162Z,` at `at`: the millisecond ISO form Exchange writes, checked by its separators. */
function isIsoAt(s: string, at: number): boolean {
  return (
    s.charCodeAt(at + 4) === 45 &&
    s.charCodeAt(at + 7) === 45 &&
    s.charCodeAt(at + 10) === 84 &&
    s.charCodeAt(at + 13) === 58 &&
    s.charCodeAt(at + 16) === 58 &&
    s.charCodeAt(at + 19) === 46 &&
    s.charCodeAt(at + 23) === 90 &&
    s.charCodeAt(at + 24) === 44
  );
}
