// Derived fields of Exchange CSV logs: the HttpProxy request URI and the ECP Server `S:KEY=value;` event data.

import type { FieldValue } from '../../core/record.js';
import { parseEcpEventData } from '../../core/ecp-data.js';
import type { CsvRecord } from './record.js';

/** `Uri` = UrlStem plus `?` and UrlQuery: what Sigma web rules mean by `cs-uri-query`. */
export function deriveHttpProxy(rec: CsvRecord, field: string): FieldValue | undefined {
  if (field !== 'Uri') return undefined;
  const stem = rec.named('UrlStem');
  const query = rec.named('UrlQuery');
  const s = stem ?? '';
  return query !== undefined && query.length > 0 ? `${s}${query.startsWith('?') ? '' : '?'}${query}` : s;
}

/** Parsed event data per record: rules ask for several keys of the same row. */
const parsed = new WeakMap<CsvRecord, Map<string, string>>();

/** ECP Server EventData keys (`CMD`, `URL`, `REQID`, ...), parsed on first use. */
export function deriveEcp(rec: CsvRecord, field: string): FieldValue | undefined {
  let data = parsed.get(rec);
  if (!data) {
    // Without an EventData column (no header), the pairs are looked for in the whole row.
    data = parseEcpEventData(rec.named('EventData') ?? rec.text());
    parsed.set(rec, data);
  }
  return data.get(field.toUpperCase());
}
