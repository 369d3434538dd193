// The SQLite job queue: a jobs table claimed with UPDATE … RETURNING inside BEGIN IMMEDIATE, with a lease
// the worker renews, so that a job whose worker died is claimed again once the lease runs out (the SQL is
// in store/jobs.ts).

import { randomUUID } from 'node:crypto';
import type { ClaimedJob, Store, Tx } from '../../store/index.js';
import { claimJob, endJobAttempt, insertJob, renewJobLease } from '../../store/index.js';
import type { AnalysisJob, GiveUpHandler, JobHandler, JobQueue, QueueTuning } from './queue.js';
import { ANALYSE_QUEUE, priorityOf, tuning } from './queue.js';

const DIED = 'the worker stopped (killed or crashed) during every attempt';

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
    await insertJob(trx, {
      queue: ANALYSE_QUEUE,
      payload: JSON.stringify(job),
      maxAttempts: this.t.maxAttempts,
      priority: priorityOf(job),
    });
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

  /** The next job, and the payloads of jobs whose worker died on their last attempt (see claimJob). */
  private claim(): Promise<{ job?: ClaimedJob; dead: string[] }> {
    return claimJob(this.store, {
      queue: ANALYSE_QUEUE,
      owner: this.owner,
      lockedUntil: this.until(this.t.leaseSeconds * 1000),
      died: DIED,
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

  private async run(job: ClaimedJob, handler: JobHandler): Promise<void> {
    const final = job.attempts >= job.max_attempts;
    // Renewing the lease tells other workers this one is alive, however long the scan takes.
    const renew = setInterval(
      () => {
        void renewJobLease(this.store, job.id, this.owner, this.until(this.t.leaseSeconds * 1000)).catch(
          () => undefined,
        );
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
    await endJobAttempt(this.store, job.id, this.owner, {
      status: error === null ? 'done' : final ? 'failed' : 'queued',
      error,
    });
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
