// Indicator feeds: a tenant's own, or shared by administrators with every tenant; listed within a scope,
// every change audited. Parsing is not done here: the server parses at upload and workers parse to scan.

import { sql } from 'kysely';
import type { Problem } from '../core/problem.js';
import { audit } from './audit.js';
import type { Store } from './db.js';
import type { FeedFormat, IndicatorFeedTable } from './schema.js';
import type { OrgScope, Scope } from './scope.js';
import { orgFilter } from './scope.js';
import { now, withTx } from './tx.js';
import type { FeedView, FeedDetail } from '../core/views.js';
export type { FeedView, FeedDetail } from '../core/views.js';

/** Problems kept with a feed; a list of a million bad lines is counted, not stored whole. */
export const MAX_STORED_PROBLEMS = 1000;

/** Where a new feed belongs: one organisation, or every one (administrators only; the route checks). */
export type FeedOwner = OrgScope | 'shared';

export interface NewFeed {
  name: string;
  format: FeedFormat;
  content: string;
  sha256: string;
  size: number;
  indicators: number;
  problems: Problem[];
  /** How many problems there were, when `problems` holds only the first of them. */
  problemCount?: number;
  actor: string;
}

type Row = Omit<IndicatorFeedTable, 'id' | 'content' | 'problems'> & {
  id: number;
  organisation: string | null;
};

function view(r: Row): FeedView {
  return {
    id: r.id,
    organisationId: r.org_id,
    organisation: r.organisation,
    shared: r.org_id === null,
    name: r.name,
    format: r.format,
    sha256: r.sha256,
    size: r.size,
    indicators: r.indicator_count,
    problemCount: r.problem_count,
    enabled: r.enabled === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

const COLUMNS = [
  'f.id',
  'f.org_id',
  'f.name',
  'f.format',
  'f.sha256',
  'f.size',
  'f.indicator_count',
  'f.problem_count',
  'f.enabled',
  'f.created_by',
  'f.created_at',
  'o.name as organisation',
] as const;

/** Feeds a scope may see: administrators all; a tenant its own and the shared ones, never another's. */
function feeds(store: Store, scope: Scope) {
  const org = orgFilter(scope);
  return store.db
    .selectFrom('indicator_feeds as f')
    .leftJoin('organisations as o', 'o.id', 'f.org_id')
    .$if(org !== undefined, (q) =>
      q.where((eb) => eb.or([eb('f.org_id', '=', org as number), eb('f.org_id', 'is', null)])),
    );
}

/**
 * Stores a parsed feed. The same content twice for one owner is one feed (like bundles): the existing one
 * is returned with `created: false`.
 */
export async function createFeed(
  store: Store,
  owner: FeedOwner,
  f: NewFeed,
): Promise<{ feed: FeedView; created: boolean }> {
  const orgId = owner === 'shared' ? null : owner.orgId;
  const { id, created } = await withTx(store, async (trx) => {
    const same = await trx
      .selectFrom('indicator_feeds')
      .select('id')
      .where('sha256', '=', f.sha256)
      .where((eb) => (orgId === null ? eb('org_id', 'is', null) : eb('org_id', '=', orgId)))
      .executeTakeFirst();
    if (same) return { id: same.id, created: false };
    const row = await trx
      .insertInto('indicator_feeds')
      .values({
        org_id: orgId,
        name: f.name,
        format: f.format,
        content: f.content,
        sha256: f.sha256,
        size: f.size,
        indicator_count: f.indicators,
        problem_count: f.problemCount ?? f.problems.length,
        problems: JSON.stringify(f.problems.slice(0, MAX_STORED_PROBLEMS)),
        enabled: 1,
        created_by: f.actor,
        created_at: now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, {
      orgId,
      actor: f.actor,
      action: 'feed.upload',
      target: `feed:${row.id}`,
      detail: {
        name: f.name,
        shared: orgId === null,
        format: f.format,
        sha256: f.sha256,
        indicators: f.indicators,
        problems: f.problemCount ?? f.problems.length,
      },
    });
    return { id: row.id, created: true };
  });
  const feed = await feeds(store, orgId === null ? { all: true } : { all: false, orgId })
    .select(COLUMNS)
    .where('f.id', '=', id)
    .executeTakeFirstOrThrow();
  return { feed: view(feed), created };
}

/** A tenant's own feeds first, then the shared ones, each oldest first: the order their indicators load. */
export async function listFeeds(store: Store, scope: Scope): Promise<FeedView[]> {
  const rows = await feeds(store, scope)
    .select(COLUMNS)
    .orderBy(sql`case when f.org_id is null then 1 else 0 end`)
    .orderBy('f.org_id')
    .orderBy('f.id')
    .execute();
  return rows.map(view);
}

export async function getFeed(store: Store, scope: Scope, id: number): Promise<FeedDetail | undefined> {
  const r = await feeds(store, scope)
    .select(COLUMNS)
    .select('f.problems')
    .where('f.id', '=', id)
    .executeTakeFirst();
  return r && { ...view(r), problems: JSON.parse(r.problems) as Problem[] };
}

/** The feeds' text by id, for those of `ids` the scope may see. */
export async function feedContents(store: Store, scope: Scope, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await feeds(store, scope).select(['f.id', 'f.content']).where('f.id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.content]));
}

/**
 * Changes are limited to the feeds a scope owns: a tenant its own, administrators any (shared included).
 * Undefined when there is no such feed for this scope.
 */
export async function setFeedEnabled(
  store: Store,
  scope: Scope,
  id: number,
  enabled: boolean,
  actor: string,
): Promise<FeedView | undefined> {
  const org = orgFilter(scope);
  const done = await withTx(store, async (trx) => {
    const r = await trx
      .updateTable('indicator_feeds')
      .set({ enabled: enabled ? 1 : 0 })
      .where('id', '=', id)
      .$if(org !== undefined, (q) => q.where('org_id', '=', org as number))
      .returning(['id', 'org_id', 'name'])
      .executeTakeFirst();
    if (r)
      await audit(trx, {
        orgId: r.org_id,
        actor,
        action: enabled ? 'feed.enable' : 'feed.disable',
        target: `feed:${r.id}`,
        detail: { name: r.name },
      });
    return r !== undefined;
  });
  if (!done) return undefined;
  const r = await feeds(store, scope).select(COLUMNS).where('f.id', '=', id).executeTakeFirst();
  return r && view(r);
}

export async function deleteFeed(store: Store, scope: Scope, id: number, actor: string): Promise<boolean> {
  const org = orgFilter(scope);
  return withTx(store, async (trx) => {
    const r = await trx
      .deleteFrom('indicator_feeds')
      .where('id', '=', id)
      .$if(org !== undefined, (q) => q.where('org_id', '=', org as number))
      .returning(['id', 'org_id', 'name', 'sha256'])
      .executeTakeFirst();
    if (!r) return false;
    await audit(trx, {
      orgId: r.org_id,
      actor,
      action: 'feed.delete',
      target: `feed:${r.id}`,
      detail: { name: r.name, sha256: r.sha256 },
    });
    return true;
  });
}
