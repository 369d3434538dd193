// Exchange and IIS logs exported as tables (Export-Csv, Import-Csv | Export-Csv, SIEM CSV), read by their log's rules.

import { FIELD_ROLES } from '../../core/fields.js';
import type { SourceDef } from '../../core/source.js';
import { baseName, hasSegment, segmentAfter } from '../text/paths.js';
import { headLines } from './lines.js';
import { createExportParser } from './parser.js';
import { columnKey, isTplHttpProxyHeader, recogniseLog } from './profiles.js';
import type { ExportKind } from './profiles.js';
import { detectSeparator, splitRow } from './split.js';

export { createExportParser } from './parser.js';
export type { ExportOptions } from './parser.js';
export type { ExportKind } from './profiles.js';
export { columnKey, isTplHttpProxyHeader, recogniseTable } from './profiles.js';
export { headLines } from './lines.js';

/** Table files; `.log` and `.txt` names stay with the native readers. */
const TABLE = /\.(csv|tsv)$/;

/** The header of a table file's head: a `#Fields:` line, else the first line that is not a directive. */
export function headerKeys(head: Buffer): string[] | undefined {
  for (const line of headLines(head, 12)) {
    if (line.trim() === '') continue;
    if (line.startsWith('#Fields:')) {
      const rest = line.slice(8).trim();
      return (rest.includes(',') ? splitRow(rest, ',') : rest.split(/\s+/)).map(columnKey);
    }
    if (line.startsWith('#')) continue;
    if (/^"?\d{4}-\d{1,2}-\d{1,2}[T ]/.test(line)) return undefined; // data, not a header
    const cols = splitRow(line, detectSeparator(line)).map(columnKey);
    return cols.length >= 2 ? cols : undefined;
  }
  return undefined;
}

const seen = new WeakMap<Buffer, ExportKind | null>();

/** The log a table's header names (cached: every export source asks about the same head). */
function sniffLogKind(head: Buffer): ExportKind | undefined {
  const hit = seen.get(head);
  if (hit !== undefined) return hit ?? undefined;
  const keys = headerKeys(head);
  const kind = keys && !isTplHttpProxyHeader(keys) ? recogniseLog(new Set(keys)) : undefined;
  seen.set(head, kind ?? null);
  return kind;
}

const PROTOCOLS = [
  'Autodiscover',
  'Eas',
  'Ecp',
  'Ews',
  'Mapi',
  'Oab',
  'Owa',
  'OwaCalendar',
  'PowerShell',
  'RpcHttp',
];

function exportSource(
  kind: ExportKind,
  title: string,
  place: (pathLower: string) => boolean,
  family: (pathLower: string) => string,
): SourceDef {
  return {
    id: `${kind}-export`,
    title,
    // Below the native readers (20): a log with its own directives is read by them.
    priority: 15,
    dataOf: kind,
    roles: FIELD_ROLES[kind],
    matchPath: (p) => TABLE.test(p) && place(p),
    sniff: (head) => sniffLogKind(head) === kind,
    family,
    createParser: (ctx, sink) => createExportParser({ kind }, ctx, sink),
    copiesChunks: true,
  };
}

export const httpProxyExportSource = exportSource(
  'httpproxy',
  'HttpProxy log exported as a table',
  (p) => hasSegment(p, 'logging/httpproxy/') || baseName(p).startsWith('httpproxy_'),
  (p) => {
    const folder = segmentAfter(p, 'httpproxy/');
    const known = PROTOCOLS.find((x) => x.toLowerCase() === folder);
    return known ? `HttpProxy/${known}` : 'HttpProxy';
  },
);

export const ecpServerExportSource = exportSource(
  'ecp-server',
  'ECP Server log exported as a table',
  (p) => hasSegment(p, 'logging/ecp/server/') || /^ecpserver\d/.test(baseName(p)),
  () => 'ECP/Server',
);

export const iisExportSource = exportSource(
  'iis-w3c',
  'IIS W3C log exported as a table',
  (p) =>
    hasSegment(p, 'inetpub/logs/logfiles/') || /(^|\/)w3svc\d+\//.test(p) || /^u_ex\d{6}/.test(baseName(p)),
  (p) => {
    const site = /(?:^|\/)(w3svc\d+)\//.exec(p)?.[1];
    return site ? `IIS/${site.toUpperCase()}` : 'IIS';
  },
);

export const rpsHttpExportSource = exportSource(
  'rps-http',
  'Rps_Http log exported as a table',
  (p) => baseName(p).startsWith('rps_http_') || hasSegment(p, 'powershell-proxy/http/'),
  () => 'CmdletInfra/Rps_Http',
);

export const rpsCmdletExportSource = exportSource(
  'rps-cmdlet',
  'Rps_Cmdlet log exported as a table',
  (p) => baseName(p).startsWith('rps_cmdlet_') || hasSegment(p, 'powershell-proxy/cmdlet/'),
  () => 'CmdletInfra/Rps_Cmdlet',
);
