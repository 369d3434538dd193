// Streaming IIS W3C parser: `#Fields` re-read wherever it appears; lines that do not fit are located problems.

import type { RecordSink } from '../../core/record.js';
import type { SourceContext } from '../../core/source.js';
import { GatedLines } from '../text/gated-lines.js';
import type { LineFormat } from '../text/gated-lines.js';
import { clip } from '../text/text-parser.js';
import type { TextParser } from '../text/text-parser.js';
import { makeSchema, W3cRecord } from './record.js';
import type { W3cSchema } from './record.js';

/** The IIS default field set, used only when a file's `#Fields` line is missing (a cut-off head). */
const IIS_DEFAULT_FIELDS =
  'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';

/**
 * `2021-03-03 06:49:42 ` at the start of a line, a real date and time: the shape of a line the kernel may
 * count in place (an impossible time makes the line go through the parser, which reports it).
 */
const W3C_STAMP = 'YYYY-MM-DD hh:mm:ss ';

export function createW3cParser(ctx: SourceContext, sink: RecordSink): TextParser {
  let schema: W3cSchema | undefined;
  let guessed = false;
  const iso = (k: string) => `${k.slice(0, 10)}T${k.slice(11, 19)}.000Z`;
  // Lines no matcher can hit are checked (field count, real time) and counted by the kernel, their time
  // kept as text.
  const tally = (n: number, first: string, last: string) => sink.tally?.(n, iso(first), iso(last));
  // Not for the guessed default layout: it is chosen on a data line, after the kernel has already classed
  // the rest of its batch, so counting in place would depend on where the reads cut the file (a property
  // test found a line tallied when read a byte at a time and handed on when read whole).
  const format = (): LineFormat | undefined =>
    schema && !guessed && schema.date === 0 && schema.time === 1 && sink.tally
      ? { sep: ' ', fields: schema.names.length, stamp: W3C_STAMP, compare: 19 }
      : undefined;
  const problem = (code: string, line: number, message: string, severity: 'error' | 'warning') =>
    sink.problem({ code, message, path: ctx.path, line, severity });

  const onLine = (line: string, lineNo: number, offset: number, mask: number) => {
    const account = lines.account;
    if (line.length === 0) {
      account.ignored++;
      return;
    }
    if (line.charCodeAt(0) === 35) {
      account.ignored++;
      if (line.startsWith('#Fields:')) {
        const names = line.slice(8).trim().split(/\s+/).filter(Boolean);
        if (names.length === 0) {
          problem(
            'w3c.bad-fields',
            lineNo,
            '#Fields names no field; the layout before it is kept',
            'warning',
          );
          return;
        }
        schema = makeSchema(names);
        guessed = false;
        lines.setFormat(format());
      }
      return;
    }
    if (!schema) {
      schema = makeSchema(IIS_DEFAULT_FIELDS.split(' '));
      guessed = true;
      lines.setFormat(format());
      problem(
        'w3c.no-fields',
        lineNo,
        'data before any #Fields line; reading with the IIS default field set',
        'warning',
      );
    }
    const n = countFields(line);
    if (n !== schema.names.length) {
      account.problems++;
      problem(
        'w3c.bad-line',
        lineNo,
        `line has ${n} fields, #Fields${guessed ? ' (default)' : ''} declares ${schema.names.length}`,
        'error',
      );
      return;
    }
    const rec = new W3cRecord(schema, line, lineNo, offset, mask);
    // A record with an impossible or unreadable time is still read; its time is left out, and said so.
    if (schema.date >= 0 && schema.time >= 0 && rec.time === undefined) {
      const v = rec.columns();
      problem(
        'w3c.bad-time',
        lineNo,
        `date and time "${clip(v[schema.date] ?? '')} ${clip(v[schema.time] ?? '')}" are not a real time; the record is read without one`,
        'warning',
      );
    }
    account.records++;
    sink.record(rec);
  };

  const lines: GatedLines = new GatedLines({
    path: ctx.path,
    gate: sink.tally ? ctx.gate : undefined,
    onLine,
    onTally: tally,
    onProblem: (p) => sink.problem(p),
    ...(ctx.size !== undefined ? { size: ctx.size } : {}),
    ...(ctx.maxUnendedLine !== undefined ? { maxUnended: ctx.maxUnendedLine } : {}),
  });
  return {
    push: (chunk) => lines.push(chunk),
    end: () => lines.end(),
    stopped: () => lines.stopped,
    get account() {
      return lines.account;
    },
    get lines() {
      return lines.lines;
    },
  };
}

/** Number of space-separated fields, counted without splitting (this runs on every line). */
function countFields(line: string): number {
  let n = 1;
  for (let i = line.indexOf(' '); i >= 0; i = line.indexOf(' ', i + 1)) n++;
  return n;
}
