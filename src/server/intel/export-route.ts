// The export routes' handler: scope, the export, its audit entry and the response headers.

import { actorOf, audit } from '../../store/index.js';
import { HttpError, readScope } from '../auth.js';
import type { Call } from '../route.js';
import { exportFleet } from './export.js';

export async function exportIntel(call: Call, format: 'stix' | 'csv'): Promise<string> {
  const q = call.query as { org?: string; since?: string };
  let since: string | undefined;
  if (q.since !== undefined) {
    const ms = Date.parse(q.since);
    if (Number.isNaN(ms)) throw new HttpError(400, `since: not a time: ${q.since}`);
    since = new Date(ms).toISOString();
  }
  const scope = await readScope(call.ctx.store, call.principal, q.org);
  const out = await exportFleet(call.ctx.store, call.ctx.feeds, scope, format, since);
  // What left the server, and for whom: sharing with a CERT is a disclosure worth a trail.
  await audit(call.ctx.store.db, {
    orgId: scope.all ? null : scope.orgId,
    actor: actorOf(call.principal),
    action: 'intel.export',
    target: scope.all ? 'fleet' : `organisation:${scope.orgId}`,
    detail: { format, sightings: out.sightings, truncated: out.truncated, ...(since ? { since } : {}) },
  });
  call.reply.header('content-type', out.contentType);
  call.reply.header(
    'content-disposition',
    `attachment; filename="exhunt-fleet.${format === 'stix' ? 'stix.json' : 'csv'}"`,
  );
  if (out.truncated) call.reply.header('x-exhunt-truncated', 'true');
  return out.body;
}
