// Large request bodies are prepared in a worker thread (one, started on first use): parsing a 100 MiB
// report or a 20 MiB feed takes the main thread seconds, during which no other tenant, nor the health
// check, would get an answer. Small bodies are prepared inline, where a thread hop would cost more.

import { Worker } from 'node:worker_threads';
import { HttpError } from '../http-error.js';
import { runTask } from './prepare.js';
import type { Task } from './prepare.js';

/** Bodies up to this size are prepared on the main thread. */
export const INLINE_BYTES = 1024 * 1024;
/** Tasks waiting or running in the worker; more are refused with 503 rather than queued without end. */
export const MAX_PENDING = 8;

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

export class BodyPool {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private next = 1;
  /** Tasks handed to the worker so far (the tests wait for one to begin). */
  dispatched = 0;
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly inlineBytes = INLINE_BYTES) {}

  /** Resolves when the next task is handed to the worker (test hook). */
  nextDispatch(): Promise<void> {
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  async run<T>(task: Task): Promise<T> {
    if (task.bytes.byteLength <= this.inlineBytes) return runTask(task) as T;
    if (this.pending.size >= MAX_PENDING)
      throw new HttpError(503, 'the server is busy with other large uploads; try again shortly', 5);
    const w = this.start();
    const id = this.next++;
    const done = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve, reject }));
    // The bytes are copied once into the message; the request's buffer is then free to go. The worker keeps
    // the process alive only while it has work.
    w.ref();
    w.postMessage({ id, task });
    this.dispatched++;
    for (const l of this.listeners.splice(0)) l();
    return done;
  }

  close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(new HttpError(503, 'the server is stopping'));
    this.pending.clear();
    return w ? w.terminate().then(() => undefined) : Promise.resolve();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./worker.js', import.meta.url));
    w.on('message', (m: { id: number; ok: boolean; value?: unknown; status?: number; message?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) w.unref();
      if (m.ok) p.resolve(m.value);
      else p.reject(new HttpError(m.status ?? 500, m.message ?? 'body could not be read'));
    });
    // A worker that dies (out of memory on a hostile body) fails its tasks; the next task starts a new one.
    const fail = (e: Error) => {
      if (this.worker === w) this.worker = undefined;
      for (const p of this.pending.values())
        p.reject(new HttpError(413, `the body could not be processed: ${e.message}`));
      this.pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => {
      if (code !== 0) fail(new Error(`worker exited with code ${code}`));
      else if (this.worker === w) this.worker = undefined;
    });
    w.unref();
    this.worker = w;
    return w;
  }
}
