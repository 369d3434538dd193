// The campaign view: indicators seen at several victims, with who, when, and what each indicator did.
// Administrators see victims as organisations; a tenant sees the same view over its own servers only.

import type { Store } from './db.js';
import { decodeCursor, limitOf, pageOf } from './page.js';
import type { Page, PageArgs } from './page.js';
import type { IndicatorKind } from './schema.js';
import type { Scope } from './scope.js';
import { orgFilter } from './scope.js';
import type { CampaignView } from '../core/views.js';
export type { Victim, CampaignView } from '../core/views.js';

interface CampaignFilter extends PageArgs {
  /** Fewest victims for an indicator to count as a campaign (default 2). */
  min?: number;
  kind?: IndicatorKind;
}

interface Head {
  id: number;
  kind: IndicatorKind;
  value: string;
  victims: number;
  first_seen: string;
  last_seen: string;
}

export async function listCampaigns(
  store: Store,
  scope: Scope,
  f: CampaignFilter,
): Promise<Page<CampaignView>> {
  const limit = limitOf(f);
  const after = decodeCursor(f.cursor, ['n', 's', 'n']);
  const min = Math.max(1, f.min ?? 2);
  const org = orgFilter(scope);
  const cut = after && { n: after[0] as number, t: after[1] as string, id: after[2] as number };
  // Both reads walk an index in its order: (org_count, last_seen, id) or (org_id, server_count, last_seen, id).
  const heads: Head[] =
    org === undefined
      ? await store.db
          .selectFrom('indicators as i')
          .select(['i.id', 'i.kind', 'i.value', 'i.org_count as victims', 'i.first_seen', 'i.last_seen'])
          .where('i.org_count', '>=', min)
          .$if(f.kind !== undefined, (q) => q.where('i.kind', '=', f.kind as IndicatorKind))
          .$if(cut !== undefined, (q) =>
            q.where((eb) =>
              eb(
                eb.refTuple('i.org_count', 'i.last_seen', 'i.id'),
                '<',
                eb.tuple(cut?.n as number, cut?.t as string, cut?.id as number),
              ),
            ),
          )
          .orderBy('i.org_count', 'desc')
          .orderBy('i.last_seen', 'desc')
          .orderBy('i.id', 'desc')
          .limit(limit + 1)
          .execute()
      : await store.db
          .selectFrom('indicator_orgs as o')
          .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
          .select(['i.id', 'i.kind', 'i.value', 'o.server_count as victims', 'o.first_seen', 'o.last_seen'])
          .where('o.org_id', '=', org)
          .where('o.server_count', '>=', min)
          .$if(f.kind !== undefined, (q) => q.where('i.kind', '=', f.kind as IndicatorKind))
          .$if(cut !== undefined, (q) =>
            q.where((eb) =>
              eb(
                eb.refTuple('o.server_count', 'o.last_seen', 'o.indicator_id'),
                '<',
                eb.tuple(cut?.n as number, cut?.t as string, cut?.id as number),
              ),
            ),
          )
          .orderBy('o.server_count', 'desc')
          .orderBy('o.last_seen', 'desc')
          .orderBy('o.indicator_id', 'desc')
          .limit(limit + 1)
          .execute();
  const page = pageOf(
    heads,
    limit,
    (h) => [h.victims, h.last_seen, h.id],
    (h) => h,
  );
  return { items: await complete(store, org, page.items, 20), next: page.next };
}

/** One indicator's campaign view; undefined when the caller's scope never saw it. */
export async function getCampaign(
  store: Store,
  scope: Scope,
  indicatorId: number,
): Promise<CampaignView | undefined> {
  const org = orgFilter(scope);
  const head: Head | undefined =
    org === undefined
      ? await store.db
          .selectFrom('indicators as i')
          .select(['i.id', 'i.kind', 'i.value', 'i.org_count as victims', 'i.first_seen', 'i.last_seen'])
          .where('i.id', '=', indicatorId)
          .executeTakeFirst()
      : await store.db
          .selectFrom('indicator_orgs as o')
          .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
          .select(['i.id', 'i.kind', 'i.value', 'o.server_count as victims', 'o.first_seen', 'o.last_seen'])
          .where('o.org_id', '=', org)
          .where('o.indicator_id', '=', indicatorId)
          .executeTakeFirst();
  if (!head) return undefined;
  const [one] = await complete(store, org, [head], 1000);
  return one;
}

