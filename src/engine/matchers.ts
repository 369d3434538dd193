// Matchers: detectors and compiled rules for one source, behind one literal prefilter per source.

import type { Detector, DetectorContext, Hit } from '../core/detector.js';
import type { LogRecord } from '../core/record.js';

export interface Matcher {
  /** Lower-cased literals, one of which the record text must contain; undefined = always run. */
  literals?: readonly string[];
  check(r: LogRecord, ctx: DetectorContext): Hit[] | undefined;
}

export function detectorMatcher(d: Detector): Matcher {
  return { literals: d.literals, check: (r, ctx) => d.check(r, ctx) };
}

/**
 * Runs the matchers of one source on each record. Most lines of a web log match nothing, so one combined
 * case-insensitive test of the raw line decides whether any literal-gated matcher needs to look at all.
 */
export class MatcherSet {
  private readonly always: Matcher[] = [];
  private readonly gated: Matcher[] = [];
  private readonly any: RegExp | undefined;

  constructor(matchers: Matcher[]) {
    for (const m of matchers) (m.literals && m.literals.length > 0 ? this.gated : this.always).push(m);
    const lits = [...new Set(this.gated.flatMap((m) => m.literals ?? []))];
    if (lits.length > 0) this.any = new RegExp(lits.map(escape).join('|'), 'i');
  }

  get size(): number {
    return this.always.length + this.gated.length;
  }

  run(r: LogRecord, ctx: DetectorContext, out: Hit[]): void {
    for (const m of this.always) push(out, m.check(r, ctx));
    if (!this.any) return;
    const text = r.text();
    if (!this.any.test(text)) return;
    const lower = text.toLowerCase();
    for (const m of this.gated) {
      if (m.literals?.some((l) => lower.includes(l))) push(out, m.check(r, ctx));
    }
  }
}

function push(out: Hit[], hits: Hit[] | undefined): void {
  if (hits) for (const h of hits) out.push(h);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
