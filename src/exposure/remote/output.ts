// Writing scan rows as they come: an aligned table, a JSON array or CSV, one row per target.

import type { TargetResult } from './probe.js';

export type OutputFormat = 'table' | 'json' | 'csv';

interface RowWriter {
  row(r: TargetResult): void;
  end(): void;
}

const CAMPAIGN_CVES = new Set([
  'CVE-2021-26855',
  'CVE-2021-26857',
  'CVE-2021-26858',
  'CVE-2021-27065',
  'CVE-2021-34473',
  'CVE-2021-34523',
  'CVE-2021-31207',
  'CVE-2022-41040',
  'CVE-2022-41082',
  'CVE-2022-41080',
]);

function status(r: TargetResult): string {
  if (!r.ok) return `error:${r.error?.kind ?? 'unknown'}`;
  if (r.vulnerable.length > 0) return 'vulnerable';
  if (r.unknown.length > 0) return 'unknown';
  return 'patched';
}

export const CSV_COLUMNS = [
  'index',
  'target',
  'url',
  'status',
  'error',
  'build',
  'build_source',
  'precision',
  'product',
  'cu',
  'su',
  'missing_updates',
  'vulnerable_cves',
  'unknown_cves',
  'notes',
];

function csvField(v: string | number | undefined): string {
  const s = v === undefined ? '' : String(v);
  // A leading = + - @ would make a spreadsheet evaluate the cell; target text comes from the user's list.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(r: TargetResult): string {
  return [
    r.index,
    r.target,
    r.url,
    status(r),
    r.error?.message,
    r.build,
    r.source,
    r.precision,
    r.product,
    r.cu,
    r.su,
    r.missing.join(' '),
    r.vulnerable.join(' '),
    r.unknown.join(' '),
    r.notes.join(' | '),
  ]
    .map(csvField)
    .join(',');
}

const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n - 1) + '…' : s.padEnd(n));

export function createWriter(format: OutputFormat, out: NodeJS.WritableStream): RowWriter {
  if (format === 'json') {
    let first = true;
    out.write('[');
    return {
      row(r) {
        out.write((first ? '\n' : ',\n') + JSON.stringify(r));
        first = false;
      },
      end: () => void out.write(first ? ']\n' : '\n]\n'),
    };
  }
  if (format === 'csv') {
    out.write(CSV_COLUMNS.join(',') + '\n');
    return { row: (r) => void out.write(csvRow(r) + '\n'), end: () => undefined };
  }
  // Fixed widths: rows are printed as targets finish, so the widths cannot wait for the longest value.
  out.write(
    `${pad('TARGET', 32)} ${pad('STATUS', 18)} ${pad('BUILD', 15)} ${pad('PRODUCT', 11)} ${pad('SU', 10)} VULNERABLE / UNKNOWN (campaign CVEs)\n`,
  );
  return {
    row(r) {
      const camp = (l: string[]) =>
        l.filter((c) => CAMPAIGN_CVES.has(c) || c === 'all').map((c) => c.replace('CVE-', ''));
      const detail = r.ok
        ? [`V: ${camp(r.vulnerable).join(' ') || '-'}`, `?: ${camp(r.unknown).join(' ') || '-'}`].join('  ') +
          (r.precision === 'cu' ? '  (CU only: SU level not visible)' : '')
        : (r.error?.message ?? '');
      const product = r.product ? `${r.product} ${r.cu ?? ''}`.trim() : '';
      out.write(
        `${pad(r.target, 32)} ${pad(status(r), 18)} ${pad(r.build ?? '', 15)} ${pad(product, 11)} ${pad(r.su ?? '', 10)} ${detail}\n`,
      );
    },
    end: () => undefined,
  };
}
