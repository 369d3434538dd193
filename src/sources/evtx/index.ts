// The EVTX source: Windows XML Event Log files, parsed chunk by chunk into event records.
import { FIELD_ROLES } from '../../core/fields.js';
import type { SourceDef } from '../../core/source.js';
import { channelFromPath } from './channels.js';
import { hasFileMagic } from './header.js';
import { EvtxParser } from './parser.js';

export const evtxSource: SourceDef = {
  id: 'evtx',
  roles: FIELD_ROLES['evtx'],
  title: 'Windows XML Event Log (EVTX)',
  matchPath: (pathLower) => pathLower.endsWith('.evtx'),
  sniff: (head) => hasFileMagic(head),
  family: (pathLower) => `EVTX/${channelFromPath(pathLower)}`,
  priority: 10,
  createParser: (ctx, sink) => new EvtxParser(ctx, sink),
};

export { EvtxParser } from './parser.js';
export { EvtxEvent } from './event.js';
export { channelFromPath } from './channels.js';
