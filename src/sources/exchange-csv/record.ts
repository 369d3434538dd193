// One Exchange CSV log row as a LogRecord: columns by name, split on first use, with a few derived fields.

import type { FieldValue, LogRecord } from '../../core/record.js';
import { isStampAt, normaliseIso } from '../../core/time.js';
import { splitCsv } from '../text/csv.js';

export interface CsvSchema {
  names: readonly string[];
  index: ReadonlyMap<string, number>;
  /** Column holding the row's time (`DateTime`, `TimeStamp`, `date-time`), or -1. */
  time: number;
  /** The header as a line, to recognise header rows repeated as data. */
  headerLine: string;
}

const TIME_COLUMNS = ['datetime', 'timestamp', 'date-time', 'time'];

/** Is `name` a column that holds a row's time (`DateTime`, `TimeStamp`, ...)? */
export function isTimeColumn(name: string): boolean {
  return TIME_COLUMNS.includes(name.trim().toLowerCase());
}

export function makeCsvSchema(names: string[]): CsvSchema {
  const clean = names.map((n) => n.trim());
  const index = new Map<string, number>();
  clean.forEach((n, i) => index.set(n, i));
  // Column names differ in case between versions and tools (ClientIpAddress / ClientIPAddress).
  clean.forEach((n, i) => {
    if (!index.has(n.toLowerCase())) index.set(n.toLowerCase(), i);
  });
  let time = -1;
  for (const t of TIME_COLUMNS) {
    const i = clean.findIndex((n) => n.toLowerCase() === t);
    if (i >= 0) {
      time = i;
      break;
    }
  }
  return { names: clean, index, time, headerLine: clean.join(',') };
}

/** Derived fields a source may add on top of its columns (the HttpProxy `Uri`, ECP EventData keys). */
export type Derive = (rec: CsvRecord, field: string) => FieldValue | undefined;

export class CsvRecord implements LogRecord {
  private values: string[] | undefined;
  private timeCache: string | undefined | null = null;
  private reads = 0;

  constructor(
    readonly source: string,
    readonly schema: CsvSchema | undefined,
    private readonly raw: string,
    readonly line: number,
    readonly offset: number,
    private readonly derive?: Derive,
    readonly gate = -1,
  ) {}

  columns(): string[] {
    return (this.values ??= splitCsv(this.raw));
  }

  /**
   * One column by walking commas, for lines without quotes: a rule usually reads one or two of the 70-odd
   * HttpProxy columns, and splitting them all was the largest cost on those logs.
   */
  private column(i: number): string | undefined {
    return ++this.reads > 3 ? this.columns()[i] : this.columnAt(i);
  }

  private columnAt(i: number): string | undefined {
    if (this.values || this.raw.indexOf('"') >= 0) return this.columns()[i];
    let start = 0;
    for (let k = 0; k < i; k++) {
      const c = this.raw.indexOf(',', start);
      if (c < 0) return undefined;
      start = c + 1;
    }
    const end = this.raw.indexOf(',', start);
    return this.raw.slice(start, end < 0 ? this.raw.length : end);
  }

  get time(): string | undefined {
    if (this.timeCache === null) {
      this.timeCache = undefined;
      const t =
        this.schema && this.schema.time >= 0 ? this.columnAt(this.schema.time) : leadingTime(this.raw);
      if (t) this.timeCache = isMillisIso(t) ? t : normaliseIso(t.trim());
    }
    return this.timeCache;
  }

  get(field: string): FieldValue | undefined {
    return this.named(field) ?? this.derive?.(this, field);
  }

  /** A column by name, without derived fields (which read columns themselves). */
  named(field: string): string | undefined {
    const i = this.schema?.index.get(field) ?? this.schema?.index.get(field.toLowerCase());
    return i === undefined ? undefined : this.values ? this.values[i] : this.column(i);
  }

  text(): string {
    return this.raw;
  }

  /** Number of columns, counted without splitting when the line has no quotes (this runs on every row). */
  count(): number {
    if (this.values || this.raw.indexOf('"') >= 0) return this.columns().length;
    let n = 1;
    for (let i = this.raw.indexOf(','); i >= 0; i = this.raw.indexOf(',', i + 1)) n++;
    return n;
  }

  fieldNames(): readonly string[] {
    return this.schema?.names ?? [];
  }
}

/** `2021-03-03T06:49:42.162Z` and a real time, checked in place: the common case needs no regular expression. */
function isMillisIso(s: string): boolean {
  return (
    s.length === 24 &&
    s.charCodeAt(10) === 84 &&
    s.charCodeAt(19) === 46 &&
    s.charCodeAt(23) === 90 &&
    isDigit(s.charCodeAt(20)) &&
    isDigit(s.charCodeAt(21)) &&
    isDigit(s.charCodeAt(22)) &&
    isStampAt(s, 0)
  );
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A timestamp at the start of a line without columns (`2021-03-03T06:49:42.162Z,...`). */
function leadingTime(line: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)/.exec(line);
  return m?.[1];
}
