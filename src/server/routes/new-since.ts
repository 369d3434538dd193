// "New since your last visit": for each server a scan was uploaded to since then, what its latest scan has
// that the scan it had at the visit did not, by the same definition as the server page's scan comparison.

import { newFindings } from '../../report/diff.js';
import type { Scope, Store } from '../../store/index.js';
import { findingsBesidesContext, scanAt, serversUploadedSince } from '../../store/index.js';
import type { NewFindings } from '../api/types.js';

const SERVERS_COMPARED = 200;
const SERVERS_LISTED = 20;

/**
 * Logs keep their history, so a new scan of a server finds most of what the last one found: what is new is
 * decided by `newFindings` of report/diff.ts, which the history tab's diff uses too. The state at the visit
 * is the scan that was the server's latest then (the newest finished among those uploaded by `since`, as
 * ingest picks the latest); the state now is the server's latest scan.
 */
export async function newSinceVisit(store: Store, scope: Scope, since: string): Promise<NewFindings> {
  const touched = await serversUploadedSince(store, scope, since, SERVERS_COMPARED + 1);
  const truncated = touched.length > SERVERS_COMPARED;
  const servers: NewFindings['servers'] = [];
  for (const s of touched.slice(0, SERVERS_COMPARED)) {
    if (s.latestScanId === null) continue;
    const base = await scanAt(store, s.id, since);
    if (base === s.latestScanId) continue;
    const count = newFindings(
      base === undefined ? [] : await findingsBesidesContext(store, base),
      await findingsBesidesContext(store, s.latestScanId),
    ).length;
    if (count > 0)
      servers.push({
        id: s.id,
        name: s.name,
        organisation: s.organisation,
        count,
        scanId: s.latestScanId,
        baseScanId: base ?? null,
      });
  }
  servers.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return {
    since,
    count: servers.reduce((n, s) => n + s.count, 0),
    servers: servers.slice(0, SERVERS_LISTED),
    truncated,
  };
}
