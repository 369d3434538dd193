// Compiling one field's ValueSpec into a predicate over records, reading values through the FieldCache.

import type { LogRecord } from '../../core/record.js';
import type { FieldCache } from './cache.js';
import type { FieldMap } from './fieldmap.js';
import { resolveField, TRANSFORMS } from './fieldmap.js';
import { inCidr, parseCidr, parseIp } from './ip.js';
import { stringTest } from './match.js';
import { toNumber } from './modifiers/numeric.js';
import { jsRegex } from './modifiers/regex.js';
import { timePart } from './modifiers/time.js';
import { combine, group, not } from './pred.js';
import type { Pred, Test } from './pred.js';
import type { SigmaValue, StrValue, ValueSpec } from './values.js';

export type { Pred } from './pred.js';
export { and, not, or } from './pred.js';

function isDecimal(s: string): boolean {
  if (s.length === 0 || s.length > 24) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (i === 0 && c === 45) || c === 46)) return false;
  }
  return true;
}

function numberTest(n: number, raw: string): Test<string> {
  return (s) => s === raw || (isDecimal(s) && Number(s) === n);
}

export interface FieldContext {
  readonly cache: FieldCache;
  readonly fieldMap: FieldMap;
  /** Identical field tests (same field, modifiers and values) compiled once and evaluated once per record. */
  readonly shared?: Map<string, Pred>;
}

/** compileSpec, shared between identical field tests of all rules compiled with this context. */
export function compileField(spec: ValueSpec, field: string | undefined, ctx: FieldContext): Pred {
  if (!ctx.shared) return compileSpec(spec, field, ctx);
  const { applied: _applied, ...shape } = spec;
  const key = JSON.stringify([field === undefined ? null : resolveField(ctx.fieldMap, field), shape]);
  let p = ctx.shared.get(key);
  if (!p) {
    const inner = compileSpec(spec, field, ctx);
    const { cache } = ctx;
    const i = cache.predSlot();
    p = (r) => cache.cached(i, r, inner);
    ctx.shared.set(key, p);
  }
  return p;
}

/** Compile a spec for a Sigma field (or the record text when `field` is undefined). */
function compileSpec(spec: ValueSpec, field: string | undefined, ctx: FieldContext): Pred {
  const { cache } = ctx;
  const target = field === undefined ? undefined : resolveField(ctx.fieldMap, field);
  const transform = target?.transform ? TRANSFORMS.get(target.transform) : undefined;
  if (target?.transform && !transform) throw new Error(`unknown transform '${target.transform}'`);
  const slot = target ? cache.slot(target.field, target.transform, transform) : -1;
  const strAcc = target ? (r: LogRecord) => cache.str(slot, r) : (r: LogRecord) => cache.text(r);
  const lowAcc = target ? (r: LogRecord) => cache.lower(slot, r) : (r: LogRecord) => cache.textLower(r);
  const { all, negate } = spec;
  const ident = (s: string): string => s;

  switch (spec.op) {
    case 'exists': {
      const want = (spec.values[0] as { b: boolean }).b;
      return (r) => (cache.raw(slot, r) !== undefined) === want;
    }
    case 're': {
      const tests = spec.values.map((v) => {
        const js = jsRegex((v as StrValue).raw as string, spec.reFlags);
        if (typeof js === 'string') throw new Error(js);
        const re = new RegExp(js.source, js.flags);
        return (s: string) => re.test(s);
      });
      return group(strAcc, ident, tests, all, negate);
    }
    case 'cidr': {
      const nets = spec.values.map((v) => parseCidr((v as StrValue).raw as string));
      const tests = nets.map(
        (c) => (ip: Uint16Array | undefined) => ip !== undefined && c !== undefined && inCidr(ip, c),
      );
      return group(strAcc, parseIp, tests, all, negate);
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const op = spec.op;
      const tests = spec.values.map((v) => {
        const n = (v as { n: number }).n;
        return (x: number | undefined) =>
          x !== undefined && (op === 'lt' ? x < n : op === 'lte' ? x <= n : op === 'gt' ? x > n : x >= n);
      });
      return group(strAcc, numberOf(spec), tests, all, negate);
    }
    case 'fieldref':
      return combine(
        spec.values.map((v) => fieldRef(spec, (v as StrValue).raw as string, slot, ctx)),
        all,
      );
    case 'eq':
      break;
  }

  if (spec.timePart) {
    const tests = spec.values.map((v) => {
      const n = v.k === 'num' ? v.n : v.k === 'str' && v.raw !== undefined ? toNumber(v.raw) : undefined;
      return (x: number | undefined) => x !== undefined && x === n;
    });
    return group(strAcc, numberOf(spec), tests, all, negate);
  }

  // Plain matching: case-insensitive values share one lower-cased read, cased ones read the original.
  const folded: Test<string>[] = [];
  const exact: Test<string>[] = [];
  const preds: Pred[] = [];
  const lit = (v: StrValue): StrValue =>
    transform ? { ...v, parts: v.parts.map((p) => (typeof p === 'string' ? transform(p) : p)) } : v;
  for (const v of spec.values) {
    addValue(v);
  }
  function addValue(v: SigmaValue): void {
    switch (v.k) {
      case 'null': {
        const p: Pred = (r) => {
          const x = cache.raw(slot, r);
          return x === undefined || x === null;
        };
        preds.push(negate ? not(p) : p);
        return;
      }
      case 'num':
        folded.push(numberTest(v.n, v.raw));
        return;
      case 'bool':
        folded.push(stringTest([String(v.b)], true));
        return;
      case 'str': {
        const cased = spec.cased || v.cased === true;
        (cased ? exact : folded).push(stringTest(lit(v).parts, !cased));
        return;
      }
    }
  }
  if (folded.length > 0) preds.unshift(group(lowAcc, ident, folded, all, negate));
  if (exact.length > 0) preds.unshift(group(strAcc, ident, exact, all, negate));
  return combine(preds, all);
}

function numberOf(spec: ValueSpec): (s: string) => number | undefined {
  const p = spec.timePart;
  return p ? (s) => timePart(s, p) : toNumber;
}

/** Compare with another field of the same record, equality or positional, case-insensitive unless cased. */
function fieldRef(spec: ValueSpec, other: string, slot: number, ctx: FieldContext): Pred {
  const { cache } = ctx;
  const t = resolveField(ctx.fieldMap, other);
  const tf = t.transform ? TRANSFORMS.get(t.transform) : undefined;
  const oslot = cache.slot(t.field, t.transform, tf);
  const read = spec.cased ? cache.str.bind(cache) : cache.lower.bind(cache);
  const mode = spec.refMode;
  const cmp = (a: string, b: string): boolean =>
    mode === 'eq'
      ? a === b
      : mode === 'contains'
        ? a.includes(b)
        : mode === 'startswith'
          ? a.startsWith(b)
          : a.endsWith(b);
  const p: Pred = (r) => {
    const a = read(slot, r);
    const b = read(oslot, r);
    if (a === undefined || a === null || b === undefined || b === null) return false;
    if (typeof a === 'string' && typeof b === 'string') return cmp(a, b);
    const as = typeof a === 'string' ? [a] : a;
    const bs = typeof b === 'string' ? [b] : b;
    return as.some((x) => x !== null && bs.some((y) => y !== null && cmp(x, y)));
  };
  return spec.negate ? not(p) : p;
}
