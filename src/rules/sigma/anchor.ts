// Anchors: one field test each rule cannot match without, indexed so an event only meets rules whose anchor it has.

import type { LogRecord } from '../../core/record.js';
import type { FieldCache } from './cache.js';
import { resolveOf } from './condition.js';
import { resolveField } from './fieldmap.js';
import type { FieldMap } from './fieldmap.js';
import type { ConditionNode, DetectionNode, SigmaRule } from './model.js';
import { buildSpec } from './spec.js';
import { STAR } from './values.js';
import type { StrValue } from './values.js';

type Kind = 'eq' | 'starts' | 'ends' | 'contains';

/** One way to satisfy an anchor: the lower-cased native field equals, starts, ends with or contains `lit`. */
interface Alt {
  readonly field: string;
  readonly kind: Kind;
  readonly lit: string;
}

/** A disjunction of alternatives every match of the rule satisfies; undefined when none can be proven. */
export type Anchor = readonly Alt[] | undefined;

const RANK: Record<Kind, number> = { eq: 3, ends: 2, starts: 2, contains: 1 };

function score(a: readonly Alt[]): number {
  let s = Infinity;
  for (const x of a) s = Math.min(s, RANK[x.kind] * 1000 + Math.min(x.lit.length, 50) * 10);
  return s - a.length;
}

function best(as: Anchor[]): Anchor {
  let out: Anchor;
  for (const a of as) if (a && a.length > 0 && (!out || score(a) > score(out))) out = a;
  return out;
}

function union(as: Anchor[]): Anchor {
  const out: Alt[] = [];
  for (const a of as) {
    if (!a || a.length === 0) return undefined;
    out.push(...a);
  }
  return out;
}

/** Alternatives of one field test: plain (possibly wildcard) strings, not negated, no transform. */
function fieldAnchor(n: Extract<DetectionNode, { t: 'field' }>, fm: FieldMap): Anchor {
  if (n.field === undefined) return undefined;
  const target = resolveField(fm, n.field);
  if (target.transform) return undefined;
  let spec;
  try {
    spec = buildSpec(n, { placeholders: undefined });
  } catch {
    return undefined;
  }
  if (spec.op !== 'eq' || spec.negate || spec.timePart || spec.applied.includes('expand')) return undefined;
  const alts: Alt[] = [];
  for (const v of spec.values) {
    const alt = v.k === 'str' && !v.bytes ? altOf(v.parts, target.field) : undefined;
    if (alt) alts.push(alt);
    else if (!spec.all) return undefined;
  }
  if (alts.length === 0) return undefined;
  // With `all`, every value is necessary: the most selective one alone is anchor enough.
  return spec.all ? best(alts.map((a) => [a])) : alts;
}

function altOf(p: StrValue['parts'], field: string): Alt | undefined {
  const lits = p.filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase());
  if (lits.length === 0) return undefined;
  if (p.length === 1) return { field, kind: 'eq', lit: lits[0] as string };
  if (p.length === 2 && p[0] === STAR) return { field, kind: 'ends', lit: lits[0] as string };
  if (p.length === 2 && p[1] === STAR) return { field, kind: 'starts', lit: lits[0] as string };
  // Any other shape still needs its longest literal piece somewhere in the value.
  const lit = lits.reduce((a, b) => (b.length > a.length ? b : a));
  return lit === '' ? undefined : { field, kind: 'contains', lit };
}

function nodeAnchor(n: DetectionNode, fm: FieldMap): Anchor {
  switch (n.t) {
    case 'field':
      return fieldAnchor(n, fm);
    case 'and':
      return best(n.items.map((i) => nodeAnchor(i, fm)));
    case 'or':
      return union(n.items.map((i) => nodeAnchor(i, fm)));
  }
}

/** The anchor of a rule compiled with `fm`: a field test that every match passes. */
export function ruleAnchor(rule: SigmaRule, fm: FieldMap): Anchor {
  const ids = rule.detection.identifiers;
  const names = Object.keys(ids);
  const ident = (name: string): Anchor => {
    const d = ids[name];
    return d ? nodeAnchor(d, fm) : undefined;
  };
  const cond = (c: ConditionNode): Anchor => {
    switch (c.t) {
      case 'id':
        return ident(c.name);
      case 'and':
        return best(c.items.map(cond));
      case 'or':
        return union(c.items.map(cond));
      case 'not':
        return undefined;
      case 'of': {
        const as = resolveOf(c.pattern, names).map(ident);
        return c.all ? best(as) : union(as);
      }
    }
  };
  return union(rule.detection.conditions.map(cond));
}

