// Failed sign-ins slow the next ones down, per username and per client address, so passwords cannot be
// guessed at the speed of the network. Kept in memory: each server process counts its own.
//
// An attempt is *reserved* before its password is verified: `begin` checks the wait and counts the attempt
// as a failure in one synchronous step, and only a verified success takes it back. Checking first and
// counting after the (slow, asynchronous) verification let a burst of concurrent guesses all pass the check.

/** Failures allowed before any wait; then the wait doubles with each one, up to `maxWaitMs`. */
const FREE_FAILURES = 5;
/** A key's failures are forgotten this long after its last one. */
const FORGET_MS = 15 * 60_000;
/** At most this many keys are kept (about 100 bytes each). */
export const MAX_KEYS = 10_000;
/** Retry-After for new keys refused because the table is full of locked ones. */
const FULL_WAIT_MS = 60_000;

interface Failures {
  count: number;
  last: number;
  until: number;
}

export interface Reserved {
  ok: true;
  /**
   * Call once verification is over: a success forgets the keys, a failure stays counted, and `unchecked`
   * (the password was never compared, e.g. the scrypt pool was full) gives the attempt back.
   */
  done(result: boolean | 'unchecked'): void;
}

export type Attempt = Reserved | { ok: false; waitMs: number };

export class SignInThrottle {
  private readonly keys = new Map<string, Failures>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxWaitMs = 15 * 60_000,
    private readonly maxKeys = MAX_KEYS,
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

  /**
   * Reserves an attempt: refused while any key must wait, or when the table is full and cannot take these
   * keys without dropping a locked one; otherwise already counted as a failure.
   */
  begin(keys: readonly string[]): Attempt {
    const ms = this.wait(keys);
    if (ms > 0) return { ok: false, waitMs: ms };
    const fresh = keys.filter((k) => !this.keys.has(k)).length;
    if (fresh > 0 && !this.makeRoom(fresh)) return { ok: false, waitMs: FULL_WAIT_MS };
    this.count(keys);
    let settled = false;
    return {
      ok: true,
      done: (result) => {
        if (settled) return;
        settled = true;
        if (result === true) this.succeeded(keys);
        else if (result === 'unchecked')
          for (const k of keys) {
            const f = this.keys.get(k);
            if (f) f.count = Math.max(0, f.count - 1);
          }
      },
    };
  }

  /** Counts a failure outright (what `begin` does before verifying). */
  failed(keys: readonly string[]): void {
    const fresh = keys.filter((k) => !this.keys.has(k)).length;
    if (fresh > 0 && !this.makeRoom(fresh)) return;
    this.count(keys);
  }

  succeeded(keys: readonly string[]): void {
    for (const k of keys) this.keys.delete(k);
  }

  /** Keys held now (for the tests of the bound). */
  get size(): number {
    return this.keys.size;
  }

  private count(keys: readonly string[]): void {
    const t = this.now();
    for (const k of keys) {
      const f = this.live(k, t) ?? { count: 0, last: t, until: 0 };
      f.count++;
      f.last = t;
      if (f.count > FREE_FAILURES)
        f.until = t + Math.min(this.maxWaitMs, 1000 * 2 ** Math.min(40, f.count - FREE_FAILURES - 1));
      // Re-inserted so that the map stays ordered by last failure, oldest first.
      this.keys.delete(k);
      this.keys.set(k, f);
    }
  }

  /**
   * Frees room for `n` new keys: forgotten entries first, then the oldest entries that are not locked. A
   * locked entry is never dropped, so filling the table with new names cannot unlock a username that is
   * being guessed; when only locked entries are left, new keys are refused until some expire.
   */
  private makeRoom(n: number): boolean {
    if (this.keys.size + n <= this.maxKeys) return true;
    const t = this.now();
    for (const [k, f] of this.keys) {
      if (this.keys.size + n <= this.maxKeys) return true;
      if (f.until <= t) this.keys.delete(k);
    }
    return this.keys.size + n <= this.maxKeys;
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
