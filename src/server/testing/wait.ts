// Test-only: waits for a condition by polling; the deadline only stops a hung test, it asserts no timing.

import { setTimeout as sleep } from 'node:timers/promises';

export async function until<T>(
  probe: () => Promise<T | undefined>,
  what = 'condition',
  deadlineMs = 120_000,
): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(100);
  }
}
