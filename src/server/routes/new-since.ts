// "New since your last visit": for each server a scan was uploaded to since then, what its latest scan has
// that the scan it had at the visit did not, by the same definition as the server page's scan comparison.

import type { Finding } from '../../core/finding.js';
import { newFindings } from '../../report/diff.js';
import type { Scope, Store } from '../../store/index.js';
import { orgFilter } from '../../store/scope.js';

export interface NewFindings {
  since: string;
  /** Findings (context excluded) of each server's latest scan that its scan at `since` did not have. */
  count: number;
  /**
   * `scanId` is the latest scan, `baseScanId` the one it is compared with (null: the server had no scan
   * then, so every finding is new): the server page's history tab shows the same comparison.
   */
  servers: {
    id: number;
    name: string;
    organisation: string;
    count: number;
    scanId: number;
    baseScanId: number | null;
  }[];
  /** More servers had uploads than were compared. */
  truncated: boolean;
}

const SERVERS_COMPARED = 200;
const SERVERS_LISTED = 20;

/**
 * Logs keep their history, so a new scan of a server finds most of what the last one found: what is new is
 * decided by `newFindings` of report/diff.ts, which the history tab's diff uses too. The state at the visit
 * is the scan that was the server's latest then (the newest finished among those uploaded by `since`, as
 * ingest picks the latest); the state now is the server's latest scan.
 */
export async function newSinceVisit(store: Store, scope: Scope, since: string): Promise<NewFindings> {
  const org = orgFilter(scope);
  const touched = await store.db
    .selectFrom('scans as c')
    .innerJoin('servers as s', 's.id', 'c.server_id')
    .innerJoin('organisations as o', 'o.id', 'c.org_id')
    .select(['s.id', 's.name', 'o.name as org_name', 's.latest_scan_id'])
    .select((eb) => eb.fn.max('c.created_at').as('last_upload'))
    .$if(org !== undefined, (q) => q.where('c.org_id', '=', org as number))
    .where('c.created_at', '>', since)
    .groupBy(['s.id', 's.name', 'o.name', 's.latest_scan_id'])
    .orderBy('last_upload', 'desc')
    .orderBy('s.id', 'desc')
    .limit(SERVERS_COMPARED + 1)
    .execute();
  const truncated = touched.length > SERVERS_COMPARED;
  const servers: NewFindings['servers'] = [];
  for (const s of touched.slice(0, SERVERS_COMPARED)) {
    if (s.latest_scan_id === null) continue;
    const base = await scanAt(store, s.id, since);
    if (base === s.latest_scan_id) continue;
    const count = newFindings(
      base === undefined ? [] : await findingsOf(store, base),
      await findingsOf(store, s.latest_scan_id),
    ).length;
    if (count > 0)
      servers.push({
        id: s.id,
        name: s.name,
        organisation: s.org_name,
        count,
        scanId: s.latest_scan_id,
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

/** The server's latest scan as of `since`: uploaded by then, newest finished (ties: the later id). */
export async function scanAt(store: Store, serverId: number, since: string): Promise<number | undefined> {
  const row = await store.db
    .selectFrom('scans as c')
    .select('c.id')
    .where('c.server_id', '=', serverId)
    .where('c.created_at', '<=', since)
    .orderBy('c.finished_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** A scan's findings other than context, as the report had them (the diff's identity reads their text). */
async function findingsOf(store: Store, scanId: number): Promise<Finding[]> {
  const rows = await store.db
    .selectFrom('findings')
    .select('data')
    .where('scan_id', '=', scanId)
    .where('outcome', '!=', 'context')
    .orderBy('id')
    .execute();
  return rows.map((r) => JSON.parse(r.data) as Finding);
}
