// Compiling a rule once into a closure tree over records, for one source's field map.

import type { LogRecord } from '../../core/record.js';
import { FieldCache } from './cache.js';
import { resolveOf } from './condition.js';
import { and, compileField, not, or } from './field.js';
import type { FieldContext, Pred } from './field.js';
import type { FieldMap } from './fieldmap.js';
import type { ConditionNode, DetectionNode, RuleError, SigmaRule } from './model.js';
import { DispatchIndex } from './dispatch.js';
import { buildSpec, SpecError } from './spec.js';
import { stringTest } from './match.js';
import { STAR } from './values.js';
import type { ValueSpec } from './values.js';

export type RuleMatcher = (r: LogRecord) => boolean;

/** Thrown by compileRule; `error` is ready to report (the rule is skipped). */
export class RuleCompileError extends Error {
  constructor(readonly error: RuleError) {
    super(error.message);
  }
}

export interface CompileOptions {
  /**
   * Placeholder values for `expand`; defaults to the field map's. Pass `null` to only check a rule
   * before placeholders are known (expand is then accepted unresolved).
   */
  placeholders?: Readonly<Record<string, readonly string[]>> | null;
  /** Index rule anchors so events skip rules they cannot match (default true; false to compare). */
  anchors?: boolean;
}

function ruleError(
  rule: SigmaRule,
  message: string,
  code: string,
  line?: number,
  column?: number,
): RuleError {
  return { path: rule.path, line: line ?? rule.line, column, ruleId: rule.id, message, code };
}

interface Costed {
  p: Pred;
  cost: number;
}

/** Rough relative cost of a field test: equality is cheap, substring search less so, regex and text most. */
function specCost(spec: ValueSpec, keyword: boolean): number {
  let cost = 0;
  for (const v of spec.values) {
    if (spec.op === 're') cost += 20;
    else if (spec.op !== 'eq') cost += 2;
    else if (v.k !== 'str') cost += 1;
    else {
      const lead = v.parts[0] === STAR;
      const trail = v.parts[v.parts.length - 1] === STAR;
      cost += lead && trail ? 4 : lead || trail ? 2 : 1;
    }
  }
  return keyword ? cost * 5 : cost;
}

/** Predicate without the per-record cache reset: for sharing one cache across many rules. */
function buildPredicate(rule: SigmaRule, ctx: FieldContext, opts: CompileOptions = {}): Pred {
  const placeholders =
    opts.placeholders === null ? undefined : (opts.placeholders ?? ctx.fieldMap.placeholders);
  const idPreds = new Map<string, Pred>();
  const names = Object.keys(rule.detection.identifiers);

  // Children of a map are pure tests, so AND-ing them cheapest first changes nothing but the time taken.
  const node = (n: DetectionNode): Costed => {
    switch (n.t) {
      case 'and': {
        const items = n.items.map(node).sort((a, b) => a.cost - b.cost);
        return { p: and(items.map((i) => i.p)), cost: items.reduce((s, i) => s + i.cost, 0) };
      }
      case 'or': {
        const items = n.items.map(node);
        return { p: or(items.map((i) => i.p)), cost: items.reduce((s, i) => s + i.cost, 0) };
      }
      case 'field': {
        const spec = buildSpec(n, { placeholders });
        return { p: compileField(spec, n.field, ctx), cost: specCost(spec, n.field === undefined) };
      }
    }
  };
  const ident = (name: string): Pred => {
    let p = idPreds.get(name);
    if (!p) {
      const d = rule.detection.identifiers[name];
      if (!d)
        throw new RuleCompileError(
          ruleError(rule, `undefined search identifier '${name}'`, 'sigma.condition'),
        );
      p = node(d).p;
      idPreds.set(name, p);
    }
    return p;
  };
  const cond = (c: ConditionNode): Pred => {
    switch (c.t) {
      case 'id':
        return ident(c.name);
      case 'and':
        return and(c.items.map(cond));
      case 'or':
        return or(c.items.map(cond));
      case 'not':
        return not(cond(c.item));
      case 'of': {
        const ids = resolveOf(c.pattern, names);
        if (ids.length === 0) {
          throw new RuleCompileError(
            ruleError(rule, `'${c.pattern}' matches no search identifier`, 'sigma.condition'),
          );
        }
        return c.all ? and(ids.map(ident)) : or(ids.map(ident));
      }
    }
  };

  try {
    const body = or(rule.detection.conditions.map(cond));
    return and([...conditionPreds(ctx), body]);
  } catch (e) {
    if (e instanceof SpecError)
      throw new RuleCompileError(ruleError(rule, e.message, e.code, e.line, e.column));
    if (e instanceof RuleCompileError) throw e;
    throw new RuleCompileError(ruleError(rule, (e as Error).message, 'sigma.compile'));
  }
}

