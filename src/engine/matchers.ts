// Matchers: detectors and compiled rules for one source, behind one literal prefilter per source.

import type { Detector, DetectorContext, Hit, ScriptPaths } from '../core/detector.js';
import type { LogRecord } from '../core/record.js';
import type { LineGate } from '../core/source.js';

export interface Matcher {
  /** Lower-cased literals, one of which the record text must contain; undefined = always run. */
  literals?: readonly string[];
  /** A test of the record text that must pass for `check` to be able to hit (instead of literals). */
  prefilter?: RegExp;
  /** Literals found only at the end of a one-segment path (see `Detector.rootLiterals`). */
  rootLiterals?: readonly string[];
  /** See `Detector.scriptPaths`. */
  scriptPaths?: ScriptPaths;
  /**
   * Instead of `literals`: several groups, each with its own bit in the gate, so a line runs only the
   * groups whose literals it holds (the Sigma rules of a source, grouped by what they need). `check` is
   * then told which groups may hit, as bit i for group i (all of them when unknown).
   */
  groups?: readonly LiteralGroup[];
  check(r: LogRecord, ctx: DetectorContext, groups?: number): Hit[] | undefined;
}

/** Literals of which a line must hold one, and for each set in `also` one of its literals as well. */
export interface LiteralGroup {
  literals: readonly string[];
  also?: readonly (readonly string[])[];
}

/** Most groups a matcher may have (bits of a 31-bit mask, leaving some for the other matchers). */
export const MAX_GROUPS = 24;

export function detectorMatcher(d: Detector): Matcher {
  return {
    ...(d.literals ? { literals: d.literals } : {}),
    ...(d.prefilter ? { prefilter: d.prefilter } : {}),
    ...(d.rootLiterals ? { rootLiterals: d.rootLiterals } : {}),
    ...(d.scriptPaths ? { scriptPaths: d.scriptPaths } : {}),
    check: (r, ctx) => d.check(r, ctx),
  };
}

/** Bit of the matcher at this index among the gated ones; the last bit is shared by the rest. */
const SHARED_BIT = 30;

interface Gated {
  m: Matcher;
  test: RegExp;
  /** Its bits in the line's literal mask (one per group), when it has literals. */
  bit: number;
  /** The bit alone decides (literals only, bit not shared): no need to test the text again. */
  exact: boolean;
  /** A matcher with groups: each group's bit and test, in group order. */
  groups?: { bit: number; exact: boolean; test: RegExp; also: readonly (readonly string[])[] }[];
}

/**
 * Runs the matchers of one source on each record. Most lines of a web log match nothing, so each gated
 * matcher first needs what it states in the raw line (case-insensitively). Text parsers find the gate's
 * literals in each line already (see `gate()`) and hand the bits over as `LogRecord.gate`; other records
 * are tested here, with one combined test first when there are several matchers.
 */
export class MatcherSet {
  private readonly always: Matcher[] = [];
  private readonly gated: Gated[] = [];
  private readonly any: RegExp | undefined;

  constructor(matchers: Matcher[]) {
    let next = 0;
    for (const m of matchers) {
      const groups = m.groups?.filter((g) => g.literals.length > 0);
      if (groups && groups.length === m.groups?.length && groups.length > 0 && !m.prefilter) {
        // One bit per group while bits last (a group past them shares the last bit, tested in JavaScript).
        const gs = groups.map((g) => {
          const i = next++;
          const bit = 1 << Math.min(i, SHARED_BIT);
          return { bit, exact: i < SHARED_BIT, test: literalsRegExp(g.literals), also: g.also ?? [] };
        });
        const test = new RegExp(gs.map((g) => `(?:${g.test.source})`).join('|'), 'i');
        const bit = gs.reduce((a, g) => a | g.bit, 0);
        this.gated.push({ m, test, bit, exact: gs.every((g) => g.exact), groups: gs });
        continue;
      }
      const test =
        m.prefilter ?? (m.literals && m.literals.length > 0 ? literalsRegExp(m.literals) : undefined);
      if (!test) {
        this.always.push(m);
        continue;
      }
      const hasLiterals = (m.literals?.length ?? 0) + (m.rootLiterals?.length ?? 0) > 0;
      const i = hasLiterals ? next++ : SHARED_BIT + 1;
      const bit = hasLiterals ? 1 << Math.min(i, SHARED_BIT) : 0;
      this.gated.push({ m, test, bit, exact: hasLiterals && !m.prefilter && i < SHARED_BIT });
    }
    // One combined test pays off only when it spares several separate ones.
    if (this.gated.length > 3)
      this.any = new RegExp(this.gated.map((g) => `(?:${g.test.source})`).join('|'), 'i');
  }

