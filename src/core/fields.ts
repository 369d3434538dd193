// What each source's fields mean: the one table of roles → native field names, and the one accessor.
// Detectors, Sigma findings, indicator matchers and the finding's typed sections all read through it, so
// "the client address of an IIS line" has one answer (c-ip, then X-Forwarded-For) wherever it is asked.

import type { FieldValue, LogRecord } from './record.js';

/** Ids of the sources whose records the engine reads (what `LogRecord.source` can be). */
export const RECORD_SOURCE_IDS = [
  'iis-w3c',
  'httpproxy',
  'ecp-server',
  'oab-generator',
  'rps-http',
  'rps-cmdlet',
  'web-file',
  'staged-file',
  'iis-config',
  'evtx',
  'tpl-26857',
  'tpl-26858',
  'tpl-26858-paths',
  'tpl-27065',
  'tpl-other',
  'tpl-log-age',
] as const;
export type RecordSourceId = (typeof RECORD_SOURCE_IDS)[number];

/** Sources that only parse another source's records in another shape (`SourceDef.dataOf`). */
export const SHAPE_SOURCE_IDS = [
  'httpproxy-export',
  'ecp-server-export',
  'iis-w3c-export',
  'rps-http-export',
  'rps-cmdlet-export',
  'tpl-httpproxy',
  'tpl-collected-oab',
  'tpl-collected-file',
] as const;

/** Every source id the registry knows. */
export type SourceId = RecordSourceId | (typeof SHAPE_SOURCE_IDS)[number];

/**
 * What a source's records are, for readers that mean a kind and not one format:
 * - `web-log`: one HTTP request per record (IIS W3C, HttpProxy, Rps_Http);
 * - `app-log`: an Exchange log of application events (ECP Server, OAB generator, Rps_Cmdlet);
 * - `file`: one file on disk per record, no line (scripts in web folders, staged dumps and archives);
 * - `event-log`: Windows event records (EVTX);
 * - `config`: configuration entries (applicationHost.config modules);
 * - `list`: lists other tools wrote (Test-ProxyLogon's outputs).
 */
export type SourceKind = 'web-log' | 'app-log' | 'file' | 'event-log' | 'config' | 'list';

export const SOURCE_KINDS: Readonly<Record<RecordSourceId, SourceKind>> = {
  'iis-w3c': 'web-log',
  httpproxy: 'web-log',
  'rps-http': 'web-log',
  'ecp-server': 'app-log',
  'oab-generator': 'app-log',
  'rps-cmdlet': 'app-log',
  'web-file': 'file',
  'staged-file': 'file',
  'iis-config': 'config',
  evtx: 'event-log',
  'tpl-26857': 'list',
  'tpl-26858': 'list',
  'tpl-26858-paths': 'list',
  'tpl-27065': 'list',
  'tpl-other': 'list',
  'tpl-log-age': 'list',
};

/** The kind of a record's source; undefined for an id no source declares. */
export function sourceKind(source: string): SourceKind | undefined {
  return (SOURCE_KINDS as Readonly<Record<string, SourceKind>>)[source];
}

/** A record of a file on disk: its evidence has no line, and its finding a `file` section. */
export function isFileSource(source: string): boolean {
  return sourceKind(source) === 'file';
}

/**
 * What a field means, whatever a source calls it:
 * - `clientIp`: the address that connected (for a back-end site, the front end);
 * - `forwardedFor`: addresses a proxy passed on (`X-Forwarded-For`);
 * - `address`: an address an event names, either end (EVTX logons, network connections);
 * - `serverIp`, `port`: the server's address and port that answered;
 * - `method`, `path`, `query`, `uri` (path and query together), `status`, `user`, `userAgent`, `referer`,
 *   `host`: the HTTP request;
 * - `requestId`: the front end's id of the request, which other logs repeat;
 * - `anchorMailbox`: HttpProxy's routing target (a mailbox, or `ServerInfo~` in an SSRF);
 * - `timeTaken` (ms) and `begin` (ISO-8601 when the request began): the request's duration;
 * - `cmdlet`, `parameters`, `command`: a command and its arguments;
 * - `filePath`, `fileName`, `fileSize`: a file on disk;
 * - `service`, `taskName`, `targetUser`: what a Windows event installs or acts on (a service, a scheduled
 *   task, an account).
 */
export type FieldRole =
  | 'clientIp'
  | 'forwardedFor'
  | 'address'
  | 'serverIp'
  | 'port'
  | 'method'
  | 'path'
  | 'query'
  | 'uri'
  | 'status'
  | 'user'
  | 'userAgent'
  | 'referer'
  | 'host'
  | 'requestId'
  | 'anchorMailbox'
  | 'timeTaken'
  | 'begin'
  | 'cmdlet'
  | 'parameters'
  | 'command'
  | 'filePath'
  | 'fileName'
  | 'fileSize'
  | 'service'
  | 'taskName'
  | 'targetUser';

/** Role → the native fields that may hold it, in the order they are tried. */
export type FieldRoles = Readonly<Partial<Record<FieldRole, readonly string[]>>>;

