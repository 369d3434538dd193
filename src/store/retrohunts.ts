// Retro-hunts: a feed or rule pack run again over what the fleet already holds. A hunt is a row, one row per
// stored bundle it re-analyses (its progress), and its hits; starting one is audited. Recording hits is in
// retrohunt-hits.ts; what runs the hunt (the index query, the re-analysis jobs) is the server's.

import { audit } from './audit.js';
import type { Store } from './db.js';
import type { RetrohuntMode, RetrohuntStatus, RetrohuntTrigger } from './schema.js';
import type { Scope } from './scope.js';
import { orgFilter } from './scope.js';
import type { Db, Tx } from './tx.js';
import { now, withTx } from './tx.js';
import type { RetrohuntHit, RetrohuntView } from '../core/views.js';
export type { RetrohuntView } from '../core/views.js';

export type TriggerRef = RetrohuntView['trigger'];

export interface NewRetrohunt {
  /** Organisation ids covered; null for every organisation (administrators only; the route checks). */
  orgIds: number[] | null;
  trigger: TriggerRef;
  since?: string;
  until?: string;
  mode: RetrohuntMode;
  actor: string;
}

/** A hit as the store keeps it: the API's, with the organisation it belongs to. */
export interface RetrohuntHitView extends RetrohuntHit {
  organisationId: number;
}

/** A bundle the hunt could not read, or read with loss: where its answer is incomplete. */
export interface IncompleteBundle {
  bundleId: number;
  serverId: number;
  server: string;
  state: 'failed' | 'read-with-loss';
  /** Why it failed, or what was lost. */
  detail: string | null;
}

/** How the covered organisations are stored: `,3,7,` (so one LIKE finds a tenant's), or null for all. */
const orgList = (ids: number[] | null) => (ids === null ? null : `,${ids.join(',')},`);
const orgIdsOf = (s: string | null) => (s === null ? null : s.split(',').filter(Boolean).map(Number));

/**
 * Hunts a scope may see: administrators every one; a tenant those that covered its organisation (alone,
 * among others, or as part of every one). What a tenant sees of a hunt is its own organisation's part.
 */
function hunts(db: Db, scope: Scope) {
  const org = orgFilter(scope);
  return db
    .selectFrom('retrohunts')
    .$if(org !== undefined, (q) =>
      q.where((eb) => eb.or([eb('orgs', 'is', null), eb('orgs', 'like', `%,${org as number},%`)])),
    );
}

/**
 * Creates the hunt (audited in each organisation it covers). Its bundles come after, in `queueHuntBundles`,
 * so that the index path can record its hits first and no job finishes the hunt while it runs.
 */
