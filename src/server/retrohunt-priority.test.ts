// Retro-hunts wait behind new uploads on the shared analysis queue, on SQLite (the jobs table) and on
// PostgreSQL (pg-boss): an upload's analysis queued while a large hunt's re-analyses are running goes next,
// before the hunt's remaining jobs.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withTx } from '../store/index.js';
import { backends } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { PgBossQueue } from './jobs/pgboss-queue.js';
import type { AnalysisJob, JobQueue } from './jobs/queue.js';
import { SqliteQueue } from './jobs/sqlite-queue.js';
import { until } from './testing/wait.js';

const TUNING = { leaseSeconds: 30, pollMs: 100, maxAttempts: 1 };
const HUNT_JOBS = 6;

for (const b of await backends())
  describe(`the analysis queue on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let queue: JobQueue;
    before(async () => {
      fx = await b.create();
      queue = fx.database ? await PgBossQueue.start(fx.database, TUNING) : new SqliteQueue(fx.store, TUNING);
    });
    after(async () => {
      await queue.close();
      await fx.dispose();
    });

    test("an upload queued behind a large retro-hunt runs before the hunt's remaining jobs", async () => {
      const enqueue = async (jobs: AnalysisJob[]) => {
        await withTx(fx.store, async (trx) => {
          for (const j of jobs) await queue.enqueue(trx, j);
        });
        queue.notify();
      };
      await enqueue(Array.from({ length: HUNT_JOBS }, (_, i) => ({ bundleId: 100 + i, retrohunt: 1 })));
      const ran: string[] = [];
      let uploaded = false;
      // One worker: the first hunt job is running when the upload comes.
      await queue.work(
        async (job) => {
          ran.push(job.retrohunt !== undefined ? `hunt:${job.bundleId}` : `upload:${job.bundleId}`);
          if (!uploaded) {
            uploaded = true;
            await enqueue([{ bundleId: 1 }]);
          }
        },
        1,
        () => Promise.resolve(),
      );
      await until(async () => (ran.length === HUNT_JOBS + 1 ? true : undefined), 'every job run', 60_000);
      // The upload goes next; then the hunt's other jobs (pg-boss orders jobs queued in one transaction,
      // all created at the same instant, by their random ids: no order among them is promised).
      assert.match(ran[0]!, /^hunt:/);
      assert.equal(ran[1], 'upload:1');
      assert.deepEqual(
        [...ran].filter((r) => r.startsWith('hunt:')).sort(),
        Array.from({ length: HUNT_JOBS }, (_, i) => `hunt:${100 + i}`),
      );
    });
  });
