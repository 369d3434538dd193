// The SQLite job queue's table (PostgreSQL uses pg-boss): a job queued, claimed with UPDATE … RETURNING
// inside BEGIN IMMEDIATE, its lease renewed while it runs, and its end. The queue's logic is the server's
// (server/jobs/sqlite-queue.ts); its SQL is here with every other query.

import type { Store } from './db.js';
import type { Tx } from './tx.js';
import { withTx } from './tx.js';

export interface ClaimedJob {
  id: number;
  payload: string;
  attempts: number;
  max_attempts: number;
}

/** Queues a job in the caller's transaction (so that it exists only if what it works on does). */
export async function insertJob(
  trx: Tx,
  job: { queue: string; payload: string; maxAttempts: number; priority: number },
): Promise<void> {
  const at = new Date().toISOString();
  await trx
    .insertInto('jobs')
    .values({
      queue: job.queue,
      payload: job.payload,
      status: 'queued',
      attempts: 0,
      max_attempts: job.maxAttempts,
      priority: job.priority,
      locked_by: null,
      locked_until: null,
      created_at: at,
      updated_at: at,
      last_error: null,
    })
    .execute();
}

/**
 * Queued jobs, and running jobs whose lease ran out (their worker died or hung), highest priority first
 * (retro-hunts after new uploads: server/jobs/queue.ts), then oldest first, claimed by
 * `owner` until `lockedUntil`. A job whose worker died on its last attempt is failed with `died` instead,
 * and its payload returned in `dead`.
 */
export async function claimJob(
  store: Store,
  claim: { queue: string; owner: string; lockedUntil: string; died: string },
): Promise<{ job?: ClaimedJob; dead: string[] }> {
  const at = new Date().toISOString();
  return withTx(store, async (trx) => {
    const dead = await trx
      .updateTable('jobs')
      .set({ status: 'failed', locked_by: null, locked_until: null, last_error: claim.died, updated_at: at })
      .where('queue', '=', claim.queue)
      .where('status', '=', 'running')
      .where('locked_until', '<', at)
      .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
      .returning('payload')
      .execute();
    const job = await trx
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        attempts: eb('attempts', '+', 1),
        locked_by: claim.owner,
        locked_until: claim.lockedUntil,
        updated_at: at,
      }))
      .where('id', '=', (eb) =>
        eb
          .selectFrom('jobs')
          .select('id')
          .where('queue', '=', claim.queue)
          .where((w) =>
            w.or([
              w('status', '=', 'queued'),
              w.and([w('status', '=', 'running'), w('locked_until', '<', at)]),
            ]),
          )
          .orderBy('priority', 'desc')
          .orderBy('id')
          .limit(1),
      )
      .returning(['id', 'payload', 'attempts', 'max_attempts'])
      .executeTakeFirst();
    return { ...(job ? { job } : {}), dead: dead.map((d) => d.payload) };
  });
}

/** Extends the lease of a job `owner` still holds. */
export async function renewJobLease(
  store: Store,
  id: number,
  owner: string,
  lockedUntil: string,
): Promise<void> {
  await store.db
    .updateTable('jobs')
    .set({ locked_until: lockedUntil })
    .where('id', '=', id)
    .where('locked_by', '=', owner)
    .execute();
}

/** Ends an attempt of a job `owner` holds: done, failed, or queued again for another attempt. */
export async function endJobAttempt(
  store: Store,
  id: number,
  owner: string,
  end: { status: 'done' | 'failed' | 'queued'; error: string | null },
): Promise<void> {
  await store.db
    .updateTable('jobs')
    .set({
      status: end.status,
      locked_by: null,
      locked_until: null,
      last_error: end.error,
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', id)
    .where('locked_by', '=', owner)
    .execute();
}
