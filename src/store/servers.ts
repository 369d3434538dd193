// Servers within a scope, each with its latest verdict, its exposure (from the build last reported) and its
// triage score with the reasons for it; by name, or in triage order.

import type { Store } from './db.js';
import { decodeCursor, limitOf, pageOf } from './page.js';
import type { Page, PageArgs } from './page.js';
import type { Scope } from './scope.js';
import { orgFilter } from './scope.js';
import type { Exposure } from './triage.js';
import { DEFAULT_TRIAGE, refreshTriage, triageView } from './triage.js';
import type { TriageSettings } from './triage.js';
import type { ServerView } from '../core/views.js';
export type { ServerView } from '../core/views.js';

export interface ServerFilter extends PageArgs {
  verdict?: string;
  name?: string;
  /** `name` (by organisation, then name; the default) or `triage` (the highest score first). */
  order?: 'name' | 'triage';
}

export interface ServerListOptions {
  /** The server's activity window; scores computed with another are computed again first. */
  triage?: TriageSettings;
  /** The time the clock-dependent reasons are judged at (tests); now by default. */
  now?: string;
}

function query(store: Store, scope: Scope) {
  const org = orgFilter(scope);
  return store.db
    .selectFrom('servers as s')
    .innerJoin('organisations as o', 'o.id', 's.org_id')
    .select([
      's.id',
      's.org_id',
      'o.name as org_name',
      's.name',
      's.created_at',
      's.latest_scan_id',
      's.latest_verdict',
      's.latest_at',
      's.build',
      's.exposure',
      's.triage_score',
      's.triage_activity',
      's.triage_reasons',
    ])
    .$if(org !== undefined, (q) => q.where('s.org_id', '=', org as number));
}

type Row = Awaited<ReturnType<ReturnType<typeof query>['executeTakeFirstOrThrow']>>;

function view(r: Row): ServerView {
  return {
    id: r.id,
    organisation: { id: r.org_id, name: r.org_name },
    name: r.name,
    createdAt: r.created_at,
    latestScanId: r.latest_scan_id,
    verdict: r.latest_verdict,
    lastScanAt: r.latest_at,
    build: r.build,
    exposure: r.exposure ? (JSON.parse(r.exposure) as Exposure) : null,
    triage: triageView(r),
  };
}

/** By organisation, then name: the order of the (org_id, name) unique index, so any page is a short scan. */
export async function listServers(
  store: Store,
  scope: Scope,
  f: ServerFilter,
  opts: ServerListOptions = {},
): Promise<Page<ServerView>> {
  await refreshTriage(store, opts.triage ?? DEFAULT_TRIAGE, opts.now);
  if (f.order === 'triage') return byTriage(store, scope, f);
  const limit = limitOf(f);
  const after = decodeCursor(f.cursor, ['n', 's', 'n']);
  const rows = await query(store, scope)
    .$if(f.verdict !== undefined, (q) => q.where('s.latest_verdict', '=', f.verdict as string))
    .$if(f.name !== undefined, (q) => q.where('s.name', '=', f.name as string))
    .$if(after !== undefined, (q) =>
      q.where((eb) =>
        eb(
          eb.refTuple('s.org_id', 's.name', 's.id'),
          '>',
          eb.tuple(after?.[0] as number, after?.[1] as string, after?.[2] as number),
        ),
      ),
    )
    .orderBy('s.org_id')
    .orderBy('s.name')
    .orderBy('s.id')
    .limit(limit + 1)
    .execute();
  return pageOf(rows, limit, (r) => [r.org_id, r.name, r.id], view);
}

/**
 * The highest score first; equal scores, the newest attacker activity first, then the server added last.
 * All three descend, so a page is a backward scan of the (org_id,) score, activity, id index from the cursor.
 */
async function byTriage(store: Store, scope: Scope, f: ServerFilter): Promise<Page<ServerView>> {
  const limit = limitOf(f);
  const after = decodeCursor(f.cursor, ['n', 's', 'n']);
  const rows = await query(store, scope)
    .$if(f.verdict !== undefined, (q) => q.where('s.latest_verdict', '=', f.verdict as string))
    .$if(f.name !== undefined, (q) => q.where('s.name', '=', f.name as string))
    .$if(after !== undefined, (q) =>
      q.where((eb) =>
        eb(
          eb.refTuple('s.triage_score', 's.triage_activity', 's.id'),
          '<',
          eb.tuple(after?.[0] as number, after?.[1] as string, after?.[2] as number),
        ),
      ),
    )
    .orderBy('s.triage_score', 'desc')
    .orderBy('s.triage_activity', 'desc')
    .orderBy('s.id', 'desc')
    .limit(limit + 1)
    .execute();
  return pageOf(rows, limit, (r) => [Number(r.triage_score), r.triage_activity, r.id], view);
}

export async function getServer(
  store: Store,
  scope: Scope,
  id: number,
  opts: ServerListOptions = {},
): Promise<ServerView | undefined> {
  await refreshTriage(store, opts.triage ?? DEFAULT_TRIAGE, opts.now);
  const r = await query(store, scope).where('s.id', '=', id).executeTakeFirst();
  return r && view(r);
}
