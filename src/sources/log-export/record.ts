// One exported row as a LogRecord of the log it came from: columns by their native names, that log's derived fields.

import { parseEcpEventData } from '../../core/ecp-data.js';
import type { FieldValue, LogRecord } from '../../core/record.js';
import { columnKey } from './profiles.js';
import type { Profile } from './profiles.js';
import { splitRow } from './split.js';
import { parseDateAndTime, parseExportTime } from './time.js';
import type { TimeResult } from './time.js';

export interface ExportSchema {
  profile: Profile;
  /** The separator between values: `,`, `;`, tab, or space for W3C rows. */
  sep: string;
  /** Per column, the native name this log's rules use (the header's own name when the profile has none). */
  names: readonly string[];
  /** Column key (see `columnKey`) → column. */
  index: ReadonlyMap<string, number>;
  time: { col: number } | { date: number; time: number } | undefined;
  /** The header as written, to skip it when it is repeated as a row. */
  headerLine: string;
}

export function makeExportSchema(
  header: readonly string[],
  profile: Profile,
  sep: string,
  headerLine: string,
): ExportSchema {
  const index = new Map<string, number>();
  const names = header.map((h, i) => {
    const key = columnKey(h);
    if (!index.has(key)) index.set(key, i);
    return profile.names.get(key) ?? h.trim();
  });
  let time: ExportSchema['time'];
  const date = index.get('date');
  const clock = index.get('time');
  if (date !== undefined && clock !== undefined) time = { date, time: clock };
  else {
    for (const k of profile.time) {
      const col = index.get(k);
      if (col !== undefined) {
        time = { col };
        break;
      }
    }
  }
  return { profile, sep, names, index, time, headerLine };
}

function isoOf(v: FieldValue | undefined): string | undefined {
  const r = typeof v === 'string' ? parseExportTime(v) : undefined;
  return r && 'iso' in r ? r.iso : undefined;
}

/** W3C request header fields, whose spaces IIS writes as `+`. */
const PLUS_FIELDS = new Set(['csuseragent', 'csreferer', 'cscookie']);

export class ExportRecord implements LogRecord {
  private values: string[] | undefined;
  private timeCache: TimeResult | null = null;

  constructor(
    readonly source: string,
    readonly schema: ExportSchema | undefined,
    private readonly raw: string,
    readonly line: number,
    readonly offset: number | undefined,
    /** Fields that hold for every row of the file (the file's write time, say), by column key. */
    private readonly constants?: ReadonlyMap<string, string>,
  ) {}

  columns(): string[] {
    if (this.values) return this.values;
    const s = this.schema;
    if (!s) return (this.values = []);
    let v = s.sep === ' ' ? this.raw.split(' ') : splitRow(this.raw, s.sep);
    // ECP event data pasted without its quotes: the separators in it belong to the last column.
    if (s.profile.restInLast && v.length > s.names.length && s.names.length > 0) {
      const last = s.names.length - 1;
      v = [...v.slice(0, last), v.slice(last).join(s.sep)];
    }
    return (this.values = v);
  }

  /** The row's time, or why it has none (`ambiguous` day and month order). */
  timeResult(): TimeResult {
    if (this.timeCache !== null) return this.timeCache;
    const t = this.schema?.time;
    let r: TimeResult;
    if (!t) r = undefined;
    else if ('col' in t) r = parseExportTime(this.columns()[t.col] ?? '');
    else r = parseDateAndTime(this.columns()[t.date] ?? '', this.columns()[t.time] ?? '');
    return (this.timeCache = r);
  }

  get time(): string | undefined {
    const r = this.timeResult();
    return r && 'iso' in r ? r.iso : undefined;
  }

  get(field: string): FieldValue | undefined {
    const key = columnKey(field);
    const i = this.schema?.index.get(key);
    if (i !== undefined) return this.value(key, this.columns()[i]);
    const c = this.constants?.get(key);
    if (c !== undefined) return c;
    return this.derived(field, key);
  }

  private value(key: string, v: string | undefined): FieldValue | undefined {
    if (v === undefined) return undefined; // a short row: the column is not there
    if (this.source !== 'iis-w3c') return v;
    if (v === '-') return null;
    return PLUS_FIELDS.has(key) && v.indexOf('+') >= 0 ? v.replace(/\+/g, ' ') : v;
  }

  private derived(field: string, key: string): FieldValue | undefined {
    switch (this.source) {
      case 'httpproxy':
        return key === 'uri' ? this.uri('urlstem', 'urlquery') : undefined;
      case 'iis-w3c':
        return key === 'csuri' ? this.uri('csuristem', 'csuriquery') : undefined;
      case 'ecp-server': {
        const data = this.get('EventData');
        return parseEcpEventData(typeof data === 'string' ? data : this.raw).get(field.toUpperCase());
      }
      case 'tpl-other':
        // LastWriteTimeUtc, written in the culture of the server that ran the script.
        return key === 'lastwriteutc' ? isoOf(this.get('LastWrite')) : undefined;
      case 'tpl-26857': {
        // The event's local time on the server, offset unknown: ISO without the `Z`, never taken as UTC.
        const iso = key === 'timecreatedlocal' ? isoOf(this.get('TimeCreated')) : undefined;
        return iso ? iso.slice(0, -1) : undefined;
      }
      default:
        return undefined;
    }
  }

  /** Path and query together, what Sigma web rules mean by `cs-uri-query`. */
  private uri(stemKey: string, queryKey: string): string | null {
    const stem = this.get(stemKey);
    const query = this.get(queryKey);
    const s = typeof stem === 'string' ? stem : '';
    if (typeof query !== 'string' || query.length === 0) return typeof stem === 'string' ? s : null;
    return `${s}${query.startsWith('?') ? '' : '?'}${query}`;
  }

  text(): string {
    return this.raw;
  }

  fieldNames(): readonly string[] {
    return this.schema?.names ?? [];
  }
}
