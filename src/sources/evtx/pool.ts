// A fixed set of worker threads rendering chunk ranges; results come back through promises.
import { Worker } from 'node:worker_threads';
import type { RangeJob, RangeResult } from './range.js';

type Reply = { id: number; result?: RangeResult; error?: string };

export class RangePool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; job: RangeJob }[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (r: RangeResult) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./worker.js', import.meta.url));
      w.on('message', (m: Reply) => this.done(w, m));
      w.on('error', (e) => this.failAll(e));
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  run(job: RangeJob): Promise<RangeResult> {
    const id = this.nextId++;
    const p = new Promise<RangeResult>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.queue.push({ id, job });
    this.pump();
    return p;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) this.idle.pop()!.postMessage(this.queue.shift()!);
  }

  private done(w: Worker, m: Reply): void {
    const waiter = this.waiting.get(m.id);
    this.waiting.delete(m.id);
    this.idle.push(w);
    this.pump();
    if (!waiter) return;
    if (m.result) {
      // Structured cloning turns the transferred bytes into a plain Uint8Array.
      waiter.resolve({
        ...m.result,
        json: Buffer.from(m.result.json.buffer, m.result.json.byteOffset, m.result.json.byteLength),
      });
    } else waiter.reject(new Error(m.error ?? 'worker failed'));
  }

  private failAll(e: Error): void {
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}
