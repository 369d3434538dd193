// Derived fields of Exchange CSV logs: the HttpProxy request URI and the ECP Server `S:KEY=value;` event data.

import type { FieldValue } from '../../core/record.js';
import type { CsvRecord } from './record.js';

/** `Uri` = UrlStem plus `?` and UrlQuery: what Sigma web rules mean by `cs-uri-query`. */
export function deriveHttpProxy(rec: CsvRecord, field: string): FieldValue | undefined {
  if (field !== 'Uri') return undefined;
  const stem = rec.get('UrlStem');
  const query = rec.get('UrlQuery');
  const s = typeof stem === 'string' ? stem : '';
  return typeof query === 'string' && query.length > 0 ? `${s}${query.startsWith('?') ? '' : '?'}${query}` : s;
}

/** ECP Server EventData keys (`CMD`, `URL`, `REQID`, ...), parsed on first use. */
export function deriveEcp(rec: CsvRecord, field: string): FieldValue | undefined {
  const data = rec.get('EventData');
  const text = typeof data === 'string' ? data : rec.text();
  return parseEcpEventData(text).get(field.toUpperCase());
}

/**
 * Values may themselves contain `;` (a script payload does), so keys are found by their `S:KEY=` shape
 * rather than by splitting on `;`.
 */
export function parseEcpEventData(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /(?:^|;)'?S:([A-Z][A-Z0-9]*)=/g;
  const starts: { key: string; at: number; end: number }[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push({ key: m[1] ?? '', at: m.index, end: re.lastIndex });
  starts.forEach((s, i) => {
    const next = starts[i + 1];
    let value = text.slice(s.end, next ? next.at : text.length);
    if (!next && value.endsWith(';')) value = value.slice(0, -1);
    if (!out.has(s.key)) out.set(s.key, value);
  });
  return out;
}
