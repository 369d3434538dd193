// Dispatch by event identity: which compiled rules can match a record with this Channel and EventID.

import type { LogRecord } from '../../core/record.js';
import { AnchorIndex, ruleAnchor } from './anchor.js';
import type { Anchor } from './anchor.js';
import type { FieldCache } from './cache.js';
import { resolveOf } from './condition.js';
import { resolveField } from './fieldmap.js';
import type { FieldMap } from './fieldmap.js';
import type { ConditionNode, DetectionNode, SigmaRule } from './model.js';
import { buildSpec } from './spec.js';

/**
 * The native fields records are dispatched on: the EVTX System fields that nearly every Windows rule
 * (through its log source's mapping conditions or its own selection) pins to a few values. Records of
 * other sources have neither, and their rules pin nothing, so they all share one bucket.
 */
export const DISPATCH_FIELDS = ['Channel', 'EventID'] as const;

/** Canonical values a field must take (lower-cased text; numbers in decimal); undefined = any. */
type Values = ReadonlySet<string> | undefined;

/** Lower-cased text, and numbers (or decimal text) as plain decimal, so `0x1`-free numeric forms agree. */
export function canonical(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return String(Number(t));
  return v.toLowerCase();
}

function intersect(a: Values, b: Values): Values {
  if (!a) return b;
  if (!b) return a;
  return new Set([...a].filter((x) => b.has(x)));
}

function union(sets: Values[]): Values {
  const out = new Set<string>();
  for (const s of sets) {
    if (!s) return undefined;
    for (const x of s) out.add(x);
  }
  return out;
}

/** Values a plain equality test on `native` allows; undefined when the test is anything else. */
function fieldValues(n: Extract<DetectionNode, { t: 'field' }>, fm: FieldMap, native: string): Values {
  if (n.field === undefined) return undefined;
  const target = resolveField(fm, n.field);
  if (target.field !== native || target.transform) return undefined;
  let spec;
  try {
    spec = buildSpec(n, { placeholders: undefined });
  } catch {
    return undefined;
  }
  if (spec.op !== 'eq' || spec.negate || spec.timePart || spec.applied.length > 0) return undefined;
  if (spec.all && spec.values.length > 1) return undefined;
  const out = new Set<string>();
  for (const v of spec.values) {
    // Numbers match their decimal text; a wildcard-free string matches itself (case-insensitively).
    if (v.k === 'num') out.add(String(v.n));
    else if (
      v.k === 'str' &&
      !v.cased &&
      !v.bytes &&
      v.parts.length === 1 &&
      typeof v.parts[0] === 'string'
    ) {
      const c = canonical(v.parts[0]);
      if (c === undefined) return undefined;
      out.add(c);
    } else return undefined;
  }
  return out;
}

function nodeValues(n: DetectionNode, fm: FieldMap, native: string): Values {
  switch (n.t) {
    case 'field':
      return fieldValues(n, fm, native);
    case 'and':
      return n.items.reduce<Values>((acc, i) => intersect(acc, nodeValues(i, fm, native)), undefined);
    case 'or':
      return union(n.items.map((i) => nodeValues(i, fm, native)));
  }
}

/**
 * The values `native` must take in every record the rule (compiled with `fm`) matches, from the field
 * map's preconditions and the rule's own selections; undefined when any value could match.
 */
export function requiredValues(rule: SigmaRule, fm: FieldMap, native: string): Values {
  const ids = rule.detection.identifiers;
  const names = Object.keys(ids);
  const ident = (name: string): Values => {
    const d = ids[name];
    return d ? nodeValues(d, fm, native) : undefined;
  };
  const cond = (c: ConditionNode): Values => {
    switch (c.t) {
      case 'id':
        return ident(c.name);
      case 'and':
        return c.items.reduce<Values>((acc, i) => intersect(acc, cond(i)), undefined);
      case 'or':
        return union(c.items.map(cond));
      case 'not':
        return undefined;
      case 'of': {
        const sets = resolveOf(c.pattern, names).map(ident);
        return c.all ? sets.reduce<Values>((acc, s) => intersect(acc, s), undefined) : union(sets);
      }
    }
  };
  const fromRule = union(rule.detection.conditions.map(cond));
  const pre = fm.conditions[native];
  const fromMap = pre === undefined ? undefined : new Set([canonical(pre) ?? String(pre)]);
  return intersect(fromMap, fromRule);
}

const WILD = '\u0001*';
const NONE = '\u0001-';

/** The dispatch key of one field of a record: canonical scalar, or a marker for missing or many. */
function keyOf(v: unknown): string {
  if (v === undefined || v === null) return NONE;
  if (Array.isArray(v)) return WILD;
  return canonical(v) ?? WILD;
}

/** The entries one kind of event meets, and the anchors that narrow them further per event. */
interface Bucket {
  /** Entry indices, in entry order. */
  readonly entries: readonly number[];
  /** Anchors of the anchored entries among them; undefined when none is anchored. */
  readonly anchors?: AnchorIndex;
}

/**
 * Entry indices per (Channel, EventID) pair, computed on first sight of each pair, with an anchor index
 * over those entries. Both only narrow: each entry still checks its own conditions.
 */
export class DispatchIndex {
  private readonly memo = new Map<string, Bucket>();
  private readonly all: readonly number[];
  private allBucket: Bucket | undefined;
  /** False when no entry pins any dispatch field: then records are not even read for dispatch. */
  readonly useful: boolean;

  constructor(
    private readonly reqs: readonly (readonly Values[])[],
    private readonly anchors: readonly Anchor[] = [],
    private readonly cache?: FieldCache,
  ) {
    this.all = reqs.map((_, i) => i);
    this.useful = reqs.some((r) => r.some((v) => v !== undefined));
  }

  static build(
    entries: readonly { rule: SigmaRule; fieldMap: FieldMap }[],
    cache?: FieldCache,
  ): DispatchIndex {
    return new DispatchIndex(
      entries.map((e) => DISPATCH_FIELDS.map((f) => requiredValues(e.rule, e.fieldMap, f))),
      cache ? entries.map((e) => ruleAnchor(e.rule, e.fieldMap)) : [],
      cache,
    );
  }

  /** Candidate entry indices for this record, in entry order. */
  candidates(r: LogRecord): readonly number[] {
    return this.bucket(r).entries;
  }

  bucket(r: LogRecord): Bucket {
    if (!this.useful) return (this.allBucket ??= this.makeBucket(this.all));
    const keys = DISPATCH_FIELDS.map((f) => keyOf(r.get(f)));
    const key = keys.join('\u0000');
    let b = this.memo.get(key);
    if (!b) {
      b = this.makeBucket(
        this.all.filter((i) =>
          (this.reqs[i] as readonly Values[]).every((want, j) => {
            const k = keys[j] as string;
            return want === undefined || k === WILD || want.has(k);
          }),
        ),
      );
      // Record values come from the evidence: bound the memo so odd channels cannot grow it forever.
      if (this.memo.size < 4096) this.memo.set(key, b);
    }
    return b;
  }

  private makeBucket(entries: readonly number[]): Bucket {
    if (!this.cache) return { entries };
    const anchored = new Map<number, NonNullable<Anchor>>();
    for (const i of entries) {
      const a = this.anchors[i];
      if (a) anchored.set(i, a);
    }
    // A handful of anchored rules is cheaper to just evaluate than to index.
    if (anchored.size < 8) return { entries };
    return { entries, anchors: new AnchorIndex(anchored, this.cache) };
  }
}
