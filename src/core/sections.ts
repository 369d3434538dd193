// A finding's typed sections built from the parsed record, through the field roles: filled once, where a
// hit becomes a finding, so analysis never re-reads the excerpt to learn a status or a path.

import type { CommandSection, EventSection, FileSection, RequestSection } from './finding.js';
import { roleNumber, roleText, sourceKind } from './fields.js';
import type { LogRecord } from './record.js';

/** Longest text kept in a section field; the record's whole line stays in the evidence file. */
const MAX = 2048;
const cut = (s: string): string => (s.length > MAX ? s.slice(0, MAX) : s);

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const CANARY = /msExchEcpCanary=([A-Za-z0-9_\-.]+)/i;
const CAFE = /cafeReqId=([0-9a-f-]{36})/i;
const BEGIN = /BeginRequest=(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)/;

/** Records whose findings get a request section: web logs, and the ECP Server log (canary, request ids). */
function hasRequest(source: string): boolean {
  return sourceKind(source) === 'web-log' || source === 'ecp-server';
}

/** Every GUID and the ECP canary in the record's field values (not its text: fields the parser split). */
function scanFields(r: LogRecord): { guids: string[]; canary?: string; begin?: string } {
  const guids = new Set<string>();
  let canary: string | undefined;
  let begin: string | undefined;
  for (const name of r.fieldNames()) {
    const v = r.get(name);
    const values = Array.isArray(v) ? (v as readonly unknown[]) : [v];
    for (const x of values) {
      if (typeof x !== 'string' || x.length < 10) continue;
      for (const g of x.match(GUID) ?? []) guids.add(g.toLowerCase());
      canary ??= CANARY.exec(x)?.[1];
      begin ??= BEGIN.exec(x)?.[1];
    }
  }
  return { guids: [...guids], ...(canary ? { canary } : {}), ...(begin ? { begin } : {}) };
}

/** The request a web-log record shows; undefined for other records. */
export function requestSectionOf(r: LogRecord): RequestSection | undefined {
  if (!hasRequest(r.source)) return undefined;
  const out: RequestSection = {};
  const text = (role: Parameters<typeof roleText>[1], key: keyof RequestSection) => {
    const v = roleText(r, role);
    if (v !== undefined && v !== '-') (out as Record<string, unknown>)[key] = cut(v);
  };
  text('method', 'method');
  text('path', 'path');
  // The ECP Server log names the request by its URL alone.
  if (out.path === undefined) text('uri', 'path');
  const query = roleText(r, 'query');
  if (query !== undefined && query !== '-' && query !== '') out.query = cut(query.replace(/^\?/, ''));
  const status = roleNumber(r, 'status');
  if (status !== undefined) out.status = status;
  text('user', 'user');
  text('userAgent', 'userAgent');
  const rid = roleText(r, 'requestId') ?? (query ? CAFE.exec(query)?.[1] : undefined);
  if (rid && /^[0-9a-f-]{36}$/i.test(rid)) out.requestId = rid.toLowerCase();
  text('clientIp', 'clientIp');
  text('serverIp', 'serverIp');
  const port = roleNumber(r, 'port');
  if (port !== undefined) out.port = port;
  text('anchorMailbox', 'anchorMailbox');
  const taken = roleNumber(r, 'timeTaken');
  if (taken !== undefined) out.timeTaken = taken;
  const scan = scanFields(r);
  const guids = scan.guids.filter((g) => g !== out.requestId);
  if (guids.length > 0) out.guids = guids;
  if (scan.canary) out.canary = scan.canary;
  const begin = roleText(r, 'begin') ?? scan.begin;
  if (begin && !Number.isNaN(Date.parse(begin))) out.begin = begin;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The file a file record is about. */
export function fileSectionOf(r: LogRecord): FileSection | undefined {
  if (sourceKind(r.source) !== 'file') return undefined;
  const path = roleText(r, 'filePath');
  if (path === undefined) return undefined;
  const size = roleNumber(r, 'fileSize');
  return { path, ...(size !== undefined ? { size } : {}) };
}

/**
 * The command a record shows: Rps_Cmdlet's cmdlet and parameters, the ECP Server log's `CMD`, the
 * MSExchange Management log's event data (the cmdlet, then its parameters).
 */
export function commandSectionOf(r: LogRecord): CommandSection | undefined {
  let cmdlet = roleText(r, 'cmdlet');
  let parameters = roleText(r, 'parameters');
  if (sourceKind(r.source) === 'event-log') {
    const data = r.get('Data');
    if (Array.isArray(data) && r.get('Channel') === 'MSExchange Management') {
      if (typeof data[0] === 'string' && data[0].length > 0) cmdlet = data[0];
      if (typeof data[1] === 'string' && data[1].length > 0) parameters = data[1];
    }
  }
  if (cmdlet !== undefined) {
    const text = cut(`${cmdlet} ${parameters ?? ''}`.trim());
    return {
      text,
      cmdlet: cut(cmdlet),
      ...(parameters !== undefined ? { parameters: cut(parameters) } : {}),
    };
  }
  const command = r.source === 'ecp-server' ? roleText(r, 'command') : undefined;
  return command !== undefined ? { text: cut(command) } : undefined;
}

/** What a Windows event installs or acts on: its service, scheduled task and target account. */
export function eventSectionOf(r: LogRecord): EventSection | undefined {
  if (sourceKind(r.source) !== 'event-log') return undefined;
  const out: EventSection = {};
  const service = roleText(r, 'service');
  if (service !== undefined) out.service = cut(service);
  const task = roleText(r, 'taskName');
  if (task !== undefined) out.taskName = cut(task);
  const user = roleText(r, 'targetUser');
  if (user !== undefined) out.targetUser = cut(user);
  return Object.keys(out).length > 0 ? out : undefined;
}