  /**
   * The literals a text line needs for some matcher to hit it, each with its matcher's bit. `all` when
   * a matcher wants every record or states only a pattern (it cannot be reduced to literals).
   */
  gate(): LineGate {
    return (this.gateCache ??= this.makeGate());
  }

  private gateCache: LineGate | undefined;

  private makeGate(): LineGate {
    const literals: LineGate['literals'][number][] = [];
    let all = this.always.length > 0;
    const clauses: NonNullable<LineGate['clauses']>[number][] = [];
    let scriptPath: ScriptPaths | undefined;
    for (const g of this.gated) {
      if (g.bit === 0) all = true;
      else if (g.groups) {
        const mg = g.m.groups ?? [];
        g.groups.forEach((x, i) => {
          for (const text of mg[i]?.literals ?? []) literals.push({ text, mask: x.bit });
          // A shared bit stands for several groups: their extra sets do not hold for the others.
          if (x.exact) for (const any of x.also) clauses.push({ mask: x.bit, any });
        });
      } else {
        // Script paths: one set per gate, so a second matcher's (if different) counts its literals anywhere.
        const sp = g.m.scriptPaths;
        const own = sp && (!scriptPath || scriptPath === sp);
        if (own) scriptPath = sp;
        for (const text of g.m.literals ?? [])
          literals.push({
            text,
            mask: g.bit,
            ...(own ? { script: true } : {}),
            ...(own && sp.except?.literal === text ? { except: true } : {}),
          });
        for (const text of g.m.rootLiterals ?? []) literals.push({ text, mask: g.bit, root: true });
      }
    }
    return {
      literals,
      all,
      ...(clauses.length > 0 ? { clauses } : {}),
      ...(scriptPath
        ? { scriptPath: { exts: scriptPath.exts, except: scriptPath.except?.names ?? [] } }
        : {}),
    };
  }

  get size(): number {
    return this.always.length + this.gated.length;
  }

  run(r: LogRecord, ctx: DetectorContext, out: Hit[]): void {
    for (const m of this.always) push(out, m.check(r, ctx));
    if (this.gated.length === 0) return;
    const mask = r.gate;
    if (mask !== undefined && mask !== -1) {
      let text: string | undefined;
      for (const g of this.gated) {
        if (g.bit !== 0 && (mask & g.bit) === 0) continue;
        if (g.groups) {
          let want = 0;
          g.groups.forEach((x, i) => {
            if (mask & x.bit && (x.exact || x.test.test((text ??= r.text())))) want |= 1 << i;
          });
          if (want !== 0) push(out, g.m.check(r, ctx, want));
        } else if (g.exact || g.test.test((text ??= r.text()))) push(out, g.m.check(r, ctx));
      }
      return;
    }
    const text = r.text();
    if (this.any && !this.any.test(text)) return;
    for (const g of this.gated) {
      if (!g.test.test(text)) continue;
      if (!g.groups) {
        push(out, g.m.check(r, ctx));
        continue;
      }
      let want = 0;
      g.groups.forEach((x, i) => {
        if (x.test.test(text)) want |= 1 << i;
      });
      push(out, g.m.check(r, ctx, want));
    }
  }
}

function push(out: Hit[], hits: Hit[] | undefined): void {
  if (hits) for (const h of hits) out.push(h);
}

function literalsRegExp(literals: readonly string[]): RegExp {
  return new RegExp(literals.map(escape).join('|'), 'i');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
