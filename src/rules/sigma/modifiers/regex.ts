// Regular expression modifier `re` and its flag sub-modifiers i, m, s.

import { requireEq } from '../values.js';
import type { Modifier, ValueSpec } from '../values.js';

function flag(f: 'i' | 'm' | 's'): Modifier {
  return (spec: ValueSpec) => {
    if (spec.op !== 're') return `'${f}' is a sub-modifier of 're' and must follow it`;
    if (!spec.reFlags.includes(f)) spec.reFlags += f;
    return undefined;
  };
}

export const regexModifiers: Record<string, Modifier> = {
  re(spec) {
    const bad = requireEq(spec, 're');
    if (bad) return bad;
    for (const v of spec.values) {
      if (v.k !== 'str' || v.raw === undefined) return "'re' needs string values as written (put it first)";
      try {
        new RegExp(v.raw, 'u');
      } catch {
        // The `u` flag is only a stricter syntax check; fall back to the plain dialect below.
        try {
          new RegExp(v.raw);
        } catch (e) {
          return `invalid regular expression /${v.raw}/: ${(e as Error).message}`;
        }
      }
    }
    spec.op = 're';
    return undefined;
  },
  i: flag('i'),
  m: flag('m'),
  s: flag('s'),
};
