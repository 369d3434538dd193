// Event fields copied onto a Sigma finding, so the report and the incident view show what happened.

import type { LogRecord } from '../../core/record.js';

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

/** Web log fields under the names the incident view joins on, whichever log the request came from. */
const WEB_FIELDS: [string, string[]][] = [
  ['url', ['cs-uri-stem', 'UrlStem']],
  ['query', ['cs-uri-query', 'UrlQuery']],
  ['method', ['cs-method', 'Method']],
  ['httpStatus', ['sc-status', 'HttpStatus']],
  ['requestId', ['RequestId']],
  ['anchorMailbox', ['AnchorMailbox']],
  ['user', ['cs-username', 'AuthenticatedUser']],
];

function webFields(r: LogRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, fields] of WEB_FIELDS) {
    for (const f of fields) {
      const v = r.get(f);
      if (typeof v === 'string' && v.length > 0) {
        out[name] = v.slice(0, 2048);
        break;
      }
    }
  }
  // The front end logs the HttpProxy request id as cafeReqId in the IIS query: the join between the two.
  const cafe = /cafeReqId=([0-9a-f-]{36})/i.exec(out.query ?? '')?.[1];
  if (cafe && !out.requestId) out.requestId = cafe;
  return out;
}

export function keyFields(r: LogRecord): Record<string, string> {
  if (r.source === 'iis-w3c' || r.source === 'httpproxy' || r.source === 'rps-http') return webFields(r);
  const out: Record<string, string> = {};
  if (r.source !== 'evtx') return out;
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
