// Streaming IIS W3C parser: `#Fields` re-read wherever it appears; lines that do not fit are located problems.

import type { Parser, RecordSink } from '../../core/record.js';
import type { SourceContext } from '../../core/source.js';
import { LineSplitter } from '../text/lines.js';
import { makeSchema, W3cRecord } from './record.js';
import type { W3cSchema } from './record.js';

/** The IIS default field set, used only when a file's `#Fields` line is missing (a cut-off head). */
export const IIS_DEFAULT_FIELDS =
  'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';

export function createW3cParser(ctx: SourceContext, sink: RecordSink): Parser {
  let schema: W3cSchema | undefined;
  let guessed = false;
  const splitter = new LineSplitter((line, lineNo, offset) => {
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
  });
  return {
    push: (chunk) => splitter.push(chunk),
    end: () => {
      splitter.end();
    },
  };
}

/** Number of space-separated fields, counted without splitting (this runs on every line). */
function countFields(line: string): number {
  let n = 1;
  for (let i = line.indexOf(' '); i >= 0; i = line.indexOf(' ', i + 1)) n++;
  return n;
}
