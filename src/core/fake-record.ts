// A LogRecord built from a plain object: for tests, and for Sigma rule tests (`exhunt rules test`) whose events are given as fields.

import type { FieldValue, LogRecord } from './record.js';

export function fakeRecord(
  source: string,
  fields: Record<string, FieldValue | readonly FieldValue[]>,
  opts: { text?: string; time?: string; line?: number } = {},
): LogRecord {
  return {
    source,
    line: opts.line ?? 1,
    time: opts.time,
    get: (f) => fields[f],
    text: () =>
      opts.text ??
      Object.values(fields)
        .map((v) => (Array.isArray(v) ? v.join(' ') : String(v)))
        .join(','),
    fieldNames: () => Object.keys(fields),
  };
}
