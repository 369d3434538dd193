// `fieldref`: the value names another field of the same record, compared at match time.

import { requireEq } from '../values.js';
import type { Modifier } from '../values.js';

export const fieldrefModifiers: Record<string, Modifier> = {
  fieldref(spec) {
    const bad = requireEq(spec, 'fieldref');
    if (bad) return bad;
    if (spec.applied.some((m) => m !== 'cased' && m !== 'neq' && m !== 'all')) {
      return "'fieldref' must come before value-changing modifiers";
    }
    for (const v of spec.values) {
      if (v.k !== 'str' || v.raw === undefined || v.raw === '') return "'fieldref' needs field names";
    }
    spec.op = 'fieldref';
    return undefined;
  },
};
