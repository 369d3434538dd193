// `windash`: a dash in the value also matches `/` and the typographic dashes Windows accepts for flags.

import { mapStrings, normalizeParts, requireEq } from '../values.js';
import type { Modifier, Part, SigmaValue } from '../values.js';

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;
/** 5^5 variants already; rules with more flag characters should use `re`. */
const MAX_VARIANTS = 3125;

function isDash(c: string): boolean {
  return (DASHES as readonly string[]).includes(c);
}

export const windashModifiers: Record<string, Modifier> = {
  windash(spec) {
    const bad = requireEq(spec, 'windash');
    if (bad) return bad;
    return mapStrings(spec, 'windash', (v) => {
      let variants: Part[][] = [[]];
      for (const p of v.parts) {
        if (typeof p !== 'string') {
          for (const x of variants) x.push(p);
          continue;
        }
        let texts = [''];
        for (const c of p) {
          texts = isDash(c) ? texts.flatMap((t) => DASHES.map((d) => t + d)) : texts.map((t) => t + c);
          if (texts.length * variants.length > MAX_VARIANTS)
            return `'windash' would make over ${MAX_VARIANTS} variants`;
        }
        variants = variants.flatMap((x) => texts.map((t) => [...x, t]));
      }
      return variants.map((parts): SigmaValue => ({
        k: 'str',
        parts: normalizeParts(parts),
        cased: v.cased,
        bytes: v.bytes,
      }));
    });
  },
};
