// Exchange's own CSV logs besides HttpProxy: directive header, ECP Server, OAB generator and Rps_Http rows.

import { csvField, csvRow, kvPair } from './csv.js';
import { iso } from './time.js';

export interface ExchangeHeader {
  version: string;
  logType: string;
  date: number;
  fields: readonly string[];
  /** HttpProxy and Rps logs start with a bare CSV header line before the directives. */
  plainHeader: boolean;
}

export function exchangeHeader(h: ExchangeHeader): string {
  return (
    (h.plainHeader ? h.fields.join(',') + '\r\n' : '') +
    '#Software: Microsoft Exchange Server\r\n' +
    `#Version: ${h.version}\r\n` +
    `#Log-type: ${h.logType}\r\n` +
    `#Date: ${iso(h.date)}\r\n` +
    `#Fields: ${h.fields.join(',')}\r\n`
  );
}

export const ECP_FIELDS = ['TimeStamp', 'ServerName', 'EventId', 'EventData'] as const;

export interface EcpEntry {
  t: number;
  eventId: string;
  /** Ordered `S:KEY=value` pairs; values needing it get Exchange's single-quote wrapping. */
  pairs: readonly (readonly [string, string])[];
}

export function ecpLine(e: EcpEntry, server: string): string {
  const data = e.pairs.map(([k, v]) => kvPair(k, v)).join(';');
  return `${iso(e.t)},${server},${e.eventId},${csvField(data)}\r\n`;
}

/** The OAB generator log layout is not publicly documented; this one is a plausible stand-in. */
export const OAB_FIELDS = [
  'Timestamp',
  'ProcessId',
  'ThreadId',
  'Level',
  'OrganizationId',
  'OabGuid',
  'Message',
] as const;

export interface OabEntry {
  t: number;
  pid: number;
  tid: number;
  level: 'Information' | 'Warning' | 'Error';
  oab: string;
  msg: string;
}

export function oabLine(e: OabEntry): string {
  return csvRow([iso(e.t), String(e.pid), String(e.tid), e.level, '', e.oab, e.msg]) + '\r\n';
}

export const RPS_HTTP_FIELDS = [
  'DateTime', 'StartTime', 'RequestId', 'MajorVersion', 'MinorVersion', 'BuildVersion', 'RevisionVersion',
  'ClientRequestId', 'UrlHost', 'UrlStem', 'AuthenticationType', 'IsAuthenticated', 'AuthenticatedUser',
  'Organization', 'ManagedOrganization', 'ClientIpAddress', 'ServerHostName', 'FrontEndServer', 'HttpStatus',
  'SubStatus', 'ErrorCode', 'Action', 'CommandId', 'CommandName', 'SessionId', 'ShellId', 'FailFast',
  'ContributeToFailFast', 'RequestBytes', 'ClientInfo', 'CPU', 'Memory', 'ActivityContextLifeTime', 'TotalTime',
  'UrlQuery', 'GenericLatency', 'GenericInfo', 'GenericErrors',
] as const; // prettier-ignore

export interface RpsEntry {
  t: number;
  /** Column values by name; the build columns and DateTime are filled in when the file is written. */
  v: Readonly<Record<string, string>>;
}

export function rpsLine(e: RpsEntry, parts: readonly number[]): string {
  const v: Record<string, string> = {
    DateTime: iso(e.t),
    MajorVersion: String(parts[0]),
    MinorVersion: String(parts[1]),
    BuildVersion: String(parts[2]),
    RevisionVersion: String(parts[3]),
    ...e.v,
  };
  return csvRow(RPS_HTTP_FIELDS.map((f) => v[f] ?? '')) + '\r\n';
}
