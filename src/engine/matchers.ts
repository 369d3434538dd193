// Matchers: detectors and compiled rules for one source, behind one literal prefilter per source.

import type { Detector, DetectorContext, Hit } from '../core/detector.js';
import type { LogRecord } from '../core/record.js';

export interface Matcher {
  /** Lower-cased literals, one of which the record text must contain; undefined = always run. */
  literals?: readonly string[];
  /** A test of the record text that must pass for `check` to be able to hit (instead of literals). */
  prefilter?: RegExp;
  check(r: LogRecord, ctx: DetectorContext): Hit[] | undefined;
}

export function detectorMatcher(d: Detector): Matcher {
  return {
    ...(d.literals ? { literals: d.literals } : {}),
    ...(d.prefilter ? { prefilter: d.prefilter } : {}),
    check: (r, ctx) => d.check(r, ctx),
  };
}

/**
 * Runs the matchers of one source on each record. Most lines of a web log match nothing, so each gated
 * matcher first tests the raw line (case-insensitively) for what it needs; with many gated matchers, one
 * combined test decides whether any of them needs to look at all.
 */
export class MatcherSet {
  private readonly always: Matcher[] = [];
  private readonly gated: { m: Matcher; test: RegExp }[] = [];
  private readonly any: RegExp | undefined;

  constructor(matchers: Matcher[]) {
    for (const m of matchers) {
      const test =
        m.prefilter ?? (m.literals && m.literals.length > 0 ? literalsRegExp(m.literals) : undefined);
      if (test) this.gated.push({ m, test });
      else this.always.push(m);
    }
    // One combined test pays off only when it spares several separate ones.
    if (this.gated.length > 3)
      this.any = new RegExp(this.gated.map((g) => `(?:${g.test.source})`).join('|'), 'i');
  }

  /**
   * A global case-insensitive pattern that every line some matcher could hit contains; a fresh object per
   * call (it keeps its position). Undefined when a matcher wants every record.
   */
  gate(): RegExp | undefined {
    if (this.always.length > 0) return undefined;
    if (this.gated.length === 0) return /(?!)/g;
    return new RegExp(this.gated.map((g) => `(?:${g.test.source})`).join('|'), 'gi');
  }

  get size(): number {
    return this.always.length + this.gated.length;
  }

  run(r: LogRecord, ctx: DetectorContext, out: Hit[]): void {
    for (const m of this.always) push(out, m.check(r, ctx));
    if (this.gated.length === 0) return;
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
