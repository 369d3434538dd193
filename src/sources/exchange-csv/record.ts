// One Exchange CSV log row as a LogRecord: columns by name, split on first use, with a few derived fields.

import type { FieldValue, LogRecord } from '../../core/record.js';
import { normaliseIso } from '../../core/time.js';
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

  constructor(
    readonly source: string,
    readonly schema: CsvSchema | undefined,
    private readonly raw: string,
    readonly line: number,
    readonly offset: number,
    private readonly derive?: Derive,
  ) {}

  columns(): string[] {
    return (this.values ??= splitCsv(this.raw));
  }

  get time(): string | undefined {
    if (this.timeCache === null) {
      this.timeCache = undefined;
      const t =
        this.schema && this.schema.time >= 0 ? this.columns()[this.schema.time] : leadingTime(this.raw);
      if (t) this.timeCache = normaliseIso(t.trim());
    }
    return this.timeCache;
  }

  get(field: string): FieldValue | undefined {
    const i = this.schema?.index.get(field) ?? this.schema?.index.get(field.toLowerCase());
    if (i !== undefined) {
      const v = this.columns()[i];
      return v === undefined ? undefined : v;
    }
    return this.derive?.(this, field);
  }

  text(): string {
    return this.raw;
  }

  fieldNames(): readonly string[] {
    return this.schema?.names ?? [];
  }
}

/** A timestamp at the start of a line without columns (`2021-03-03T06:49:42.162Z,...`). */
function leadingTime(line: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)/.exec(line);
  return m?.[1];
}
