// Streaming reader of exported tables: a `#TYPE` line or directives, a header row, quoted rows, every loss located.

import type { Parser, RecordSink } from '../../core/record.js';
import type { SourceContext } from '../../core/source.js';
import { hasOpenQuote } from '../text/csv.js';
import { MAX_UNENDED_LINE_BYTES, unendedLine } from '../text/gated-lines.js';
import { ExportLines, MAX_LINE_BYTES } from './lines.js';
import { columnKey, PROFILES, recogniseLog, recogniseTable } from './profiles.js';
import type { ExportKind } from './profiles.js';
import { ExportRecord, makeExportSchema } from './record.js';
import type { ExportSchema } from './record.js';
import { detectSeparator, splitRow } from './split.js';

/** A quoted value may hold line breaks (an event message does); a row ends within this many lines or bytes. */
const MAX_ROW_LINES = 1000;
const MAX_ROW_BYTES = 1 << 20;

export interface ExportOptions {
  /** What the file holds, from its name or place, or from its header when discovery sniffed it. */
  kind: ExportKind;
  /** Column keys the rules need from this file, when they differ from the kind's (a known output). */
  needs?: readonly string[];
  /** Fields every row of the file carries (by column key). */
  constants?: ReadonlyMap<string, string>;
}

/** A line that starts like a data row (a time first), so it cannot be a header. */
const DATA_START = /^"?(\d{4}-\d{1,2}-\d{1,2}[T ]|\d{1,2}[./]\d{1,2}[./]\d{4})/;

