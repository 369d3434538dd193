// Streaming IIS W3C parser: `#Fields` re-read wherever it appears; lines that do not fit are located problems.

import type { Parser, RecordSink } from '../../core/record.js';
import type { SourceContext } from '../../core/source.js';
import { LineSplitter } from '../text/lines.js';
import { countFieldsAt, TimeRange } from '../text/time-range.js';
import { isW3cStampAt } from './record.js';
import { makeSchema, W3cRecord } from './record.js';
import type { W3cSchema } from './record.js';

/** The IIS default field set, used only when a file's `#Fields` line is missing (a cut-off head). */
export const IIS_DEFAULT_FIELDS =
  'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';

export function createW3cParser(ctx: SourceContext, sink: RecordSink): Parser {
  let schema: W3cSchema | undefined;
  let guessed = false;
  const times = new TimeRange();
  // Lines no matcher can hit: checked (field count) and counted in place, their time taken as text.
  const plain = (text: string, start: number, end: number): boolean => {
    if (!schema || schema.date !== 0 || schema.time !== 1 || !isW3cStampAt(text, start)) return false;
    if (countFieldsAt(text, start, end, ' ') !== schema.names.length) return false;
    times.consider(text, start, 19);
    return true;
  };
  const flush = () => {
    if (times.count === 0) return;
    const iso = (k: string | undefined) => (k ? `${k.slice(0, 10)}T${k.slice(11, 19)}.000Z` : undefined);
    sink.tally?.(times.count, iso(times.min), iso(times.max));
    times.reset();
  };
  const splitter = new LineSplitter(
    (line, lineNo, offset) => {
      if (line.length === 0) return;
      if (line.charCodeAt(0) === 35) {
        if (line.startsWith('#Fields:')) {
          schema = makeSchema(line.slice(8).trim().split(/\s+/));
          guessed = false;
        }
        return;
      }
      if (!schema) {
        schema = makeSchema(IIS_DEFAULT_FIELDS.split(' '));
        guessed = true;
        sink.problem({
          code: 'w3c.no-fields',
          message: 'data before any #Fields line; reading with the IIS default field set',
          path: ctx.path,
          line: lineNo,
          severity: 'warning',
        });
      }
      const rec = new W3cRecord(schema, line, lineNo, offset);
      const n = countFields(line);
      if (n !== schema.names.length) {
        sink.problem({
          code: 'w3c.bad-line',
          message: `line has ${n} fields, #Fields${guessed ? ' (default)' : ''} declares ${schema.names.length}`,
          path: ctx.path,
          line: lineNo,
          severity: 'error',
        });
        return;
      }
      sink.record(rec);
    },
    ctx.gate && sink.tally ? { gate: ctx.gate, plain, flush } : {},
  );
  return {
    push: (chunk) => splitter.push(chunk),
    end: () => {
      splitter.end();
      flush();
    },
  };
}

/** Number of space-separated fields, counted without splitting (this runs on every line). */
function countFields(line: string): number {
  let n = 1;
  for (let i = line.indexOf(' '); i >= 0; i = line.indexOf(' ', i + 1)) n++;
  return n;
}