export async function createRetrohunt(store: Store, h: NewRetrohunt): Promise<number> {
  return withTx(store, async (trx) => {
    const row = await trx
      .insertInto('retrohunts')
      .values({
        org_id: h.orgIds?.length === 1 ? h.orgIds[0]! : null,
        orgs: orgList(h.orgIds),
        trigger_kind: h.trigger.kind,
        trigger_id: h.trigger.id,
        trigger_name: h.trigger.name,
        trigger_sha256: h.trigger.sha256,
        since: h.since ?? null,
        until: h.until ?? null,
        mode: h.mode,
        status: 'running',
        bundles_total: 0,
        started_by: h.actor,
        started_at: now(),
        finished_at: null,
        error: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const detail = { trigger: h.trigger, since: h.since ?? null, until: h.until ?? null, mode: h.mode };
    for (const orgId of h.orgIds ?? [null])
      await audit(trx, {
        orgId,
        actor: h.actor,
        action: 'retrohunt.start',
        target: `retrohunt:${row.id}`,
        detail,
      });
    return row.id;
  });
}

/**
 * For a full hunt, one row per analysed bundle of the covered organisations, each queued through `enqueue`
 * in this transaction (a hunt never waits for a job that does not exist); an index hunt, or a fleet with no
 * bundle, is done at once. Returns the number of bundles.
 */
export async function queueHuntBundles(
  store: Store,
  huntId: number,
  enqueue: (trx: Tx, bundleId: number) => Promise<void>,
): Promise<number> {
  return withTx(store, async (trx) => {
    const h = await trx
      .selectFrom('retrohunts')
      .select(['orgs', 'mode'])
      .where('id', '=', huntId)
      .executeTakeFirstOrThrow();
    const orgIds = orgIdsOf(h.orgs);
    const bundles =
      h.mode === 'full'
        ? await trx
            .selectFrom('bundles')
            .select(['id', 'org_id', 'server_id'])
            .where('status', '=', 'done')
            .where('scan_id', 'is not', null)
            .$if(orgIds !== null, (q) => q.where('org_id', 'in', orgIds && orgIds.length > 0 ? orgIds : [-1]))
            .orderBy('id')
            .execute()
        : [];
    for (const b of bundles) {
      await trx
        .insertInto('retrohunt_bundles')
        .values({
          hunt_id: huntId,
          bundle_id: b.id,
          org_id: b.org_id,
          server_id: b.server_id,
          status: 'queued',
          hits: 0,
          error: null,
          finished_at: null,
        })
        .execute();
      await enqueue(trx, b.id);
    }
    await trx
      .updateTable('retrohunts')
      .set({ bundles_total: bundles.length })
      .where('id', '=', huntId)
      .execute();
    await finishIfComplete(trx, huntId);
    return bundles.length;
  });
}

/** The hunt as a job sees it (jobs act for the hunt, whoever started it). */
export interface HuntForJob {
  id: number;
  trigger: TriggerRef;
  since: string | null;
  until: string | null;
  status: RetrohuntStatus;
}

export async function huntForJob(db: Db, id: number): Promise<HuntForJob | undefined> {
  const r = await db.selectFrom('retrohunts').selectAll().where('id', '=', id).executeTakeFirst();
  return (
    r && {
      id: r.id,
      trigger: { kind: r.trigger_kind, id: r.trigger_id, name: r.trigger_name, sha256: r.trigger_sha256 },
      since: r.since,
      until: r.until,
      status: r.status,
    }
  );
}

/** Whether the bundle still waits in this hunt (a job that runs again after its commit finds it done). */
export async function bundlePending(db: Db, huntId: number, bundleId: number): Promise<boolean> {
  const r = await db
    .selectFrom('retrohunt_bundles')
    .select('status')
    .where('hunt_id', '=', huntId)
    .where('bundle_id', '=', bundleId)
    .executeTakeFirst();
  return r?.status === 'queued';
}

/**
 * Marks a bundle of the hunt done or failed, once, and the hunt done when it was the last. The hunt's row
 * is locked first, so that of two last bundles finishing together exactly one sees none left.
 */
export async function finishBundle(
  trx: Tx,
  huntId: number,
  bundleId: number,
  r: { hits: number; error?: string; loss?: string },
): Promise<boolean> {
  await trx
    .updateTable('retrohunts')
    .set({ mode: (eb) => eb.ref('mode') })
    .where('id', '=', huntId)
    .execute();
  const changed = await trx
    .updateTable('retrohunt_bundles')
    .set({
      status: r.error === undefined ? 'done' : 'failed',
      hits: r.hits,
      // A done bundle's `error` says what the re-analysis could not read (the answer is partial there).
      error: r.error ?? r.loss ?? null,
      finished_at: now(),
    })
    .where('hunt_id', '=', huntId)
    .where('bundle_id', '=', bundleId)
    .where('status', '=', 'queued')
    .returning('bundle_id')
    .executeTakeFirst();
  if (changed) await finishIfComplete(trx, huntId);
  return changed !== undefined;
}

/** A running hunt with no bundle left queued is done. */
export async function finishIfComplete(db: Db, huntId: number): Promise<void> {
  const left = await db
    .selectFrom('retrohunt_bundles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('hunt_id', '=', huntId)
    .where('status', '=', 'queued')
    .executeTakeFirstOrThrow();
  if (Number(left.n) > 0) return;
  await db
    .updateTable('retrohunts')
    .set({ status: 'done', finished_at: now() })
    .where('id', '=', huntId)
    .where('status', '=', 'running')
    .execute();
}

/** A hunt that could not run at all (its trigger vanished, the index query failed). */
export async function failRetrohunt(store: Store, huntId: number, error: string): Promise<void> {
  await store.db
    .updateTable('retrohunts')
    .set({ status: 'failed', error, finished_at: now() })
    .where('id', '=', huntId)
    .where('status', '=', 'running')
    .execute();
}

type HuntRow = Awaited<ReturnType<typeof huntRows>>[number];

function huntRows(db: Db, scope: Scope, id?: number) {
  const org = orgFilter(scope);
  return hunts(db, scope)
    .selectAll('retrohunts')
    .select((eb) => [
      eb
        .selectFrom('retrohunt_bundles as b')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('b.hunt_id', '=', 'retrohunts.id')
        .where('b.status', '=', 'done')
        .$if(org !== undefined, (q) => q.where('b.org_id', '=', org as number))
        .as('done'),
      eb
        .selectFrom('retrohunt_bundles as b')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('b.hunt_id', '=', 'retrohunts.id')
        .$if(org !== undefined, (q) => q.where('b.org_id', '=', org as number))
        .as('total'),
      eb
        .selectFrom('retrohunt_bundles as b')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('b.hunt_id', '=', 'retrohunts.id')
        .where('b.status', '=', 'failed')
        .$if(org !== undefined, (q) => q.where('b.org_id', '=', org as number))
        .as('failed'),
      eb
        .selectFrom('retrohunt_bundles as b')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('b.hunt_id', '=', 'retrohunts.id')
        .where('b.status', '=', 'done')
        .where('b.error', 'is not', null)
        .$if(org !== undefined, (q) => q.where('b.org_id', '=', org as number))
        .as('with_loss'),
      eb
        .selectFrom('retrohunt_hits as h')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('h.hunt_id', '=', 'retrohunts.id')
        .$if(org !== undefined, (q) => q.where('h.org_id', '=', org as number))
        .as('hits'),
      eb
        .selectFrom('retrohunt_hits as h')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('h.hunt_id', '=', 'retrohunts.id')
        .where('h.is_new', '=', 1)
        .$if(org !== undefined, (q) => q.where('h.org_id', '=', org as number))
        .as('new_findings'),
      eb
        .selectFrom('retrohunt_hits as h')
        .select((x) => x.fn.count<number>('h.server_id').distinct().as('n'))
        .whereRef('h.hunt_id', '=', 'retrohunts.id')
        .$if(org !== undefined, (q) => q.where('h.org_id', '=', org as number))
        .as('servers'),
    ])
    .$if(id !== undefined, (q) => q.where('id', '=', id as number))
    .orderBy('id', 'desc')
    .execute();
}

function view(r: HuntRow): RetrohuntView {
  return {
    id: r.id,
    organisations: orgIdsOf(r.orgs),
    trigger: { kind: r.trigger_kind, id: r.trigger_id, name: r.trigger_name, sha256: r.trigger_sha256 },
    since: r.since,
    until: r.until,
    mode: r.mode,
    status: r.status,
    progress: {
      total: Number(r.total ?? 0),
      done: Number(r.done ?? 0),
      failed: Number(r.failed ?? 0),
      withLoss: Number(r.with_loss ?? 0),
    },
    hitCount: Number(r.hits ?? 0),
    newFindings: Number(r.new_findings ?? 0),
    servers: Number(r.servers ?? 0),
    startedBy: r.started_by,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: r.error,
  };
}

/** Newest first; a few hundred hunts is a lot, so no paging. */
export async function listRetrohunts(store: Store, scope: Scope): Promise<RetrohuntView[]> {
  return (await huntRows(store.db, scope)).slice(0, 500).map(view);
}

export async function getRetrohunt(
  store: Store,
  scope: Scope,
  id: number,
): Promise<RetrohuntView | undefined> {
  const r = (await huntRows(store.db, scope, id))[0];
  return r && view(r);
}

/** The hunt's hits in the scope, by server name then rule. */
export async function listRetrohuntHits(
  store: Store,
  scope: Scope,
  huntId: number,
): Promise<RetrohuntHitView[]> {
  const org = orgFilter(scope);
  const rows = await store.db
    .selectFrom('retrohunt_hits as h')
    .innerJoin('servers as s', 's.id', 'h.server_id')
    .selectAll('h')
    .select('s.name as server')
    .where('h.hunt_id', '=', huntId)
    .$if(org !== undefined, (q) => q.where('h.org_id', '=', org as number))
    .orderBy('s.name')
    .orderBy('h.rule_id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    serverId: r.server_id,
    server: r.server,
    organisationId: r.org_id,
    ruleId: r.rule_id,
    title: r.rule_title,
    author: r.rule_author,
    via: r.via,
    occurrences: r.occurrences,
    firstAt: r.first_at,
    lastAt: r.last_at,
    findingId: r.finding_row_id,
    isNew: r.is_new === 1,
  }));
}

/** Bundles the hunt could not re-analyse, or read with loss: where its answer is incomplete. */
export async function listIncompleteBundles(
  store: Store,
  scope: Scope,
  huntId: number,
): Promise<IncompleteBundle[]> {
  const org = orgFilter(scope);
  const rows = await store.db
    .selectFrom('retrohunt_bundles as b')
    .innerJoin('servers as s', 's.id', 'b.server_id')
    .select(['b.bundle_id', 'b.server_id', 's.name', 'b.error', 'b.status'])
    .where('b.hunt_id', '=', huntId)
    .where((eb) =>
      eb.or([
        eb('b.status', '=', 'failed'),
        eb.and([eb('b.status', '=', 'done'), eb('b.error', 'is not', null)]),
      ]),
    )
    .$if(org !== undefined, (q) => q.where('b.org_id', '=', org as number))
    .orderBy('b.bundle_id')
    .execute();
  return rows.map((r) => ({
    bundleId: r.bundle_id,
    serverId: r.server_id,
    server: r.name,
    state: r.status === 'failed' ? ('failed' as const) : ('read-with-loss' as const),
    detail: r.error,
  }));
}

/** The organisation a hunt's feed or rule pack belongs to (null: shared, or no such one). */
export async function triggerOwner(store: Store, kind: RetrohuntTrigger, id: number): Promise<number | null> {
  const r = await store.db
    .selectFrom(kind === 'feed' ? 'indicator_feeds' : 'rule_packs')
    .select('org_id')
    .where('id', '=', id)
    .executeTakeFirst();
  return r?.org_id ?? null;
}
