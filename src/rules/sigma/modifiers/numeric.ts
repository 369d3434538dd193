// Numeric comparison modifiers: lt, lte, gt, gte (neq lives with the generic ones).

import type { Modifier, Op, ValueSpec } from '../values.js';

/** Modifiers that leave values numeric (time parts turn the field, not the value, into a number). */
const NUMERIC_SAFE = new Set(['all', 'neq', 'cased', 'minute', 'hour', 'day', 'week', 'month', 'year']);

function compare(op: Op & ('lt' | 'lte' | 'gt' | 'gte')): Modifier {
  return (spec: ValueSpec) => {
    if (spec.op !== 'eq') return `'${op}' cannot follow '${spec.op}'`;
    const changed = spec.applied.find((m) => !NUMERIC_SAFE.has(m));
    if (changed) return `'${op}' cannot follow '${changed}'`;
    for (let i = 0; i < spec.values.length; i++) {
      const v = spec.values[i];
      const n = v?.k === 'num' ? v.n : v?.k === 'str' && v.raw !== undefined ? toNumber(v.raw) : undefined;
      if (n === undefined) return `'${op}' needs numeric values`;
      spec.values[i] = { k: 'num', n, raw: String(n) };
    }
    spec.op = op;
    return undefined;
  };
}

/** Decimal (or 0x hex) number in a string, else undefined. */
export function toNumber(s: string): number | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

export const numericModifiers: Record<string, Modifier> = {
  lt: compare('lt'),
  lte: compare('lte'),
  gt: compare('gt'),
  gte: compare('gte'),
};
