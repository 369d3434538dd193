// Scans within a scope: lists, one scan, and the whole report given back as it was uploaded.

import type { Finding } from '../core/finding.js';
import type { ScanReport } from '../core/report.js';
import type { Store } from './db.js';
import { decodeCursor, limitOf, pageOf } from './page.js';
import type { Page, PageArgs } from './page.js';
import type { Scope } from './scope.js';
import { orgFilter } from './scope.js';
import { RETROHUNT_FINDING_PREFIX } from './retrohunt-hits.js';
import type { ScanView } from '../core/views.js';
export type { ScanView } from '../core/views.js';

interface ScanFilter extends PageArgs {
  serverId?: number;
  verdict?: string;
}

function query(store: Store, scope: Scope) {
  const org = orgFilter(scope);
  return store.db
    .selectFrom('scans as c')
    .innerJoin('servers as s', 's.id', 'c.server_id')
    .select([
      'c.id',
      'c.org_id',
      'c.server_id',
      's.name as server',
      'c.bundle_id',
      'c.verdict',
      'c.explanation',
      'c.started_at',
      'c.finished_at',
      'c.created_at',
      'c.tool_version',
      'c.findings_count',
    ])
    .$if(org !== undefined, (q) => q.where('c.org_id', '=', org as number));
}

type Row = Awaited<ReturnType<ReturnType<typeof query>['executeTakeFirstOrThrow']>>;

function view(r: Row): ScanView {
  return {
    id: r.id,
    organisationId: r.org_id,
    serverId: r.server_id,
    server: r.server,
    bundleId: r.bundle_id,
    verdict: r.verdict,
    explanation: r.explanation,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    uploadedAt: r.created_at,
    toolVersion: r.tool_version,
    findings: r.findings_count,
  };
}

/** Newest scan first. */
export async function listScans(store: Store, scope: Scope, f: ScanFilter): Promise<Page<ScanView>> {
  const limit = limitOf(f);
  const after = decodeCursor(f.cursor, ['s', 'n']);
  const rows = await query(store, scope)
    .$if(f.serverId !== undefined, (q) => q.where('c.server_id', '=', f.serverId as number))
    .$if(f.verdict !== undefined, (q) => q.where('c.verdict', '=', f.verdict as string))
    .$if(after !== undefined, (q) =>
      q.where((eb) =>
        eb(eb.refTuple('c.finished_at', 'c.id'), '<', eb.tuple(after?.[0] as string, after?.[1] as number)),
      ),
    )
    .orderBy('c.finished_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit + 1)
    .execute();
  return pageOf(rows, limit, (r) => [r.finished_at, r.id], view);
}

export async function getScan(store: Store, scope: Scope, id: number): Promise<ScanView | undefined> {
  const r = await query(store, scope).where('c.id', '=', id).executeTakeFirst();
  return r && view(r);
}

/** The report as uploaded: its stored parts with the finding rows put back, in their original order. */
export async function getScanReport(store: Store, scope: Scope, id: number): Promise<ScanReport | undefined> {
  const org = orgFilter(scope);
  const scan = await store.db
    .selectFrom('scans')
    .select(['meta'])
    .where('id', '=', id)
    .$if(org !== undefined, (q) => q.where('org_id', '=', org as number))
    .executeTakeFirst();
  if (!scan) return undefined;
  const rows = await store.db
    .selectFrom('findings')
    .select('data')
    .where('scan_id', '=', id)
    // Findings a retro-hunt added later are the server's, not the scan's: the report stays as written.
    .where('finding_id', 'not like', `${RETROHUNT_FINDING_PREFIX}%`)
    .orderBy('id')
    .execute();
  const meta = JSON.parse(scan.meta) as Omit<ScanReport, 'findings'>;
  const findings = rows.map((r) => JSON.parse(r.data) as Finding);
  // Key order as in the report writer, so that a downloaded report reads like `exhunt scan --json` output.
  const { schemaVersion, tool, scan: s, verdict, explanation, decisive, ...rest } = meta;
  return { schemaVersion, tool, scan: s, verdict, explanation, decisive, findings, ...rest };
}
