// Servers within a scope, each with its latest verdict and its exposure (from the build last reported).

import type { Store } from './db.js';
import { decodeCursor, limitOf, pageOf } from './page.js';
import type { Page, PageArgs } from './page.js';
import type { Scope } from './scope.js';
import { orgFilter } from './scope.js';
import type { Exposure } from './ingest.js';

export interface ServerView {
  id: number;
  organisation: { id: number; name: string };
  name: string;
  createdAt: string;
  latestScanId: number | null;
  verdict: string | null;
  lastScanAt: string | null;
  build: string | null;
  exposure: Exposure | null;
}

export interface ServerFilter extends PageArgs {
  verdict?: string;
  name?: string;
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
  };
}

/** By organisation, then name: the order of the (org_id, name) unique index, so any page is a short scan. */
export async function listServers(store: Store, scope: Scope, f: ServerFilter): Promise<Page<ServerView>> {
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

export async function getServer(store: Store, scope: Scope, id: number): Promise<ServerView | undefined> {
  const r = await query(store, scope).where('s.id', '=', id).executeTakeFirst();
  return r && view(r);
}
