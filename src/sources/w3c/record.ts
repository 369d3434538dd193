// One IIS W3C line as a LogRecord: fields split on first use, `-` read as empty, `+` in headers read as space.

import type { FieldValue, LogRecord } from '../../core/record.js';
import { isStampAt, w3cTime } from '../../core/time.js';

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
  private reads = 0;

  constructor(
    readonly schema: W3cSchema,
    private readonly raw: string,
    readonly line: number,
    readonly offset: number,
    readonly gate = -1,
  ) {}

  /** Splits the line; callers check the column count against the schema. */
  columns(): string[] {
    return (this.values ??= this.raw.split(' '));
  }

  /** One column found by walking the separators: cheaper than splitting when a rule reads one or two. */
  private column(i: number): string | undefined {
    if (++this.reads > 2) return this.columns()[i];
    let start = 0;
    for (let k = 0; k < i; k++) {
      const sp = this.raw.indexOf(' ', start);
      if (sp < 0) return undefined;
      start = sp + 1;
    }
    const end = this.raw.indexOf(' ', start);
    return this.raw.slice(start, end < 0 ? this.raw.length : end);
  }

  get time(): string | undefined {
    if (this.timeCache === null) {
      // IIS always writes date and time first; read them in place instead of splitting the line.
      if (this.schema.date === 0 && this.schema.time === 1 && isW3cStampAt(this.raw, 0)) {
        return (this.timeCache = `${this.raw.slice(0, 10)}T${this.raw.slice(11, 19)}.000Z`);
      }
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
    const v = this.values ? this.values[i] : this.column(i);
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

/** `YYYY-MM-DD HH:MM:SS ` at `at`, a real time (no month 13, no 30 February). */
function isW3cStampAt(s: string, at: number): boolean {
  return (
    s.length > at + 19 && s.charCodeAt(at + 10) === 32 && s.charCodeAt(at + 19) === 32 && isStampAt(s, at)
  );
}
