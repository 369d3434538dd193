// Plain lists and CSV: one indicator per line, with an optional type and comment, or columns named by a header.

import type { Problem } from '../../core/problem.js';
import type { ImportResult } from './import-util.js';
import { problem } from './import-util.js';
import { classify, typeFromName } from './normalise.js';
import type { Indicator, IndicatorMeta, IndicatorType } from './types.js';

const VALUE_COLUMNS = ['value', 'indicator', 'ioc', 'observable', 'indicator_value', 'indicatorvalue'];
const TYPE_COLUMNS = ['type', 'indicatortype', 'indicator_type', 'ioc_type', 'kind'];
const COMMENT_COLUMNS = ['comment', 'description', 'note', 'notes', 'context'];

/** Splits on `sep`, honouring double quotes with doubled quotes inside (RFC 4180). */
export function splitCsv(line: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (c === sep) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

function separatorOf(line: string): string | undefined {
  return ['\t', ',', ';'].find((s) => line.includes(s));
}

interface Header {
  sep: string;
  value: number;
  type: number;
  comment: number;
}

function headerOf(line: string): Header | undefined {
  const sep = separatorOf(line);
  if (!sep) return undefined;
  const cols = splitCsv(line, sep).map((c) => c.toLowerCase());
  const find = (names: string[]) => cols.findIndex((c) => names.includes(c));
  const value = find(VALUE_COLUMNS);
  return value < 0 ? undefined : { sep, value, type: find(TYPE_COLUMNS), comment: find(COMMENT_COLUMNS) };
}

type Entry = { type?: IndicatorType; value: string; comment?: string } | { error: string };

/**
 * A line of a list without a header: `value`, `value,comment` or `type,value[,comment]`. User agents and
 * URLs may hold the separators themselves, so a whole line that reads as one is taken whole.
 */
function entryOf(line: string): Entry {
  const sep = separatorOf(line);
  if (!sep) return { value: line };
  const fields = splitCsv(line, sep);
  const first = fields[0] ?? '';
  const type = typeFromName(first);
  if (type && fields.length >= 2) {
    if (type === 'user-agent' && !/^[^,;\t]*[,;\t]\s*"/.test(line))
      return { type, value: line.slice(line.indexOf(sep) + 1).trim() };
    const comment = fields.slice(2).join(sep);
    return { type, value: fields[1] ?? '', ...(comment ? { comment } : {}) };
  }
  const whole = classify(undefined, line);
  if (!('error' in whole) && (whole.type === 'user-agent' || whole.type === 'url'))
    return { type: whole.type, value: line };
  if (/^[a-z_-]{2,20}$/i.test(first))
    return { error: `${JSON.stringify(first)} is neither an indicator type exhunt knows nor an indicator` };
  const comment = fields.slice(1).join(sep);
  return { value: first, ...(comment ? { comment } : {}) };
}

export function importText(text: string, path: string, source: string, meta?: IndicatorMeta): ImportResult {
  const problems: Problem[] = [];
  const indicators: Indicator[] = [];
  const m: IndicatorMeta = meta ?? { author: source, source };
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  let header: Header | undefined;
  let seenData = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('//')) continue;
    if (!seenData) {
      seenData = true;
      header = headerOf(line);
      if (header) continue;
    }
    let entry: Entry;
    if (header) {
      const f = splitCsv(line, header.sep);
      const typeName = header.type >= 0 ? (f[header.type] ?? '') : '';
      const type = typeName ? typeFromName(typeName) : undefined;
      if (typeName && !type) {
        problems.push(
          problem(
            'ioc.unsupported-type',
            `indicator type ${JSON.stringify(typeName)} is not looked for`,
            path,
            i + 1,
          ),
        );
        continue;
      }
      const comment = header.comment >= 0 ? f[header.comment] : undefined;
      entry = { ...(type ? { type } : {}), value: f[header.value] ?? '', ...(comment ? { comment } : {}) };
    } else entry = entryOf(line);
    if ('error' in entry) {
      problems.push(problem('ioc.bad-entry', entry.error, path, i + 1));
      continue;
    }
    const r = classify(entry.type, entry.value);
    if ('error' in r) problems.push(problem('ioc.bad-entry', r.error, path, i + 1));
    else
      indicators.push({
        type: r.type,
        value: r.value,
        meta: m,
        ...(entry.comment ? { note: entry.comment } : {}),
      });
  }
  if (indicators.length === 0 && problems.length === 0)
    problems.push(problem('ioc.empty', 'no indicators in this file', path));
  return { indicators, problems };
}
