// One IIS W3C line as a LogRecord: fields split on first use, `-` read as empty, `+` in headers read as space.

import type { FieldValue, LogRecord } from '../../core/record.js';
import { w3cTime } from '../../core/time.js';

export interface W3cSchema {
  names: readonly string[];
  index: ReadonlyMap<string, number>;
  /** Column positions of date and time, for the timestamp. */
  date: number;
  time: number;
}

export function makeSchema(names: string[]): W3cSchema {
  const index = new Map<string, number>();
  names.forEach((n, i) => index.set(n, i));
  // Sigma and most tools spell headers without parentheses; offer both names.
  names.forEach((n, i) => {
    const m = /^cs\((.+)\)$/i.exec(n);
    if (m?.[1]) index.set(`cs-${m[1].toLowerCase()}`, i);
  });
  return { names, index, date: index.get('date') ?? -1, time: index.get('time') ?? -1 };
}

/** IIS writes spaces in logged request headers (user agent, referer, cookie) as `+`. */
function isHeaderField(name: string): boolean {
  return name.startsWith('cs(') || name.startsWith('sc(');
}

export class W3cRecord implements LogRecord {
  readonly source = 'iis-w3c';
  private values: string[] | undefined;
  private timeCache: string | undefined | null = null;

  constructor(
    readonly schema: W3cSchema,
    private readonly raw: string,
    readonly line: number,
    readonly offset: number,
  ) {}

  /** Splits the line; callers check the column count against the schema. */
  columns(): string[] {
    return (this.values ??= this.raw.split(' '));
  }

  get time(): string | undefined {
    if (this.timeCache === null) {
      const v = this.columns();
      const d = v[this.schema.date];
      const t = v[this.schema.time];
      this.timeCache = d !== undefined && t !== undefined ? w3cTime(d, t) : undefined;
    }
    return this.timeCache;
  }

  get(field: string): FieldValue | undefined {
    if (field === 'cs-uri') return this.uri();
    const i = this.schema.index.get(field);
    if (i === undefined) return undefined;
    const v = this.columns()[i];
    if (v === undefined || v === '-') return null;
    const name = this.schema.names[i] ?? '';
    return isHeaderField(name) && v.indexOf('+') >= 0 ? v.replace(/\+/g, ' ') : v;
  }

  /** Path and query together, which is what Sigma web rules mean by `cs-uri-query`. */
  private uri(): string | null {
    const stem = this.get('cs-uri-stem');
    const query = this.get('cs-uri-query');
    if (typeof stem !== 'string') return typeof query === 'string' ? query : null;
    return typeof query === 'string' && query.length > 0 ? `${stem}?${query}` : stem;
  }

  text(): string {
    return this.raw;
  }

  fieldNames(): readonly string[] {
    return [...this.schema.names, 'cs-uri'];
  }
}
