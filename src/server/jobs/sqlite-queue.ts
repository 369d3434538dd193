// The SQLite job queue: a jobs table claimed with UPDATE … RETURNING inside BEGIN IMMEDIATE, with a lease
// the worker renews, so that a job whose worker died is claimed again once the lease runs out.

import { randomUUID } from 'node:crypto';
import type { Store, Tx } from '../../store/index.js';
import { withTx } from '../../store/index.js';
import type { AnalysisJob, GiveUpHandler, JobHandler, JobQueue, QueueTuning } from './queue.js';
import { ANALYSE_QUEUE, priorityOf, tuning } from './queue.js';

const DIED = 'the worker stopped (killed or crashed) during every attempt';

interface Claimed {
  id: number;
  payload: string;
  attempts: number;
  max_attempts: number;
}

export class SqliteQueue implements JobQueue {
  private readonly owner = randomUUID();
  private readonly t: QueueTuning;
  private stopped = false;
  private readonly wakers = new Set<() => void>();
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly store: Store,
    t: Partial<QueueTuning> = {},
  ) {
    this.t = { ...tuning(), ...t };
  }

  async enqueue(trx: Tx, job: AnalysisJob): Promise<void> {
    const at = new Date().toISOString();
    await trx
      .insertInto('jobs')
      .values({
        queue: ANALYSE_QUEUE,
        payload: JSON.stringify(job),
        status: 'queued',
        attempts: 0,
        max_attempts: this.t.maxAttempts,
        priority: priorityOf(job),
        locked_by: null,
        locked_until: null,
        created_at: at,
        updated_at: at,
        last_error: null,
      })
      .execute();
  }

  notify(): void {
    for (const wake of this.wakers) wake();
  }

  work(handler: JobHandler, concurrency: number, giveUp: GiveUpHandler): Promise<void> {
    for (let i = 0; i < concurrency; i++) this.loops.push(this.loop(handler, giveUp));
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.notify();
    await Promise.all(this.loops);
  }

  private until(ms: number): string {
    return new Date(Date.now() + ms).toISOString();
  }

  /**
   * Queued jobs, and running jobs whose lease ran out (their worker died or hung), highest priority first,
   * then oldest first (retro-hunts after new uploads: queue.ts). A job whose
   * worker died on its last attempt is failed instead, and handed to `giveUp`.
   */
  private async claim(): Promise<{ job?: Claimed; dead: string[] }> {
    const at = new Date().toISOString();
    return withTx(this.store, async (trx) => {
      const dead = await trx
        .updateTable('jobs')
        .set({ status: 'failed', locked_by: null, locked_until: null, last_error: DIED, updated_at: at })
        .where('queue', '=', ANALYSE_QUEUE)
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
          locked_by: this.owner,
          locked_until: this.until(this.t.leaseSeconds * 1000),
          updated_at: at,
        }))
        .where('id', '=', (eb) =>
          eb
            .selectFrom('jobs')
            .select('id')
            .where('queue', '=', ANALYSE_QUEUE)
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

  private async loop(handler: JobHandler, giveUp: GiveUpHandler): Promise<void> {
    while (!this.stopped) {
      const { job, dead } = await this.claim();
      for (const d of dead) await giveUp(JSON.parse(d) as AnalysisJob, DIED).catch(() => undefined);
      if (!job) {
        await this.sleep();
        continue;
      }
      await this.run(job, handler);
    }
  }

  private async run(job: Claimed, handler: JobHandler): Promise<void> {
    const final = job.attempts >= job.max_attempts;
    // Renewing the lease tells other workers this one is alive, however long the scan takes.
    const renew = setInterval(
      () => {
        void this.store.db
          .updateTable('jobs')
          .set({ locked_until: this.until(this.t.leaseSeconds * 1000) })
          .where('id', '=', job.id)
          .where('locked_by', '=', this.owner)
          .execute()
          .catch(() => undefined);
      },
      (this.t.leaseSeconds * 1000) / 3,
    );
    let error: string | null = null;
    try {
      await handler(JSON.parse(job.payload) as AnalysisJob, { attempt: job.attempts, final });
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    } finally {
      clearInterval(renew);
    }
    await this.store.db
      .updateTable('jobs')
      .set({
        status: error === null ? 'done' : final ? 'failed' : 'queued',
        locked_by: null,
        locked_until: null,
        last_error: error,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', job.id)
      .where('locked_by', '=', this.owner)
      .execute();
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.t.pollMs);
      this.wakers.add(done);
    });
  }
}
