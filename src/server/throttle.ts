// Failed sign-ins slow the next ones down, per username and per client address, so passwords cannot be
// guessed at the speed of the network. Kept in memory: each server process counts its own.

/** Failures allowed before any wait; then the wait doubles with each one, up to `maxWaitMs`. */
const FREE_FAILURES = 5;
/** A key's failures are forgotten this long after its last one. */
const FORGET_MS = 15 * 60_000;
/** At most this many keys are kept; the one failed longest ago goes first. */
const MAX_KEYS = 10_000;

interface Failures {
  count: number;
  last: number;
  until: number;
}

export class SignInThrottle {
  private readonly keys = new Map<string, Failures>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxWaitMs = 15 * 60_000,
  ) {}

  /** Milliseconds the caller must wait before trying again with any of these keys; 0 = go ahead. */
  wait(keys: readonly string[]): number {
    const t = this.now();
    let ms = 0;
    for (const k of keys) {
      const f = this.live(k, t);
      if (f && f.until > t) ms = Math.max(ms, f.until - t);
    }
    return ms;
  }

  failed(keys: readonly string[]): void {
    const t = this.now();
    for (const k of keys) {
      const f = this.live(k, t) ?? { count: 0, last: t, until: 0 };
      f.count++;
      f.last = t;
      if (f.count > FREE_FAILURES)
        f.until = t + Math.min(this.maxWaitMs, 1000 * 2 ** (f.count - FREE_FAILURES - 1));
      // Re-inserted so that the map stays ordered by last failure, oldest first.
      this.keys.delete(k);
      this.keys.set(k, f);
    }
    while (this.keys.size > MAX_KEYS) this.keys.delete(this.keys.keys().next().value as string);
  }

  succeeded(keys: readonly string[]): void {
    for (const k of keys) this.keys.delete(k);
  }

  private live(k: string, t: number): Failures | undefined {
    const f = this.keys.get(k);
    if (f && t - f.last > FORGET_MS && f.until <= t) {
      this.keys.delete(k);
      return undefined;
    }
    return f;
  }
}
