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
];

export function keyFields(r: LogRecord): Record<string, string> {
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
