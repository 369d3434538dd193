// Generic modifiers: all, contains, startswith, endswith, exists, cased, neq.

import { STAR, mapStrings, normalizeParts, requireEq } from '../values.js';
import type { Modifier, Part, ValueSpec } from '../values.js';

function position(name: 'contains' | 'startswith' | 'endswith', before: boolean, after: boolean): Modifier {
  return (spec: ValueSpec) => {
    if (spec.op === 'fieldref') {
      if (spec.refMode !== 'eq') return `'${name}' cannot follow '${spec.refMode}'`;
      spec.refMode = name;
      return undefined;
    }
    const bad = requireEq(spec, name);
    if (bad) return bad;
    return mapStrings(spec, name, (v) => {
      const parts: Part[] = [...v.parts];
      if (before && parts[0] !== STAR) parts.unshift(STAR);
      if (after && parts[parts.length - 1] !== STAR) parts.push(STAR);
      return { ...v, parts: normalizeParts(parts) };
    });
  };
}

export const genericModifiers: Record<string, Modifier> = {
  all(spec) {
    spec.all = true;
    return undefined;
  },
  contains: position('contains', true, true),
  startswith: position('startswith', false, true),
  endswith: position('endswith', true, false),
  exists(spec) {
    const v = spec.values;
    if (spec.applied.length > 0) return "'exists' must be the only modifier";
    if (v.length !== 1 || v[0]?.k !== 'bool') return "'exists' takes one boolean value";
    spec.op = 'exists';
    return undefined;
  },
  cased(spec) {
    spec.cased = true;
    return undefined;
  },
  // Each value's test is negated and the usual list linkage applies, so `neq: [a, b]` means
  // "not a OR not b"; use `neq|all` (or a filter selection) for "neither". A missing field is unequal.
  neq(spec) {
    spec.negate = true;
    return undefined;
  },
};
