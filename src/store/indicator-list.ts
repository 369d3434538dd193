// Indicators within a scope: a tenant's own sightings, or for administrators the shared totals.

import type { Store } from './db.js';
import { decodeCursor, limitOf, pageOf } from './page.js';
import type { Page, PageArgs } from './page.js';
import type { IndicatorKind } from './schema.js';
import type { Scope } from './scope.js';
import { orgFilter } from './scope.js';
import type { IndicatorView } from '../core/views.js';
export type { IndicatorView } from '../core/views.js';

interface IndicatorFilter extends PageArgs {
  kind?: IndicatorKind;
  value?: string;
}

/** Newest sighting first. Tenants read their own sightings only, never the shared totals. */
export async function listIndicators(
  store: Store,
  scope: Scope,
  f: IndicatorFilter,
): Promise<Page<IndicatorView>> {
  const limit = limitOf(f);
  const after = decodeCursor(f.cursor, ['s', 'n']);
  const org = orgFilter(scope);
  const cut = after && { t: after[0] as string, id: after[1] as number };
  const rows =
    org === undefined
      ? await store.db
          .selectFrom('indicators as i')
          .select(['i.id', 'i.kind', 'i.value', 'i.first_seen', 'i.last_seen', 'i.org_count as victims'])
          .$if(f.kind !== undefined, (q) => q.where('i.kind', '=', f.kind as IndicatorKind))
          .$if(f.value !== undefined, (q) => q.where('i.value', '=', f.value as string))
          .$if(cut !== undefined, (q) =>
            q.where((eb) =>
              eb(eb.refTuple('i.last_seen', 'i.id'), '<', eb.tuple(cut?.t as string, cut?.id as number)),
            ),
          )
          .orderBy('i.last_seen', 'desc')
          .orderBy('i.id', 'desc')
          .limit(limit + 1)
          .execute()
      : await store.db
          .selectFrom('indicator_orgs as o')
          .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
          .select(['i.id', 'i.kind', 'i.value', 'o.first_seen', 'o.last_seen', 'o.server_count as victims'])
          .where('o.org_id', '=', org)
          .$if(f.kind !== undefined, (q) => q.where('i.kind', '=', f.kind as IndicatorKind))
          .$if(f.value !== undefined, (q) => q.where('i.value', '=', f.value as string))
          .$if(cut !== undefined, (q) =>
            q.where((eb) =>
              eb(eb.refTuple('o.last_seen', 'i.id'), '<', eb.tuple(cut?.t as string, cut?.id as number)),
            ),
          )
          .orderBy('o.last_seen', 'desc')
          .orderBy('i.id', 'desc')
          .limit(limit + 1)
          .execute();
  return pageOf(
    rows,
    limit,
    (r) => [r.last_seen, r.id],
    (r) => ({
      id: r.id,
      kind: r.kind,
      value: r.value,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      victims: r.victims,
    }),
  );
}
