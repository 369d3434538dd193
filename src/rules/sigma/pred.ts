// Predicate combinators over records, and the one-field group test shared by every value form.

import type { LogRecord } from '../../core/record.js';
import type { Str } from './cache.js';

export type Pred = (r: LogRecord) => boolean;
export type Test<T> = (x: T) => boolean;

const NEVER: Pred = () => false;
const ALWAYS: Pred = () => true;

export function and(ps: readonly Pred[]): Pred {
  if (ps.length === 0) return ALWAYS;
  if (ps.length === 1) return ps[0] as Pred;
  if (ps.length === 2) {
    const [a, b] = ps as [Pred, Pred];
    return (r) => a(r) && b(r);
  }
  return (r) => {
    for (let i = 0; i < ps.length; i++) if (!(ps[i] as Pred)(r)) return false;
    return true;
  };
}

export function or(ps: readonly Pred[]): Pred {
  if (ps.length === 0) return NEVER;
  if (ps.length === 1) return ps[0] as Pred;
  if (ps.length === 2) {
    const [a, b] = ps as [Pred, Pred];
    return (r) => a(r) || b(r);
  }
  return (r) => {
    for (let i = 0; i < ps.length; i++) if ((ps[i] as Pred)(r)) return true;
    return false;
  };
}

export function not(p: Pred): Pred {
  return (r) => !p(r);
}

/**
 * One field read, prepared once, checked against several tests. With `negate` each test is inverted;
 * `all` AND-s the tests, otherwise they are OR-ed. A missing field fails every positive test.
 */
export function group<T>(
  access: (r: LogRecord) => Str,
  prepare: (s: string) => T,
  tests: readonly Test<T>[],
  all: boolean,
  negate: boolean,
): Pred {
  const n = tests.length;
  if (n === 0) return all ? ALWAYS : NEVER;
  const t0 = tests[0] as Test<T>;
  const one: Test<T> =
    n === 1
      ? negate
        ? (x) => !t0(x)
        : t0
      : (x) => {
          if (all) {
            for (let i = 0; i < n; i++) if ((tests[i] as Test<T>)(x) === negate) return false;
            return true;
          }
          for (let i = 0; i < n; i++) if ((tests[i] as Test<T>)(x) !== negate) return true;
          return false;
        };
  return (r) => {
    const v = access(r);
    if (typeof v === 'string') return one(prepare(v));
    if (v === undefined || v === null) return negate;
    // Array values: a test matches when any element does.
    const xs = v.filter((e): e is string => e !== null).map(prepare);
    const hit = (i: number): boolean => xs.some((x) => (tests[i] as Test<T>)(x));
    if (all) {
      for (let i = 0; i < n; i++) if (hit(i) === negate) return false;
      return true;
    }
    for (let i = 0; i < n; i++) if (hit(i) !== negate) return true;
    return false;
  };
}

export function combine(ps: Pred[], all: boolean): Pred {
  return all ? and(ps) : or(ps);
}
