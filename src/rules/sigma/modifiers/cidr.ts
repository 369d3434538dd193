// `cidr`: the value is an IPv4 or IPv6 network; the field must hold an address inside it.

import { parseCidr } from '../ip.js';
import { requireEq } from '../values.js';
import type { Modifier } from '../values.js';

export const cidrModifiers: Record<string, Modifier> = {
  cidr(spec) {
    const bad = requireEq(spec, 'cidr');
    if (bad) return bad;
    for (const v of spec.values) {
      if (v.k !== 'str' || v.raw === undefined || !parseCidr(v.raw)) {
        return `'cidr' needs networks such as 10.0.0.0/8 or fd00::/8, not ${JSON.stringify(v.k === 'str' ? v.raw : v)}`;
      }
    }
    spec.op = 'cidr';
    return undefined;
  },
};
