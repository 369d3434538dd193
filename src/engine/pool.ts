// A pool of worker threads reading artifacts in parallel; results come back in completion order.

import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Task } from './discover.js';
import type { ArtifactResult } from './read-artifact.js';
import type { ReadRulePacks } from './sigma.js';
import { encodePlain } from './plain-data.js';
import type { PlainEncoded } from './plain-data.js';
import type { WorkerCensus, WorkerInit, WorkerRules, WorkerTask } from './worker.js';
import type { AddressCensus } from '../analysis/census.js';
import { emptyCensus } from '../analysis/census.js';
import { mergeCensus } from './address-census.js';

export interface Pool {
  run(task: Task, ctx: WorkerTask['ctx']): Promise<ArtifactResult>;
  /** The address census of `picked` (front-end logs), their runs counted by the workers in parallel. */
  census(picked: readonly Task[], bytesPerFile: number): Promise<AddressCensus>;
  close(): Promise<void>;
}

export function defaultThreads(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

const PER_WORKER = 2;

interface Pending {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an artifact's result or a census
  resolve(r: any): void;
  reject(e: Error): void;
}

type WorkerReply = { id: number } & ({ ok: true; result: unknown } | { ok: false; error: string });

/**
 * Starts `threads` workers now (they load their modules and open the evidence at once); the rules follow
 * when `rules` resolves, and tasks wait for them.
 */
export function createPool(init: WorkerInit, threads: number, rules: Promise<ReadRulePacks>): Pool {
  const url = new URL('./worker.js', import.meta.url);
  const idle: Worker[] = [];
  const waiting: ((w: Worker) => void)[] = [];
  const all: Worker[] = [];
  /** The tasks each worker has in hand, by the id its answer carries. */
  const inFlight = new Map<Worker, Map<number, Pending>>();
  let seq = 0;
  let closing = false;
  let dead = new Set<Worker>();
  /** The rules once read: sent to each worker before any task (a replacement gets them as it starts). */
  let packs: PlainEncoded | undefined;
  void rules.then(
    (p) => {
      packs = encodePlain(p);
      for (const w of all) w.postMessage({ packs } satisfies WorkerRules);
    },
    () => {},
  );
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
    if (packs) w.postMessage({ packs } satisfies WorkerRules);
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
  const call = async <T>(message: (id: number) => WorkerTask | WorkerCensus): Promise<T> => {
    await rules;
    const w = await acquire();
    try {
      return await new Promise<T>((resolve, reject) => {
        const id = ++seq;
        inFlight.get(w)?.set(id, { resolve, reject });
        w.postMessage(message(id));
      });
    } finally {
      release(w);
    }
  };
  return {
    async run(task, ctx) {
      return call<ArtifactResult>((id) => ({ id, task, ctx }) satisfies WorkerTask);
    },
    async census(picked, bytesPerFile) {
      // Contiguous runs, merged in order: the same census as one pass over `picked`.
      const per = Math.ceil(picked.length / Math.max(1, threads));
      const parts: Promise<AddressCensus>[] = [];
      for (let i = 0; i < picked.length; i += per) {
        const run = picked.slice(i, i + per);
        parts.push(call<AddressCensus>((id) => ({ id, census: run, bytesPerFile }) satisfies WorkerCensus));
      }
      return (await Promise.all(parts)).reduce(mergeCensus, emptyCensus());
    },
    async close() {
      closing = true;
      dead = new Set();
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