const IIS: FieldRoles = {
  clientIp: ['c-ip'],
  // IIS 10 names a custom field as configured: `X-Forwarded-For` (Exchange's docs), or the header form.
  forwardedFor: ['X-Forwarded-For', 'x-forwarded-for', 'cs(X-Forwarded-For)'],
  serverIp: ['s-ip'],
  port: ['s-port'],
  method: ['cs-method'],
  path: ['cs-uri-stem'],
  query: ['cs-uri-query'],
  uri: ['cs-uri'],
  status: ['sc-status'],
  user: ['cs-username'],
  userAgent: ['cs(User-Agent)'],
  referer: ['cs(Referer)'],
  host: ['cs-host'],
  timeTaken: ['time-taken'],
};

// Exchange CSV column names are matched without regard to case (`ClientIPAddress` in Test-ProxyLogon's copy).
// HttpProxy logs have no X-Forwarded-For or Referer column in any build: the front-end IIS log has them.
const HTTPPROXY: FieldRoles = {
  clientIp: ['ClientIpAddress'],
  method: ['Method'],
  path: ['UrlStem'],
  query: ['UrlQuery'],
  uri: ['Uri'],
  status: ['HttpStatus'],
  user: ['AuthenticatedUser'],
  userAgent: ['UserAgent'],
  host: ['UrlHost'],
  requestId: ['RequestId'],
  anchorMailbox: ['AnchorMailbox'],
};

const RPS_HTTP: FieldRoles = {
  clientIp: ['ClientIpAddress'],
  path: ['UrlStem'],
  query: ['UrlQuery'],
  status: ['HttpStatus'],
  user: ['AuthenticatedUser'],
  userAgent: ['UserAgent', 'ClientInfo'],
  host: ['UrlHost'],
  requestId: ['RequestId'],
  begin: ['StartTime'],
  command: ['CommandName'],
};

/** Per record source: the one place a field's meaning is written. Sources not listed have no roles. */
export const FIELD_ROLES: Readonly<Record<RecordSourceId, FieldRoles>> = {
  'iis-w3c': IIS,
  httpproxy: HTTPPROXY,
  'rps-http': RPS_HTTP,
  'rps-cmdlet': {
    requestId: ['RequestId'],
    cmdlet: ['Cmdlet'],
    parameters: ['Parameters'],
    userAgent: ['UserAgent'],
  },
  // ECP Server event data (`S:CMD=...;S:URL=...`), read through the source's derived fields.
  'ecp-server': { command: ['CMD'], uri: ['URL'] },
  'oab-generator': {},
  'web-file': { filePath: ['Path'], fileName: ['Name'], fileSize: ['Size'] },
  'staged-file': { filePath: ['Path'], fileName: ['Name'], fileSize: ['Size'] },
  'iis-config': {},
  evtx: {
    // Logons (4624/4625/4648), Kerberos (4768/4769), filtering platform (5156), Sysmon network (3), RDP.
    address: [
      'IpAddress',
      'SourceAddress',
      'DestAddress',
      'SourceIp',
      'DestinationIp',
      'ClientAddress',
      'Address',
    ],
    service: ['ServiceName'],
    taskName: ['TaskName'],
    targetUser: ['TargetUserName'],
  },
  'tpl-26857': {},
  'tpl-26858': {},
  'tpl-26858-paths': {},
  'tpl-27065': {},
  'tpl-other': {},
  'tpl-log-age': {},
};

const NONE: readonly string[] = [];

/** The native fields of `source` that hold `role` (none when the source has no such field). */
export function roleFields(source: string, role: FieldRole): readonly string[] {
  return (FIELD_ROLES as Readonly<Record<string, FieldRoles>>)[source]?.[role] ?? NONE;
}

function text(v: FieldValue | readonly FieldValue[] | undefined): string | undefined {
  if (typeof v === 'string') return v.length > 0 ? v : undefined;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** The first non-empty value of `role` in the record, as text (numbers as their decimal form). */
export function roleText(r: LogRecord, role: FieldRole): string | undefined {
  for (const f of roleFields(r.source, role)) {
    const v = text(r.get(f));
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Every non-empty value of `role` in the record, in the order of its fields. */
export function roleTexts(r: LogRecord, role: FieldRole): string[] {
  const out: string[] = [];
  for (const f of roleFields(r.source, role)) {
    const v = text(r.get(f));
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** `role` as a whole number, when the record holds one. */
export function roleNumber(r: LogRecord, role: FieldRole): number | undefined {
  const v = roleText(r, role);
  if (v === undefined || !/^\d+$/.test(v.trim())) return undefined;
  return Number(v.trim());
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f:]*:[0-9a-f:.]*$/i;

/** The addresses in a field's text: several separated by spaces, commas or semicolons, IPv4 ports dropped. */
export function addressesIn(v: string, out: string[] = []): string[] {
  for (let part of v.split(/[\s,;]+/)) {
    part = part
      .replace(/^\[|\]$/g, '')
      .replace(/:\d+$/, (m) => (IPV4.test(part.slice(0, -m.length)) ? '' : m));
    if ((IPV4.test(part) || IPV6.test(part)) && !out.includes(part)) out.push(part);
  }
  return out;
}

/** The roles whose fields hold a request's client addresses: the client, then what proxies forwarded. */
export const CLIENT_ADDRESS_ROLES: readonly FieldRole[] = ['clientIp', 'forwardedFor'];

/** Every client address a record names: the client, then `X-Forwarded-For` (several per field allowed). */
export function clientAddressesOf(r: LogRecord): string[] {
  const out: string[] = [];
  for (const role of CLIENT_ADDRESS_ROLES) for (const v of roleTexts(r, role)) addressesIn(v, out);
  return out;
}
