// Streaming IIS W3C parser: `#Fields` re-read wherever it appears; lines that do not fit are located problems.

import type { Parser, RecordSink } from '../../core/record.js';
import type { SourceContext } from '../../core/source.js';
import { GatedLines } from '../text/gated-lines.js';
import type { LineFormat } from '../text/gated-lines.js';
import { makeSchema, W3cRecord } from './record.js';
import type { W3cSchema } from './record.js';

/** The IIS default field set, used only when a file's `#Fields` line is missing (a cut-off head). */
export const IIS_DEFAULT_FIELDS =
  'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';

/** `2021-03-03 06:49:42 ` at the start of a line: the shape of a line the kernel may count in place. */
const W3C_STAMP = 'dddd-dd-dd dd:dd:dd ';

export function createW3cParser(ctx: SourceContext, sink: RecordSink): Parser {
  let schema: W3cSchema | undefined;
  let guessed = false;
  const iso = (k: string) => `${k.slice(0, 10)}T${k.slice(11, 19)}.000Z`;
  // Lines no matcher can hit are checked (field count) and counted by the kernel, their time kept as text.
  const tally = (n: number, first: string, last: string) => sink.tally?.(n, iso(first), iso(last));
  const format = (): LineFormat | undefined =>
    schema && schema.date === 0 && schema.time === 1 && sink.tally
      ? { sep: ' ', fields: schema.names.length, stamp: W3C_STAMP, compare: 19, csv: false }
      : undefined;
  const lines: GatedLines = new GatedLines(
    sink.tally ? ctx.gate : undefined,
    (line, lineNo, offset, mask) => {
      if (line.length === 0) return;
      if (line.charCodeAt(0) === 35) {
        if (line.startsWith('#Fields:')) {
          schema = makeSchema(line.slice(8).trim().split(/\s+/));
          guessed = false;
          lines.setFormat(format());
        }
        return;
      }
      if (!schema) {
        schema = makeSchema(IIS_DEFAULT_FIELDS.split(' '));
        guessed = true;
        lines.setFormat(format());
        sink.problem({
          code: 'w3c.no-fields',
          message: 'data before any #Fields line; reading with the IIS default field set',
          path: ctx.path,
          line: lineNo,
          severity: 'warning',
        });
      }
      const rec = new W3cRecord(schema, line, lineNo, offset, mask);
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
    tally,
  );
  return {
    push: (chunk) => lines.push(chunk),
    end: () => {
      lines.end();
    },
  };
}

/** Number of space-separated fields, counted without splitting (this runs on every line). */
function countFields(line: string): number {
  let n = 1;
  for (let i = line.indexOf(' '); i >= 0; i = line.indexOf(' ', i + 1)) n++;
  return n;
}
