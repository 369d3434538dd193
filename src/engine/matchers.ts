// Matchers: detectors and compiled rules for one source, behind one literal prefilter per source.

import type { Detector, DetectorContext, Hit } from '../core/detector.js';
import type { LogRecord } from '../core/record.js';
import type { LineGate } from '../core/source.js';

export interface Matcher {
  /** Lower-cased literals, one of which the record text must contain; undefined = always run. */
  literals?: readonly string[];
  /** A test of the record text that must pass for `check` to be able to hit (instead of literals). */
  prefilter?: RegExp;
  /** Literals found only at the end of a one-segment path (see `Detector.rootLiterals`). */
  rootLiterals?: readonly string[];
  check(r: LogRecord, ctx: DetectorContext): Hit[] | undefined;
}

export function detectorMatcher(d: Detector): Matcher {
  return {
    ...(d.literals ? { literals: d.literals } : {}),
    ...(d.prefilter ? { prefilter: d.prefilter } : {}),
    ...(d.rootLiterals ? { rootLiterals: d.rootLiterals } : {}),
    check: (r, ctx) => d.check(r, ctx),
  };
}

/** Bit of the matcher at this index among the gated ones; the last bit is shared by the rest. */
const SHARED_BIT = 30;

interface Gated {
  m: Matcher;
  test: RegExp;
  /** Its bit in the line's literal mask, when it has literals. */
  bit: number;
  /** The bit alone decides (literals only, bit not shared): no need to test the text again. */
  exact: boolean;
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
    for (const m of matchers) {
      const test =
        m.prefilter ?? (m.literals && m.literals.length > 0 ? literalsRegExp(m.literals) : undefined);
      if (!test) {
        this.always.push(m);
        continue;
      }
      const i = this.gated.length;
      const hasLiterals = (m.literals?.length ?? 0) + (m.rootLiterals?.length ?? 0) > 0;
      const bit = hasLiterals ? 1 << Math.min(i, SHARED_BIT) : 0;
      this.gated.push({ m, test, bit, exact: hasLiterals && !m.prefilter && i < SHARED_BIT });
    }
    if (this.gated.length > SHARED_BIT) for (const g of this.gated.slice(SHARED_BIT)) g.exact = false;
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
    for (const g of this.gated) {
      if (g.bit === 0) all = true;
      else {
        for (const text of g.m.literals ?? []) literals.push({ text, mask: g.bit });
        for (const text of g.m.rootLiterals ?? []) literals.push({ text, mask: g.bit, root: true });
      }
    }
    return { literals, all };
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
        if (g.exact || g.test.test((text ??= r.text()))) push(out, g.m.check(r, ctx));
      }
      return;
    }
    const text = r.text();
    if (this.any && !this.any.test(text)) return;
    for (const g of this.gated) if (g.test.test(text)) push(out, g.m.check(r, ctx));
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
