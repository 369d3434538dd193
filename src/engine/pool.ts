// A pool of worker threads reading artifacts in parallel; results come back in completion order.

import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Task } from './discover.js';
import type { ArtifactResult } from './read-artifact.js';
import type { WorkerInit, WorkerTask } from './worker.js';

export interface Pool {
  run(task: Task, ctx: WorkerTask['ctx']): Promise<ArtifactResult>;
  close(): Promise<void>;
}

export function defaultThreads(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

const PER_WORKER = 2;

interface Pending {
  resolve(r: ArtifactResult): void;
  reject(e: Error): void;
}

type WorkerReply = { id: number } & ({ ok: true; result: ArtifactResult } | { ok: false; error: string });

export function createPool(init: WorkerInit, threads: number): Pool {
  const url = new URL('./worker.js', import.meta.url);
  const idle: Worker[] = [];
  const waiting: ((w: Worker) => void)[] = [];
  const all: Worker[] = [];
  /** The tasks each worker has in hand, by the id its answer carries. */
  const inFlight = new Map<Worker, Map<number, Pending>>();
  let seq = 0;
  let closing = false;
  let dead = new Set<Worker>();
  const fail = (w: Worker, e: Error) => {
    dead.add(w);
    const mine = inFlight.get(w);
    for (const p of mine?.values() ?? []) p.reject(e);
    mine?.clear();
  };
  const spawn = () => {
    // A small young generation per worker bounds memory when an artifact allocates much (many listed
    // lines); on the 5 GB benchmark 16, 32 and 64 MB ran equally fast.
    const w = new Worker(url, { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
    w.unref();
    all.push(w);
    inFlight.set(w, new Map());
    w.on('message', (m: WorkerReply) => {
      const p = inFlight.get(w)?.get(m.id);
      if (!p) return;
      inFlight.get(w)?.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    });
    w.on('error', (e) => fail(w, e));
    w.on('exit', (code) => {
      if (!closing) fail(w, new Error(`scan worker stopped (exit code ${code})`));
    });
    return w;
  };
  // Two artifacts at a time per worker: while one waits for its file to open or its first read, the other
  // computes. One at a time left each worker idle for about a sixth of a scan of many files.
  for (let i = 0; i < threads; i++) {
    const w = spawn();
    for (let k = 0; k < PER_WORKER; k++) idle.push(w);
  }
  const acquire = () =>
    new Promise<Worker>((resolve) => {
      const w = idle.pop();
      if (w) resolve(w);
      else waiting.push(resolve);
    });
  const replaced = new Map<Worker, Worker>();
  const release = (w: Worker) => {
    // A worker that crashed is replaced, so one bad artifact cannot stall the rest of the scan; its other
    // slot goes to the same replacement.
    const again = replaced.get(w);
    if (again) w = again;
    else if (dead.has(w)) {
      dead.delete(w);
      const fresh = spawn();
      replaced.set(w, fresh);
      w = fresh;
    }
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };
  return {
    async run(task, ctx) {
      const w = await acquire();
      try {
        return await new Promise<ArtifactResult>((resolve, reject) => {
          const id = ++seq;
          inFlight.get(w)?.set(id, { resolve, reject });
          w.postMessage({ id, task, ctx } satisfies WorkerTask);
        });
      } finally {
        release(w);
      }
    },
    async close() {
      closing = true;
      dead = new Set();
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
