// String tests built once per value: equality, prefix, suffix, substring and ordered segments; regex only for `?`.

import { ONE, STAR } from './values.js';
import type { Part } from './values.js';

type StrTest = (s: string) => boolean;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A test for a wildcard pattern; `lower` lower-cases the literals (the caller lower-cases the input). */
export function stringTest(parts0: readonly Part[], lower: boolean): StrTest {
  const parts = lower ? parts0.map((p) => (typeof p === 'string' ? p.toLowerCase() : p)) : parts0;
  if (parts.includes(ONE)) {
    const src = parts.map((p) => (p === STAR ? '.*' : p === ONE ? '.' : escapeRe(p))).join('');
    const re = new RegExp(`^${src}$`, 's');
    return (s) => re.test(s);
  }
  const n = parts.length;
  if (n === 0) return (s) => s === '';
  const lead = parts[0] === STAR;
  const trail = parts[n - 1] === STAR;
  if (n === 1) {
    if (lead) return () => true;
    const lit = parts[0] as string;
    return (s) => s === lit;
  }
  if (n === 2) {
    const lit = (lead ? parts[1] : parts[0]) as string;
    return lead ? (s) => s.endsWith(lit) : (s) => s.startsWith(lit);
  }
  if (n === 3 && lead && trail) {
    const lit = parts[1] as string;
    return (s) => s.includes(lit);
  }
  // General `a*b*c` form: anchored ends, middle pieces found left to right (leftmost is always safe).
  const lits = parts.filter((p): p is string => typeof p === 'string');
  const first = lead ? '' : (lits.shift() as string);
  const last = trail ? '' : (lits.pop() as string);
  const mids = lits;
  const minLen = first.length + last.length;
  return (s) => {
    if (s.length < minLen || !s.startsWith(first) || !s.endsWith(last)) return false;
    let pos = first.length;
    const end = s.length - last.length;
    for (let i = 0; i < mids.length; i++) {
      const m = mids[i] as string;
      const at = s.indexOf(m, pos);
      if (at < 0 || at + m.length > end) return false;
      pos = at + m.length;
    }
    return true;
  };
}
