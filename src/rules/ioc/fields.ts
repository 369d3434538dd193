// Which fields of each source hold addresses, user agents, URLs and files: the data the IOC matchers read.

import type { Stage } from '../../core/finding.js';
import { roleFields } from '../../core/fields.js';
import type { FieldRole, RecordSourceId } from '../../core/fields.js';

export interface SourceFields {
  /** Fields holding one or several client addresses (space, comma or semicolon separated, ports allowed). */
  addresses?: readonly string[];
  userAgents?: readonly string[];
  /** Fields holding a request URI or a command: URLs and host names inside them are looked up. */
  uris?: readonly string[];
  /** Fields holding a whole URL (the Referer header). */
  referers?: readonly string[];
  /** The HTTP status, noted on a match so the analyst sees whether the server answered. */
  status?: readonly string[];
  /** The request method, kept on a match for the STIX export's HTTP request object. */
  method?: readonly string[];
  /** Whole-file records: name, path and (for small files) MD5/SHA-1 of the content. */
  files?: 'web' | 'staged';
  /** Stage of an address, user agent or URL match in this source. */
  stage: Stage;
  /**
   * A text log the engine reads behind a chunk-level gate: the matcher then states literals (gate.ts)
   * when it can, so lines without any indicator still never become records.
   */
  gate?: true;
}

/** The fields of `source` holding `roles`, from the one role table (core/fields.ts). */
const of = (source: RecordSourceId, ...roles: FieldRole[]): readonly string[] =>
  roles.flatMap((role) => roleFields(source, role));

/** Addresses, user agents, status and method come from the field roles, so detectors and IOCs agree. */
const web = (source: RecordSourceId) => ({
  addresses: of(source, 'clientIp', 'forwardedFor'),
  userAgents: of(source, 'userAgent'),
  status: of(source, 'status'),
  method: of(source, 'method'),
});

/** Per source id; sources not listed here get no IOC matcher. */
export const IOC_FIELDS: Readonly<Record<string, SourceFields>> = {
  'iis-w3c': {
    ...web('iis-w3c'),
    uris: of('iis-w3c', 'uri'),
    referers: of('iis-w3c', 'referer'),
    stage: 'exploit',
    gate: true,
  },
  httpproxy: {
    ...web('httpproxy'),
    uris: of('httpproxy', 'uri'),
    referers: of('httpproxy', 'referer'),
    stage: 'exploit',
    gate: true,
  },
  'rps-http': {
    ...web('rps-http'),
    uris: of('rps-http', 'path', 'query'),
    stage: 'execution',
    gate: true,
  },
  'ecp-server': { uris: of('ecp-server', 'command', 'uri'), stage: 'exploit', gate: true },
  evtx: { addresses: of('evtx', 'address'), stage: 'context' },
  'web-file': { files: 'web', stage: 'webshell-write' },
  'staged-file': { files: 'staged', stage: 'collection' },
};
