// Field splitting for exported rows: RFC-4180 quoting with the separator the export used (`,` `;` tab).

import { splitCsv } from '../text/csv.js';

/**
 * Splits one row. The comma case is the shared CSV splitter; `;` (Export-Csv -UseCulture in most European
 * cultures) and tab (SIEM exports) follow the same quoting rules.
 */
export function splitRow(line: string, sep: string): string[] {
  if (sep === ',') return splitCsv(line);
  if (line.indexOf('"') < 0) return line.split(sep);
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i <= n) {
    if (line.charCodeAt(i) === 34) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) {
          value += line.slice(j);
          j = n;
          break;
        }
        value += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      const next = line.indexOf(sep, j);
      const end = next < 0 ? n : next;
      out.push(end > j ? value + line.slice(j, end) : value);
      i = end + 1;
    } else {
      const next = line.indexOf(sep, i);
      const end = next < 0 ? n : next;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** The separator a header line uses: the one of `,` `;` tab that splits it into the most names. */
export function detectSeparator(header: string): string {
  let best = ',';
  let most = 0;
  for (const sep of [',', ';', '\t']) {
    const n = splitRow(header, sep).length;
    if (n > most) {
      most = n;
      best = sep;
    }
  }
  return best;
}
