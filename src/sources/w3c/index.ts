// The IIS W3C source: front-end (W3SVC1) and back-end (W3SVC2) web server logs.

import { FIELD_ROLES } from '../../core/fields.js';
import type { SourceDef } from '../../core/source.js';
import { baseName, hasSegment, headText, segmentAfter } from '../text/paths.js';
import { createW3cParser } from './parser.js';

export const w3cSource: SourceDef = {
  id: 'iis-w3c',
  roles: FIELD_ROLES['iis-w3c'],
  title: 'IIS W3C log',
  priority: 10,
  matchPath: (p) =>
    p.endsWith('.log') &&
    (hasSegment(p, 'inetpub/logs/logfiles/') || /^u_ex\d{6,8}(_x)?\.log$/.test(baseName(p))),
  sniff: (head) => {
    const t = headText(head);
    return /^#Software: Microsoft Internet Information Services/m.test(t) || /^#Fields: date time /m.test(t);
  },
  family: (p) => {
    const site = segmentAfter(p, 'logfiles/') ?? /\/(w3svc\d+)\//.exec(p)?.[1];
    return site ? `IIS/${site.toUpperCase()}` : 'IIS';
  },
  createParser: createW3cParser,
  copiesChunks: true,
};