/** The field map's preconditions (`Channel`, `EventID`), checked first because they are cheap and selective. */
function conditionPreds(ctx: FieldContext): Pred[] {
  const { cache, shared } = ctx;
  return Object.entries(ctx.fieldMap.conditions).map(([field, want]) => {
    const key = JSON.stringify(['condition', field, want]);
    const known = shared?.get(key);
    if (known) return known;
    const slot = cache.slot(field, undefined, undefined);
    const raw = String(want);
    const test =
      typeof want === 'number'
        ? (s: string) => s === raw || (s !== '' && Number(s) === want)
        : stringTest([raw], true);
    const inner = (r: LogRecord): boolean => {
      const v = cache.lower(slot, r);
      if (typeof v === 'string') return test(v);
      return !!v && v.some((e) => e !== null && test(e));
    };
    if (!shared) return inner;
    const i = cache.predSlot();
    const p: Pred = (r) => cache.cached(i, r, inner);
    shared.set(key, p);
    return p;
  });
}

/** Compile one rule for one field map. Throws RuleCompileError when the rule cannot be used. */
export function compileRule(rule: SigmaRule, fieldMap: FieldMap, opts: CompileOptions = {}): RuleMatcher {
  const cache = new FieldCache();
  const p = buildPredicate(rule, { cache, fieldMap }, opts);
  return (r) => {
    cache.begin();
    return p(r);
  };
}

/** Like compileRule, returning the error instead of throwing. */
export function tryCompileRule(
  rule: SigmaRule,
  fieldMap: FieldMap,
  opts: CompileOptions = {},
): { match: RuleMatcher; error?: undefined } | { match?: undefined; error: RuleError } {
  try {
    return { match: compileRule(rule, fieldMap, opts) };
  } catch (e) {
    if (e instanceof RuleCompileError) return { error: e.error };
    throw e;
  }
}

/** A rule with the field map (source binding) it is compiled for. */
export interface RuleEntry {
  readonly rule: SigmaRule;
  readonly fieldMap: FieldMap;
}

/** Many rules sharing one field cache and one copy of each distinct field test. */
export interface CompiledRuleSet {
  /** The entries that compiled. */
  readonly entries: readonly RuleEntry[];
  /** Rules matching the record, each once; a shared empty array when none (most records). */
  match(r: LogRecord): readonly SigmaRule[];
  /**
   * Like match, with the entry (field map) through which each rule matched first. With `only`, entries
   * (by index in `entries`) for which it says false are not evaluated.
   */
  matchEntries(r: LogRecord, only?: (entry: number) => boolean): readonly RuleEntry[];
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * Compile entries that read records of one source (their field maps may differ: Sysmon and Security
 * process creation both read `evtx`). Fields are cached by native name, so sharing is safe. Records
 * are dispatched on Channel and EventID first, so an event only meets the rules that can match it.
 */
export function compileEntries(
  entries: readonly RuleEntry[],
  opts: CompileOptions = {},
): { set: CompiledRuleSet; errors: RuleError[] } {
  const cache = new FieldCache();
  const shared = new Map<string, Pred>();
  const ok: RuleEntry[] = [];
  const preds: Pred[] = [];
  const errors: RuleError[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    try {
      preds.push(buildPredicate(e.rule, { cache, fieldMap: e.fieldMap, shared }, opts));
      ok.push(e);
    } catch (err) {
      if (!(err instanceof RuleCompileError)) throw err;
      const key = `${err.error.ruleId}\u0000${err.error.message}`;
      if (!seen.has(key)) errors.push(err.error);
      seen.add(key);
    }
  }
  const index = DispatchIndex.build(ok, opts.anchors === false ? undefined : cache);
  // Per entry: the stamp of the last record whose anchor it had (-1 = not anchored: always evaluated).
  const marks = new Int32Array(ok.length);
  let stamp = 0;
  const matchEntries = (r: LogRecord, only?: (entry: number) => boolean): readonly RuleEntry[] => {
    cache.begin();
    let out: RuleEntry[] | undefined;
    const b = index.bucket(r);
    const cands = b.entries;
    if (b.anchors) {
      if (++stamp === 0x7fffffff) {
        marks.fill(0);
        stamp = 1;
      }
      b.anchors.mark(r, cache, marks, stamp);
    }
    for (let c = 0; c < cands.length; c++) {
      const i = cands[c] as number;
      if (b.anchors && b.anchors.has(i) && marks[i] !== stamp) continue;
      if (only && !only(i)) continue;
      if ((preds[i] as Pred)(r)) {
        const e = ok[i] as RuleEntry;
        if (!out) out = [e];
        else if (!out.some((x) => x.rule === e.rule)) out.push(e);
      }
    }
    return out ?? NONE;
  };
  const set: CompiledRuleSet = {
    entries: ok,
    matchEntries,
    match(r) {
      const es = matchEntries(r);
      return es.length === 0 ? NONE : es.map((e) => e.rule);
    },
  };
  return { set, errors };
}

/** Many rules for one field map. */
export function compileRuleSet(
  rules: readonly SigmaRule[],
  fieldMap: FieldMap,
  opts: CompileOptions = {},
): { set: CompiledRuleSet; errors: RuleError[] } {
  return compileEntries(
    rules.map((rule) => ({ rule, fieldMap })),
    opts,
  );
}
