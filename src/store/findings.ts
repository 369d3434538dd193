// Findings and webshells within a scope, newest upload first, filterable by server, scan, rule, outcome, time.

import type { Finding } from '../core/finding.js';
import type { Webshell } from '../core/report.js';
import type { Store } from './db.js';
import { decodeCursor, limitOf, pageOf } from './page.js';
import type { Page, PageArgs } from './page.js';
import type { Scope } from './scope.js';
import { orgFilter } from './scope.js';
import type { FindingView } from '../core/views.js';
import type { WebshellView } from '../core/views.js';
export type { WebshellView } from '../core/views.js';
export type { FindingView } from '../core/views.js';

interface FindingFilter extends PageArgs {
  serverId?: number;
  scanId?: number;
  severity?: string;
  stage?: string;
  outcome?: string;
  ruleId?: string;
  ip?: string;
  /** Inclusive bounds on the finding's time (ISO-8601). */
  since?: string;
  until?: string;
}

export async function listFindings(store: Store, scope: Scope, f: FindingFilter): Promise<Page<FindingView>> {
  const limit = limitOf(f);
  const after = decodeCursor(f.cursor, ['n']);
  const org = orgFilter(scope);
  const eq = <K extends 'server_id' | 'scan_id' | 'severity' | 'stage' | 'outcome' | 'rule_id' | 'source_ip'>(
    k: K,
    v: string | number | undefined,
  ) => (v === undefined ? undefined : ([`f.${k}`, v] as const));
  const filters = [
    eq('server_id', f.serverId),
    eq('scan_id', f.scanId),
    eq('severity', f.severity),
    eq('stage', f.stage),
    eq('outcome', f.outcome),
    eq('rule_id', f.ruleId),
    eq('source_ip', f.ip),
  ].filter((x) => x !== undefined);
  let q = store.db
    .selectFrom('findings as f')
    .innerJoin('servers as s', 's.id', 'f.server_id')
    .select(['f.id', 'f.scan_id', 'f.server_id', 's.name as server', 'f.sort_time', 'f.data'])
    .$if(org !== undefined, (q) => q.where('f.org_id', '=', org as number))
    .$if(f.since !== undefined, (q) => q.where('f.sort_time', '>=', f.since as string))
    .$if(f.until !== undefined, (q) => q.where('f.sort_time', '<=', f.until as string))
    .$if(after !== undefined, (q) => q.where('f.id', '<', after?.[0] as number));
  for (const [col, v] of filters) q = q.where(col, '=', v);
  // By id: newest upload first, and a report's findings in the report's (time) order, read backwards.
  const rows = await q
    .orderBy('f.id', 'desc')
    .limit(limit + 1)
    .execute();
  return pageOf(
    rows,
    limit,
    (r) => [r.id],
    (r) => ({
      id: r.id,
      scanId: r.scan_id,
      serverId: r.server_id,
      server: r.server,
      finding: JSON.parse(r.data) as Finding,
    }),
  );
}

interface WebshellFilter extends PageArgs {
  serverId?: number;
  scanId?: number;
  sha256?: string;
}

export async function listWebshells(
  store: Store,
  scope: Scope,
  f: WebshellFilter,
): Promise<Page<WebshellView>> {
  const limit = limitOf(f);
  const after = decodeCursor(f.cursor, ['n']);
  const org = orgFilter(scope);
  const rows = await store.db
    .selectFrom('webshells as w')
    .innerJoin('servers as s', 's.id', 'w.server_id')
    .select(['w.id', 'w.scan_id', 'w.server_id', 's.name as server', 'w.data'])
    .$if(org !== undefined, (q) => q.where('w.org_id', '=', org as number))
    .$if(f.serverId !== undefined, (q) => q.where('w.server_id', '=', f.serverId as number))
    .$if(f.scanId !== undefined, (q) => q.where('w.scan_id', '=', f.scanId as number))
    .$if(f.sha256 !== undefined, (q) => q.where('w.sha256', '=', f.sha256 as string))
    .$if(after !== undefined, (q) => q.where('w.id', '<', after?.[0] as number))
    .orderBy('w.id', 'desc')
    .limit(limit + 1)
    .execute();
  return pageOf(
    rows,
    limit,
    (r) => [r.id],
    (r) => ({
      id: r.id,
      scanId: r.scan_id,
      serverId: r.server_id,
      server: r.server,
      webshell: JSON.parse(r.data) as Webshell,
    }),
  );
}
