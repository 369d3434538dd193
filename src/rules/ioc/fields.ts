// Which fields of each source hold addresses, user agents, URLs and files: the data the IOC matchers read.

import type { Stage } from '../../core/finding.js';

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

/** Per source id; sources not listed here get no IOC matcher. */
export const IOC_FIELDS: Readonly<Record<string, SourceFields>> = {
  'iis-w3c': {
    addresses: ['c-ip', 'X-Forwarded-For', 'x-forwarded-for', 'cs(X-Forwarded-For)'],
    userAgents: ['cs(User-Agent)'],
    uris: ['cs-uri'],
    referers: ['cs(Referer)'],
    status: ['sc-status'],
    method: ['cs-method'],
    stage: 'exploit',
    gate: true,
  },
  httpproxy: {
    addresses: ['ClientIpAddress', 'X-Forwarded-For'],
    userAgents: ['UserAgent'],
    uris: ['Uri'],
    referers: ['Referer'],
    status: ['HttpStatus'],
    method: ['Method'],
    stage: 'exploit',
    gate: true,
  },
  'rps-http': {
    addresses: ['ClientIpAddress'],
    userAgents: ['UserAgent', 'ClientInfo'],
    uris: ['UrlStem', 'UrlQuery'],
    status: ['HttpStatus'],
    stage: 'execution',
    gate: true,
  },
  'ecp-server': { uris: ['CMD', 'URL'], stage: 'exploit', gate: true },
  evtx: {
    // Logons (4624/4625/4648), Kerberos (4768/4769), filtering platform (5156), Sysmon network (3), RDP.
    addresses: [
      'IpAddress',
      'SourceAddress',
      'DestAddress',
      'SourceIp',
      'DestinationIp',
      'ClientAddress',
      'Address',
    ],
    stage: 'context',
  },
  'web-file': { files: 'web', stage: 'webshell-write' },
  'staged-file': { files: 'staged', stage: 'collection' },
};
