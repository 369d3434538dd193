// Event fields copied onto a Sigma finding as text for the reader (analysis reads the typed sections).

import type { LogRecord } from '../../core/record.js';
import { roleText, sourceKind } from '../../core/fields.js';
import type { FieldRole } from '../../core/fields.js';

/** Event fields that say what happened, copied onto the finding (bounded) for the report and the incident. */
const KEY_FIELDS = [
  'CommandLine',
  'Image',
  'ParentImage',
  'NewProcessName',
  'ParentProcessName',
  'TargetFilename',
  'ServiceName',
  'ImagePath',
  'TaskName',
  'TargetUserName',
  'SubjectUserName',
  'MemberName',
  'Path',
  'Threat Name',
  'Computer',
  // Tunnels, LSASS access and explicit credentials: where a webshell's process reached.
  'SourceImage',
  'TargetImage',
  'GrantedAccess',
  'DestinationIp',
  'DestinationPort',
  'ProcessName',
  'TargetServerName',
  'TargetLogonId',
  'ObjectName',
  'User',
];

/** Web log fields under the names the report shows, whichever log the request came from (by field role). */
const WEB_FIELDS: [string, FieldRole][] = [
  ['url', 'path'],
  ['query', 'query'],
  ['method', 'method'],
  ['httpStatus', 'status'],
  ['requestId', 'requestId'],
  ['anchorMailbox', 'anchorMailbox'],
  ['user', 'user'],
];

function webFields(r: LogRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, role] of WEB_FIELDS) {
    const v = roleText(r, role);
    if (v !== undefined) out[name] = v.slice(0, 2048);
  }
  // The front end logs the HttpProxy request id as cafeReqId in the IIS query: the join between the two.
  const cafe = /cafeReqId=([0-9a-f-]{36})/i.exec(out.query ?? '')?.[1];
  if (cafe && !out.requestId) out.requestId = cafe;
  return out;
}

export function keyFields(r: LogRecord): Record<string, string> {
  const kind = sourceKind(r.source);
  if (kind === 'web-log') return webFields(r);
  const out: Record<string, string> = {};
  if (kind !== 'event-log') return out;
  for (const f of KEY_FIELDS) {
    const v = r.get(f);
    if (typeof v === 'string' && v.length > 0) out[f] = v.slice(0, 1024);
  }
  const data = r.get('Data');
  if (Array.isArray(data)) {
    // The MSExchange Management log: the cmdlet, then its parameters.
    if (typeof data[0] === 'string') out.cmdlet = data[0].slice(0, 256);
    if (typeof data[1] === 'string') out.parameters = data[1].slice(0, 2048);
  }
  const id = r.get('EventID');
  if (id !== undefined && id !== null) out.eventId = String(id);
  return out;
}
