// Scanning many targets: a fixed pool of workers pulling from a streamed list, with an optional request rate limit.

import { probeTarget, type ProbeOptions, type TargetResult } from './probe.js';

export interface ScanOptions {
  timeoutMs: number;
  retries: number;
  /** Targets probed at once. */
  concurrency: number;
  /** Requests per second across all workers; 0 = no limit. */
  rate: number;
}

export const SCAN_DEFAULTS: ScanOptions = { timeoutMs: 10_000, retries: 1, concurrency: 64, rate: 0 };

/** Spaces requests evenly: each caller waits for its slot, 1/rate seconds after the previous one. */
function rateLimiter(perSecond: number): (() => Promise<void>) | undefined {
  if (!(perSecond > 0)) return undefined;
  const gap = 1000 / perSecond;
  let next = 0;
  return () => {
    const now = performance.now();
    const at = Math.max(now, next);
    next = at + gap;
    const wait = at - now;
    return wait < 1 ? Promise.resolve() : new Promise((r) => setTimeout(r, wait));
  };
}

/**
 * Probes every target, calling `onResult` as each finishes. Only `concurrency` targets are in flight and the
 * list is pulled lazily, so memory does not grow with the number of targets.
 */
export async function scanTargets(
  targets: AsyncIterable<string> | Iterable<string>,
  options: Partial<ScanOptions>,
  onResult: (r: TargetResult) => void | Promise<void>,
): Promise<{ targets: number }> {
  const o: ScanOptions = { ...SCAN_DEFAULTS, ...options };
  const probe: ProbeOptions = {
    timeoutMs: o.timeoutMs,
    retries: o.retries,
    beforeRequest: rateLimiter(o.rate),
  };
  const it = Symbol.asyncIterator in targets ? targets[Symbol.asyncIterator]() : targets[Symbol.iterator]();
  let index = 0;
  // Workers take turns at the iterator: one pull at a time keeps a generator's order and its backpressure.
  let turn: Promise<unknown> = Promise.resolve();
  const pull = (): Promise<IteratorResult<string>> => {
    const p = turn.then(() => it.next());
    turn = p.catch(() => undefined);
    return p;
  };
  const worker = async () => {
    for (;;) {
      const n = await pull();
      if (n.done) return;
      const result = await probeTarget(n.value, index++, probe);
      await onResult(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  return { targets: index };
}
