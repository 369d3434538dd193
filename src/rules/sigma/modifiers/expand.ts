// `expand`: `%name%` placeholders replaced by the configured values (one value per combination).

import { normalizeParts, parseSigmaString, requireEq } from '../values.js';
import type { Modifier, Part, SigmaValue } from '../values.js';

/** Split the literal runs of a value into text and `%name%` placeholders; `\%` is a plain percent. */
function splitPlaceholders(parts: readonly Part[]): (Part | { ph: string })[] | string {
  const out: (Part | { ph: string })[] = [];
  for (const p of parts) {
    if (typeof p !== 'string') {
      out.push(p);
      continue;
    }
    let text = '';
    for (let i = 0; i < p.length; i++) {
      const c = p[i] as string;
      if (c === '\\' && p[i + 1] === '%') {
        text += '%';
        i++;
      } else if (c === '%') {
        const end = p.indexOf('%', i + 1);
        if (end < 0) return `unterminated placeholder in '${p}'`;
        out.push(text, { ph: p.slice(i + 1, end) });
        text = '';
        i = end;
      } else text += c;
    }
    out.push(text);
  }
  return out;
}

const MAX_VARIANTS = 10000;

export const expandModifiers: Record<string, Modifier> = {
  expand(spec, ctx) {
    const bad = requireEq(spec, 'expand');
    if (bad) return bad;
    const out: SigmaValue[] = [];
    for (const v of spec.values) {
      if (v.k !== 'str') {
        out.push(v);
        continue;
      }
      const pieces = splitPlaceholders(v.parts);
      if (typeof pieces === 'string') return pieces;
      // While only checking a rule, placeholders are not known: keep the value, decide at compile.
      if (ctx.placeholders === undefined) {
        out.push(v);
        continue;
      }
      let variants: Part[][] = [[]];
      for (const piece of pieces) {
        if (typeof piece === 'string' || typeof piece === 'number') {
          for (const x of variants) x.push(piece);
          continue;
        }
        const vals = ctx.placeholders[piece.ph];
        if (!vals || vals.length === 0) return `placeholder '%${piece.ph}%' has no configured values`;
        // Configured values are Sigma strings themselves: they may carry wildcards.
        const parsed = vals.map((s) => parseSigmaString(s).parts);
        variants = variants.flatMap((x) => parsed.map((pp) => [...x, ...pp]));
        if (variants.length > MAX_VARIANTS) return `placeholders expand to over ${MAX_VARIANTS} values`;
      }
      for (const parts of variants) out.push({ k: 'str', parts: normalizeParts(parts) });
    }
    spec.values = out;
    return undefined;
  },
};
