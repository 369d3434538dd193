// Checks that a generated file is well-formed for the format its path claims; the tests run it on every file.

import { parseCsvRow, csvRow } from './csv.js';
import { ECP_FIELDS, OAB_FIELDS, RPS_HTTP_FIELDS } from './exchange-logs.js';
import { HTTPPROXY_FIELDS } from './httpproxy.js';

export interface FormatIssue {
  path: string;
  line: number;
  message: string;
}

interface CsvFormat {
  logType: string;
  fields: readonly string[];
  plainHeader: boolean;
}

function lines(path: string, text: string, issues: FormatIssue[]): string[] {
  if (!text.endsWith('\r\n')) issues.push({ path, line: 0, message: 'file does not end with CRLF' });
  const out = text.split('\r\n');
  out.pop();
  out.forEach((l, i) => {
    if (l.includes('\n') || l.includes('\r')) issues.push({ path, line: i + 1, message: 'bare LF or CR' });
  });
  return out;
}

export function validateW3c(path: string, text: string): FormatIssue[] {
  const issues: FormatIssue[] = [];
  const ls = lines(path, text, issues);
  let fields: string[] | undefined;
  let expect = 0; // directive order: Software, Version, Date, Fields
  const order = [
    '#Software: Microsoft Internet Information Services 10.0',
    '#Version: 1.0',
    '#Date: ',
    '#Fields: ',
  ];
  ls.forEach((l, i) => {
    const n = i + 1;
    if (l.startsWith('#')) {
      const want = order[expect % 4] as string;
      if (!l.startsWith(want)) issues.push({ path, line: n, message: `expected ${want}` });
      if (l.startsWith('#Date: ') && !/^#Date: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(l))
        issues.push({ path, line: n, message: 'bad #Date' });
      if (l.startsWith('#Fields: ')) fields = l.slice(9).split(' ');
      expect++;
      return;
    }
    if (!fields || expect % 4 !== 0)
      return void issues.push({ path, line: n, message: 'data before a complete header' });
    const parts = l.split(' ');
    if (parts.length !== fields.length)
      issues.push({ path, line: n, message: `${parts.length} values for ${fields.length} fields` });
    if (parts.some((p) => p === '')) issues.push({ path, line: n, message: 'empty value (IIS writes -)' });
  });
  if (ls[0] !== order[0]) issues.push({ path, line: 1, message: 'file does not start with #Software' });
  return issues;
}

export function validateExchangeCsv(path: string, text: string, f: CsvFormat): FormatIssue[] {
  const issues: FormatIssue[] = [];
  const ls = lines(path, text, issues);
  const header = f.fields.join(',');
  let i = 0;
  if (f.plainHeader) {
    if (ls[0] !== header)
      issues.push({ path, line: 1, message: 'plain CSV header line missing or different' });
    i = 1;
  }
  const want = [
    '#Software: Microsoft Exchange Server',
    '#Version: ',
    `#Log-type: ${f.logType}`,
    '#Date: ',
    `#Fields: ${header}`,
  ];
  want.forEach((w, k) => {
    if (!(ls[i + k] ?? '').startsWith(w)) issues.push({ path, line: i + k + 1, message: `expected ${w}` });
  });
  if (!/^#Version: \d+\.\d+\.\d+\.\d+$/.test(ls[i + 1] ?? ''))
    issues.push({ path, line: i + 2, message: 'bad #Version' });
  for (let n = i + want.length; n < ls.length; n++) {
    const l = ls[n] as string;
    let row: string[];
    try {
      row = parseCsvRow(l);
    } catch (e) {
      issues.push({ path, line: n + 1, message: (e as Error).message });
      continue;
    }
    if (row.length !== f.fields.length)
      issues.push({ path, line: n + 1, message: `${row.length} columns for ${f.fields.length} fields` });
    if (csvRow(row) !== l) issues.push({ path, line: n + 1, message: 'CSV quoting does not round-trip' });
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(row[0] ?? ''))
      issues.push({ path, line: n + 1, message: 'first column is not an ISO UTC time' });
  }
  return issues;
}

/** Which format a tree path holds, or undefined for files that are not logs. */
export function formatOf(path: string): string | undefined {
  if (/^inetpub\/logs\/LogFiles\/W3SVC\d+\/u_ex\d{6}\.log$/.test(path)) return 'w3c';
  if (/\/Logging\/HttpProxy\/[A-Za-z]+\/HttpProxy_\d{10}-\d+\.LOG$/.test(path)) return 'httpproxy';
  if (/\/Logging\/ECP\/Server\/ECPServer\d{8}-\d+\.LOG$/.test(path)) return 'ecp-server';
  if (/\/Logging\/OABGeneratorLog\/OABGeneratorLog_\d{8}-\d+\.LOG$/.test(path)) return 'oab-generator';
  if (/\/Logging\/CmdletInfra\/Powershell-Proxy\/Http\/Rps_Http_\d{10}-\d+\.LOG$/.test(path))
    return 'rps-http';
  return undefined;
}

export function validateFile(path: string, data: Buffer): FormatIssue[] {
  const text = data.toString('utf8');
  switch (formatOf(path)) {
    case 'w3c':
      return validateW3c(path, text);
    case 'httpproxy':
      return validateExchangeCsv(path, text, {
        logType: 'HttpProxy Logs',
        fields: HTTPPROXY_FIELDS,
        plainHeader: true,
      });
    case 'ecp-server':
      return validateExchangeCsv(path, text, {
        logType: 'ECP Server Log',
        fields: ECP_FIELDS,
        plainHeader: false,
      });
    case 'oab-generator':
      return validateExchangeCsv(path, text, {
        logType: 'OABGenerator Log',
        fields: OAB_FIELDS,
        plainHeader: false,
      });
    case 'rps-http':
      return validateExchangeCsv(path, text, {
        logType: 'Rps Http Logs',
        fields: RPS_HTTP_FIELDS,
        plainHeader: true,
      });
    default:
      return [];
  }
}
