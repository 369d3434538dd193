// A small pool of libyara-wasm worker threads: one request each at a time, a stuck scan ends its worker.

import { Worker } from 'node:worker_threads';
import type { WasmCompileError, WasmReply, WasmRequest, WasmRuleHit } from './wasm-protocol.js';

type Body = WasmRequest extends infer R ? (R extends WasmRequest ? Omit<R, 'id'> : never) : never;
type Ok = Extract<WasmReply, { ok: true }>;

interface Task {
  body: Body;
  timeoutMs: number;
  resolve(r: Ok): void;
  reject(e: Error): void;
}

interface Slot {
  worker?: Worker;
  /** Resolves once the worker has loaded libyara-wasm and taken the current rules. */
  ready?: Promise<void>;
  busy: boolean;
  pending?: { id: number; task: Task; timer?: NodeJS.Timeout };
}

const WORKER_URL = new URL('./wasm-worker.js', import.meta.url);
/** Loading takes under a second; a worker that has not said it is ready by then is stuck. */
const LOAD_TIMEOUT_MS = 60_000;

export class WasmPool {
  private readonly slots: Slot[];
  private readonly queue: Task[] = [];
  private bundles: string[] | undefined;
  private nextId = 1;
  private closed = false;
  /** The largest heap a worker reported after a scan: what the reset after every call keeps flat. */
  maxHeap = 0;

  private constructor(
    private readonly module: string,
    size: number,
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => ({ busy: false }));
  }

  /** Starts the first worker; the others start when there is work for them. */
  static async open(module: string, size: number): Promise<WasmPool | { error: string }> {
    const pool = new WasmPool(module, size);
    try {
      await pool.start(pool.slots[0]!);
      return pool;
    } catch (e) {
      await pool.close();
      return { error: (e as Error).message };
    }
  }

  async check(text: string): Promise<WasmCompileError[]> {
    return (await this.request({ op: 'check', text }, 120_000)).errors ?? [];
  }

  /**
   * The bundles every scan runs, set once before the first scan: the workers running now take them at
   * once, those started later (more work, or a stuck one replaced) before their first scan.
   */
  async setRules(bundles: string[]): Promise<void> {
    this.bundles = bundles;
    await Promise.all(
      this.slots.map(async (s) => {
        if (!s.worker) return;
        await s.ready;
        await this.send(s, { op: 'rules', bundles }, 120_000);
        s.worker?.unref();
      }),
    );
  }

  /** Runs every bundle over `data` (the buffer is handed to the worker: detached here afterwards). */
  async scan(data: ArrayBuffer, timeoutMs: number): Promise<WasmRuleHit[][]> {
    const r = await this.request({ op: 'scan', data }, timeoutMs);
    this.maxHeap = Math.max(this.maxHeap, r.heap ?? 0);
    return r.results ?? [];
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error('the YARA engine was closed'));
    await Promise.all(this.slots.flatMap((s) => (s.worker ? [s.worker.terminate()] : [])));
  }

  private request(body: Body, timeoutMs: number): Promise<Ok> {
    if (this.closed) return Promise.reject(new Error('the YARA engine was closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ body, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.busy) continue;
      const task = this.queue.shift()!;
      slot.busy = true;
      void this.dispatch(slot, task);
    }
  }

  private async dispatch(slot: Slot, task: Task): Promise<void> {
    try {
      if (!slot.worker) await this.start(slot);
      await slot.ready;
      const reply = await this.send(slot, task.body, task.timeoutMs);
      task.resolve(reply);
    } catch (e) {
      task.reject(e as Error);
    } finally {
      slot.busy = false;
      slot.worker?.unref();
      this.pump();
    }
  }

  private start(slot: Slot): Promise<void> {
    const w = new Worker(WORKER_URL, { workerData: { module: this.module } });
    slot.worker = w;
    // A worker stopped for taking too long may still speak or exit after its slot has a new one.
    w.on('message', (reply: WasmReply) => {
      const p = slot.pending;
      if (slot.worker !== w || !p || p.id !== reply.id) return;
      slot.pending = undefined;
      clearTimeout(p.timer);
      if (reply.ok) p.task.resolve(reply);
      else p.task.reject(new Error(reply.error));
    });
    const dead = (why: string) => {
      if (slot.worker !== w) return;
      slot.worker = undefined;
      const p = slot.pending;
      slot.pending = undefined;
      if (p) {
        clearTimeout(p.timer);
        p.task.reject(new Error(why));
      }
    };
    w.on('error', (e) => dead(`the YARA worker failed: ${e.message}`));
    w.on('exit', (code) => dead(`the YARA worker stopped (exit ${code})`));
    // The worker's first message says whether libyara-wasm loaded (id 0); loading never waits forever.
    slot.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        dead(`the YARA worker did not start within ${LOAD_TIMEOUT_MS / 1000} s`);
        void w.terminate();
      }, LOAD_TIMEOUT_MS);
      const task = {
        body: { op: 'check', text: '' } as const,
        timeoutMs: LOAD_TIMEOUT_MS,
        resolve: () => resolve(),
        reject,
      };
      slot.pending = { id: 0, task, timer };
    }).then(async () => {
      if (this.bundles) await this.send(slot, { op: 'rules', bundles: this.bundles }, 120_000);
      w.unref();
    });
    return slot.ready;
  }

  private send(slot: Slot, body: Body, timeoutMs: number): Promise<Ok> {
    const w = slot.worker;
    if (!w) return Promise.reject(new Error('the YARA worker is gone'));
    return new Promise<Ok>((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        slot.pending = undefined;
        if (slot.worker === w) slot.worker = undefined;
        void w.terminate();
        reject(new Error(`took longer than ${Math.round(timeoutMs / 1000)} s; stopped`));
      }, timeoutMs);
      slot.pending = { id, task: { body, timeoutMs, resolve, reject }, timer };
      w.ref();
      const msg = { id, ...body };
      w.postMessage(msg, msg.op === 'scan' ? [msg.data] : []);
    });
  }
}
