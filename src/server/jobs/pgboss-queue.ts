// The PostgreSQL job queue: pg-boss 10, so that any number of `exhunt worker` processes on any number of
// machines share one database. A job whose worker dies expires and is retried; the last failure goes to a
// dead-letter queue that marks the bundle failed.

import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type { Tx } from '../../store/index.js';
import type { AnalysisJob, GiveUpHandler, JobHandler, JobQueue, QueueTuning } from './queue.js';
import { ANALYSE_QUEUE, priorityOf, tuning } from './queue.js';

const DEAD_QUEUE = `${ANALYSE_QUEUE}-dead`;

export class PgBossQueue implements JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly t: QueueTuning,
  ) {}

  static async start(
    url: string,
    t: Partial<QueueTuning> = {},
    onError: (e: Error) => void = () => undefined,
  ): Promise<PgBossQueue> {
    const tune = { ...tuning(), ...t };
    const boss = new PgBoss({
      connectionString: url,
      max: 4,
      // Expired jobs are found by maintenance, so it runs at least as often as a lease could run out.
      maintenanceIntervalSeconds: Math.max(1, Math.min(120, Math.floor(tune.leaseSeconds))),
      monitorStateIntervalSeconds: 600,
    });
    boss.on('error', onError);
    await boss.start();
    // Both calls are idempotent (pg-boss inserts the queue ON CONFLICT DO NOTHING).
    await boss.createQueue(DEAD_QUEUE, { name: DEAD_QUEUE });
    await boss.createQueue(ANALYSE_QUEUE, {
      name: ANALYSE_QUEUE,
      retryLimit: tune.maxAttempts - 1,
      expireInSeconds: tune.leaseSeconds,
      deadLetter: DEAD_QUEUE,
    });
    return new PgBossQueue(boss, tune);
  }

  async enqueue(trx: Tx, job: AnalysisJob): Promise<void> {
    // pg-boss runs its INSERT through our transaction, so the job commits or rolls back with the bundle.
    const db = {
      executeSql: async (text: string, values: unknown[]) => {
        const r = await trx.executeQuery(CompiledQuery.raw(text, values));
        return { rows: r.rows };
      },
    };
    await this.boss.send(ANALYSE_QUEUE, job, {
      db,
      // Fetched highest first (pg-boss's work() orders by priority unless told not to).
      priority: priorityOf(job),
      retryLimit: this.t.maxAttempts - 1,
      expireInSeconds: this.t.leaseSeconds,
      deadLetter: DEAD_QUEUE,
    });
  }

  notify(): void {
    // Workers poll pg-boss; nothing to wake in this process.
  }

  async work(handler: JobHandler, concurrency: number, giveUp: GiveUpHandler): Promise<void> {
    const pollingIntervalSeconds = Math.max(0.5, this.t.pollMs / 1000);
    for (let i = 0; i < concurrency; i++)
      await this.boss.work<AnalysisJob>(
        ANALYSE_QUEUE,
        { pollingIntervalSeconds, batchSize: 1, includeMetadata: true },
        async (jobs) => {
          for (const j of jobs)
            await handler(j.data, { attempt: j.retryCount + 1, final: j.retryCount >= j.retryLimit });
        },
      );
    await this.boss.work<AnalysisJob>(DEAD_QUEUE, { pollingIntervalSeconds }, async (jobs) => {
      for (const j of jobs) await giveUp(j.data, 'the analysis failed on every attempt');
    });
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 30000 });
  }
}
