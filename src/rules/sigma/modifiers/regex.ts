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

const INLINE_FLAGS = /^\(\?([a-zA-Z]+)\)/;

/**
 * A rule's pattern as a JavaScript RegExp source and flags. Many rules open with a PCRE inline flag group,
 * `(?i)`, which JavaScript does not accept: at the start it applies to the whole pattern, so it becomes a
 * flag. Returns an error message for flags JavaScript has no equivalent of.
 */
export function jsRegex(raw: string, flags: string): { source: string; flags: string } | string {
  const m = INLINE_FLAGS.exec(raw);
  if (!m) return { source: raw, flags };
  let f = flags;
  for (const c of m[1] as string) {
    if (!'ims'.includes(c)) return `inline flag '(?${c})' has no JavaScript equivalent`;
    if (!f.includes(c)) f += c;
  }
  return { source: raw.slice(m[0].length), flags: f };
}

export const regexModifiers: Record<string, Modifier> = {
  re(spec) {
    const bad = requireEq(spec, 're');
    if (bad) return bad;
    for (const v of spec.values) {
      if (v.k !== 'str' || v.raw === undefined) return "'re' needs string values as written (put it first)";
      const js = jsRegex(v.raw, '');
      if (typeof js === 'string') return `regular expression /${v.raw}/: ${js}`;
      try {
        new RegExp(js.source, 'u');
      } catch {
        // The `u` flag is only a stricter syntax check; fall back to the plain dialect below.
        try {
          new RegExp(js.source);
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