/** Finds which of many literals occur in a text: candidates by their first two characters. */
class Substrings {
  private readonly byPair = new Map<number, { lit: string; entries: number[] }[]>();
  private readonly short: { lit: string; entries: number[] }[] = [];

  add(lit: string, entry: number): void {
    const list = lit.length < 2 ? this.short : this.bucket(lit);
    const found = list.find((x) => x.lit === lit);
    if (found) found.entries.push(entry);
    else list.push({ lit, entries: [entry] });
  }

  private bucket(lit: string): { lit: string; entries: number[] }[] {
    const k = (lit.charCodeAt(0) << 16) | lit.charCodeAt(1);
    let b = this.byPair.get(k);
    if (!b) this.byPair.set(k, (b = []));
    return b;
  }

  each(s: string, hit: (entries: readonly number[]) => void): void {
    for (const x of this.short) if (s.includes(x.lit)) hit(x.entries);
    if (this.byPair.size === 0) return;
    for (let i = 0; i + 1 < s.length; i++) {
      const b = this.byPair.get((s.charCodeAt(i) << 16) | s.charCodeAt(i + 1));
      if (b) for (const x of b) if (s.startsWith(x.lit, i)) hit(x.entries);
    }
  }
}

interface FieldIndex {
  readonly slot: number;
  readonly eq: Map<string, number[]>;
  readonly ends: Map<number, Map<string, number[]>>;
  readonly starts: Map<number, Map<string, number[]>>;
  readonly contains: Substrings;
}

function push<K>(m: Map<K, number[]>, k: K, v: number): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/**
 * Anchors of a set of entries by field, for marking at once every entry whose anchor an event has.
 * Entries without an anchor are always evaluated; the marks are a superset of what can match.
 */
export class AnchorIndex {
  private readonly fields: FieldIndex[] = [];
  private readonly anchored: Uint8Array;

  constructor(anchors: ReadonlyMap<number, readonly Alt[]>, cache: FieldCache) {
    const byField = new Map<string, FieldIndex>();
    this.anchored = new Uint8Array(Math.max(0, ...anchors.keys()) + 1);
    for (const [entry, alts] of anchors) {
      this.anchored[entry] = 1;
      for (const a of alts) {
        let f = byField.get(a.field);
        if (!f) {
          f = {
            slot: cache.slot(a.field, undefined, undefined),
            eq: new Map(),
            ends: new Map(),
            starts: new Map(),
            contains: new Substrings(),
          };
          byField.set(a.field, f);
          this.fields.push(f);
        }
        if (a.kind === 'eq') push(f.eq, a.lit, entry);
        else if (a.kind === 'contains') f.contains.add(a.lit, entry);
        else {
          const m = a.kind === 'ends' ? f.ends : f.starts;
          let byLit = m.get(a.lit.length);
          if (!byLit) m.set(a.lit.length, (byLit = new Map<string, number[]>()));
          push(byLit, a.lit, entry);
        }
      }
    }
  }

  /** Whether the entry has an anchor here (entries without one are always evaluated). */
  has(entry: number): boolean {
    return this.anchored[entry] === 1;
  }

  /** Sets `marks[entry] = stamp` for every entry whose anchor the record satisfies. */
  mark(r: LogRecord, cache: FieldCache, marks: Int32Array, stamp: number): void {
    const hit = (entries: readonly number[]): void => {
      for (let i = 0; i < entries.length; i++) marks[entries[i] as number] = stamp;
    };
    for (const f of this.fields) {
      const v = cache.lower(f.slot, r);
      if (typeof v === 'string') this.value(f, v, hit);
      else if (v) for (const x of v) if (x !== null) this.value(f, x, hit);
    }
  }

  private value(f: FieldIndex, s: string, hit: (entries: readonly number[]) => void): void {
    const e = f.eq.get(s);
    if (e) hit(e);
    for (const [len, byLit] of f.ends) {
      if (len > s.length) continue;
      const x = byLit.get(len === 0 ? '' : s.slice(s.length - len));
      if (x) hit(x);
    }
    for (const [len, byLit] of f.starts) {
      if (len > s.length) continue;
      const x = byLit.get(s.slice(0, len));
      if (x) hit(x);
    }
    f.contains.each(s, hit);
  }
}