export function createExportParser(opts: ExportOptions, ctx: SourceContext, sink: RecordSink): Parser {
  const profile = PROFILES[opts.kind];
  let schema: ExportSchema | undefined;
  /** No usable header: rows are read as text only (`headerless`), or not at all (`refused`). */
  let mode: 'header' | 'headerless' | 'refused' | undefined;
  let rows = 0;
  let records = 0;
  let version: string | undefined;
  let date: string | undefined;
  let versionSent = false;
  let pending: { parts: string[]; line: number; offset: number | undefined; bytes: number } | undefined;

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

  /** A file not read at all: said at its end, with the bytes left unread. */
  let refusal: { code: string; line: number; message: string } | undefined;
  const refuse = (code: string, line: number, message: string) => {
    refusal = { code, line, message };
  };

  const sendVersion = (line: number) => {
    if (version && !versionSent && sink.version) {
      versionSent = true;
      sink.version(version, date, line);
    }
  };

  const header = (line: string, lineNo: number, offset: number | undefined, sepHint?: string) => {
    const sep = sepHint ?? detectSeparator(line);
    const cols = sep === ' ' ? line.trim().split(/\s+/) : splitRow(line, sep);
    const keys = cols.map(columnKey);
    const set = new Set(keys);
    const seen = recogniseTable(keys) ?? recogniseLog(set);
    const known = keys.filter((k) => profile.names.has(k)).length;
    const needs = opts.needs ?? profile.needs;
    if (seen !== undefined && seen !== opts.kind) {
      mode = 'refused';
      refuse(
        'export.other-log',
        lineNo,
        `the header is that of another kind of table (${PROFILES[seen].title}), but the file's name or place says ${profile.title}; it is not read (move or rename it to where its kind belongs)`,
      );
      return;
    }
    if (seen === undefined && (known < 2 || !needs.some((k) => set.has(k)))) {
      if (DATA_START.test(line)) {
        headerless(lineNo);
        row(line, lineNo, offset);
        return;
      }
      mode = 'refused';
      refuse(
        'export.no-header',
        lineNo,
        `no header row of ${profile.title} was found: the first line names ${clip(cols.join(', '))}; the file is not read`,
      );
      return;
    }
    schema = makeExportSchema(cols, profile, sep, line);
    mode = 'header';
    const missing = needs.filter((k) => !set.has(k)).map((k) => profile.names.get(k) ?? k);
    if (profile.timed && !schema.time) missing.push('a time (DateTime, TimeStamp, or date and time)');
    if (missing.length > 0 && needs.every((k) => !set.has(k)))
      problem(
        'export.no-columns',
        lineNo,
        `none of the columns the detections read (${missing.join(', ')}) is in the header: only rules on the whole line apply`,
        'error',
      );
    else if (missing.length > 0)
      problem(
        'export.missing-columns',
        lineNo,
        `the header lacks ${missing.join(', ')}: detections that need ${missing.length > 1 ? 'them' : 'it'} cannot decide on these rows`,
        'warning',
      );
  };

  const headerless = (lineNo: number) => {
    mode = 'headerless';
    problem(
      'export.headerless',
      lineNo,
      `rows without a header row: their columns are unknown, so only rules on the whole line apply to this ${profile.title}`,
      'warning',
    );
  };

  const row = (text: string, lineNo: number, offset: number | undefined) => {
    if (mode === 'refused') return;
    rows++;
    const rec = new ExportRecord(opts.kind, schema, text, lineNo, offset, opts.constants);
    if (schema) {
      const cols = rec.columns();
      const want = schema.names.length;
      if (cols.length > want && cols.slice(want).some((v) => v.trim() !== '')) {
        problem('export.bad-row', lineNo, `row has ${cols.length} values, the header names ${want}`, 'error');
        return;
      }
      if (cols.length < want)
        problem(
          'export.short-row',
          lineNo,
          `row has ${cols.length} of the header's ${want} columns: the missing ones (${clip(schema.names.slice(cols.length).join(', '))}) are read as absent`,
          'warning',
        );
      if (schema.time) {
        const t = rec.timeResult();
        if (!t || !('iso' in t)) {
          const v =
            'col' in schema.time
              ? (cols[schema.time.col] ?? '')
              : `${cols[schema.time.date] ?? ''} ${cols[schema.time.time] ?? ''}`;
          if (t && 'ambiguous' in t)
            problem(
              'export.ambiguous-time',
              lineNo,
              `"${clip(v)}" could be day/month or month/day; the row is read without a time`,
              'warning',
            );
          else
            problem(
              'export.bad-time',
              lineNo,
              `"${clip(v)}" is not a time; the row is read without one`,
              'warning',
            );
        }
      }
    }
    records++;
    sink.record(rec);
  };

  const directive = (line: string, lineNo: number) => {
    if (line.startsWith('#Fields:')) {
      const rest = line.slice(8).trim();
      const sep = rest.includes(',') ? ',' : rest.includes('\t') ? '\t' : ' ';
      mode = undefined;
      schema = undefined;
      header(rest, lineNo, undefined, sep);
      sendVersion(lineNo);
    } else if (line.startsWith('#Version:')) version = line.slice(9).trim();
    else if (line.startsWith('#Date:')) date = line.slice(6).trim();
    // `#TYPE` (Windows PowerShell's Export-Csv) and the other directives carry no rows.
  };

  const onLine = (line: string, lineNo: number, offset: number | undefined) => {
    // A line that starts like a row (its time first) ends a value left open: a stray quote loses one row.
    if (pending && DATA_START.test(line)) {
      const p = pending;
      pending = undefined;
      problem(
        'export.unclosed-quote',
        p.line,
        `a quoted value opened here is not closed before the row on line ${lineNo}; ${p.parts.length === 1 ? 'the line is' : `its ${p.parts.length} lines are`} not read`,
        'error',
      );
    }
    if (pending) {
      const p = pending;
      p.parts.push(line);
      p.bytes += line.length + 1;
      if (hasOpenQuote(line)) {
        pending = undefined;
        row(p.parts.join('\n'), p.line, p.offset);
      } else if (p.parts.length >= MAX_ROW_LINES || p.bytes > MAX_ROW_BYTES) {
        pending = undefined;
        problem(
          'export.unclosed-quote',
          p.line,
          `a quoted value opened here is not closed within ${MAX_ROW_LINES} lines or ${MAX_ROW_BYTES} bytes; those ${p.parts.length} lines are not read`,
          'error',
        );
      }
      return;
    }
    if (line.trim().length === 0) return;
    if (line.charCodeAt(0) === 35) {
      directive(line, lineNo);
      return;
    }
    if (mode === undefined) {
      header(line, lineNo, offset);
      return;
    }
    if (mode === 'refused') return;
    if (schema && line === schema.headerLine) return; // the header repeated as a row
    if ((!schema || schema.sep !== ' ') && hasOpenQuote(line)) {
      pending = { parts: [line], line: lineNo, offset, bytes: line.length };
      return;
    }
    row(line, lineNo, offset);
  };

  const lines = new ExportLines(
    onLine,
    (lineNo) =>
      problem('export.long-line', lineNo, `line longer than ${MAX_LINE_BYTES} bytes, not read`, 'error'),
    (lineNo, offset, max) => sink.problem(unendedLine(ctx.path, lineNo, offset, max, ctx.size)),
    ctx.maxUnendedLine ?? MAX_UNENDED_LINE_BYTES,
  );

  return {
    push: (chunk) => lines.push(chunk),
    stopped: () => lines.stopped,
    end: () => {
      lines.end();
      if (pending) {
        problem(
          'export.unclosed-quote',
          pending.line,
          'the file ends inside a quoted value; the last row is incomplete and not read',
          'error',
        );
        pending = undefined;
      }
      sendVersion(lines.lines);
      if (refusal) problem(refusal.code, refusal.line, refusal.message, 'error', lines.bytes);
      if (mode === 'refused') return;
      const last = Math.max(1, lines.lines);
      if (rows === 0)
        problem(
          'export.no-rows',
          last,
          schema
            ? `a header and no rows: whatever this ${profile.title} was meant to hold is not in it`
            : `no rows: the file holds nothing readable as ${profile.title}`,
          'error',
          lines.bytes,
        );
      else if (records === 0)
        problem(
          'export.no-records',
          last,
          `none of its ${rows} row${rows > 1 ? 's' : ''} could be read (see the problems before this one)`,
          'error',
          lines.bytes,
        );
    },
  };
}

function clip(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
