// The analysis queue: one interface, a jobs table on SQLite and pg-boss on PostgreSQL.

import type { Tx } from '../../store/index.js';

export const ANALYSE_QUEUE = 'exhunt-analyse-bundle';

export interface AnalysisJob {
  bundleId: number;
  /**
   * Set for a retro-hunt's re-analysis of a bundle already scanned (server/retrohunt/job.ts): the same
   * queue and workers, so a hunt needs no other process and pg-boss spreads it over every worker.
   */
  retrohunt?: number;
}

/**
 * A job's priority on the queue, higher first (pg-boss's convention, and the SQLite table's): new uploads'
 * analysis before retro-hunts' re-analyses, so a hunt over thousands of bundles does not hold up the answer
 * for a bundle uploaded meanwhile. Equal priorities run oldest first.
 */
export const JOB_PRIORITY = { analysis: 0, retrohunt: -10 } as const;

export function priorityOf(job: AnalysisJob): number {
  return job.retrohunt !== undefined ? JOB_PRIORITY.retrohunt : JOB_PRIORITY.analysis;
}

export interface JobContext {
  attempt: number;
  /** No retry follows if this run fails: the handler records the failure for the user to see. */
  final: boolean;
}

export type JobHandler = (job: AnalysisJob, ctx: JobContext) => Promise<void>;

/** Called for a job abandoned without a final run of the handler (its worker died on the last attempt). */
export type GiveUpHandler = (job: AnalysisJob, reason: string) => Promise<void>;

export interface JobQueue {
  /** Queues in the caller's transaction, so that a job exists exactly when its bundle does. */
  enqueue(trx: Tx, job: AnalysisJob): Promise<void>;
  /** After that transaction commits: wakes this process's idle workers instead of waiting for a poll. */
  notify(): void;
  /** Starts `concurrency` workers in this process. */
  work(handler: JobHandler, concurrency: number, giveUp: GiveUpHandler): Promise<void>;
  /** Stops taking jobs and waits for running ones; a job cut short runs again elsewhere. */
  close(): Promise<void>;
}

export interface QueueTuning {
  /**
   * How long a claimed job may run without news before another worker takes it over (SQLite: a lease the
   * worker renews; pg-boss: the job's expiry). A crashed worker's job runs again after this.
   */
  leaseSeconds: number;
  pollMs: number;
  maxAttempts: number;
}

/** Defaults, overridable by environment for tests that kill workers and wait for the job to come back. */
export function tuning(): QueueTuning {
  const num = (name: string, dflt: number) => {
    const v = Number(process.env[name]);
    return Number.isFinite(v) && v > 0 ? v : dflt;
  };
  return {
    leaseSeconds: num('EXHUNT_JOB_LEASE_SECONDS', 3600),
    pollMs: num('EXHUNT_JOB_POLL_MS', 2000),
    maxAttempts: num('EXHUNT_JOB_MAX_ATTEMPTS', 3),
  };
}
