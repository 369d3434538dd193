// Derived fields of Exchange CSV logs: the HttpProxy request URI and the ECP Server `S:KEY=value;` event data.

import type { FieldValue } from '../../core/record.js';
import { parseEcpEventData } from '../../core/ecp-data.js';
import type { CsvRecord } from './record.js';

/** `Uri` = UrlStem plus `?` and UrlQuery: what Sigma web rules mean by `cs-uri-query`. */
export function deriveHttpProxy(rec: CsvRecord, field: string): FieldValue | undefined {
  if (field !== 'Uri') return undefined;
  const stem = rec.get('UrlStem');
  const query = rec.get('UrlQuery');
  const s = typeof stem === 'string' ? stem : '';
  return typeof query === 'string' && query.length > 0
    ? `${s}${query.startsWith('?') ? '' : '?'}${query}`
    : s;
}

/** ECP Server EventData keys (`CMD`, `URL`, `REQID`, ...), parsed on first use. */
export function deriveEcp(rec: CsvRecord, field: string): FieldValue | undefined {
  const data = rec.get('EventData');
  const text = typeof data === 'string' ? data : rec.text();
  return parseEcpEventData(text).get(field.toUpperCase());
}