interface VictimRow {
  indicator_id: number;
  id: number;
  name: string;
  first_seen: string;
  last_seen: string;
}

/**
 * The most recent `n` victims of each indicator: one small index range per indicator, joined by UNION ALL,
 * instead of ranking every victim of a scanner seen by a thousand tenants.
 */
async function recentVictims(
  store: Store,
  org: number | undefined,
  ids: number[],
  n: number,
): Promise<VictimRow[]> {
  const one = (id: number) =>
    org === undefined
      ? store.db
          .selectFrom((db) =>
            db
              .selectFrom('indicator_orgs as x')
              .innerJoin('organisations as o', 'o.id', 'x.org_id')
              .select(['x.indicator_id', 'o.id', 'o.name', 'x.first_seen', 'x.last_seen'])
              .where('x.indicator_id', '=', id)
              .orderBy('x.last_seen', 'desc')
              .limit(n)
              .as('v'),
          )
          .selectAll()
      : store.db
          .selectFrom((db) =>
            db
              .selectFrom('indicator_servers as x')
              .innerJoin('servers as s', 's.id', 'x.server_id')
              .select(['x.indicator_id', 's.id', 's.name', 'x.first_seen', 'x.last_seen'])
              .where('x.indicator_id', '=', id)
              .where('x.org_id', '=', org)
              .orderBy('x.last_seen', 'desc')
              .limit(n)
              .as('v'),
          )
          .selectAll();
  const [first, ...rest] = ids;
  if (first === undefined) return [];
  let q = one(first);
  for (const id of rest) q = q.unionAll(one(id));
  return q.execute();
}

/** Adds victims (the most recent `perIndicator` of each) and activity to a page of indicators. */
async function complete(
  store: Store,
  org: number | undefined,
  heads: Head[],
  perIndicator: number,
): Promise<CampaignView[]> {
  if (heads.length === 0) return [];
  const ids = heads.map((h) => h.id);
  const victims = await recentVictims(store, org, ids, perIndicator);
  const activity =
    org === undefined
      ? await store.db
          .selectFrom('indicator_activity')
          .select(['indicator_id', 'rule_id', 'stage', 'rule_title'])
          .where('indicator_id', 'in', ids)
          .orderBy('indicator_id')
          .orderBy('stage')
          .orderBy('rule_id')
          .execute()
      : await store.db
          .selectFrom('indicator_rules')
          .select(['indicator_id', 'rule_id', 'stage', 'rule_title'])
          .where('indicator_id', 'in', ids)
          .where('org_id', '=', org)
          .orderBy('indicator_id')
          .orderBy('stage')
          .orderBy('rule_id')
          .execute();
  const kind = org === undefined ? 'organisation' : 'server';
  return heads.map((h) => ({
    indicator: { id: h.id, kind: h.kind, value: h.value },
    victimCount: h.victims,
    firstSeen: h.first_seen,
    lastSeen: h.last_seen,
    victims: victims
      .filter((v) => v.indicator_id === h.id)
      .sort((a, b) => b.last_seen.localeCompare(a.last_seen) || a.id - b.id)
      .map((v) => ({ kind, id: v.id, name: v.name, firstSeen: v.first_seen, lastSeen: v.last_seen })),
    activity: uniqueActivity(activity.filter((a) => a.indicator_id === h.id)),
  }));
}

/** Tenants may share a rule and stage; the same title is listed once. */
function uniqueActivity(rows: { rule_id: string; stage: string; rule_title: string }[]) {
  const seen = new Map<string, { ruleId: string; title: string; stage: string }>();
  for (const r of rows)
    seen.set(`${r.rule_id}\0${r.stage}`, { ruleId: r.rule_id, title: r.rule_title, stage: r.stage });
  return [...seen.values()];
}
