// Literals that every log line an indicator could match must contain, so text logs keep skipping the other lines.

import { hostOfUrl } from './normalise.js';
import { parseCidr, formatIPv4 } from '../../core/ip.js';
import type { SourceFields } from './fields.js';
import type { IndicatorStore } from './store.js';

/**
 * Above this many literals the matcher runs on every record instead (one Map get per field). Text logs
 * search the literals with the line kernel, which holds 1,024 for all of a source's matchers. On a 1 GB
 * corpus, 300 addresses from a feed took 3.5 s gated and 6.0 s with every line a record; at 800 the two
 * were even (5.9 s and 6.0 s): digits and dots match everywhere.
 */
const MAX_GATE_LITERALS = 800;
/** A range becomes its /24 (or /16, /8) prefixes when that takes at most this many literals. */
const MAX_PREFIXES_PER_RANGE = 16;

/** `203.0.113.` for a /24, `10.1.` for a /16...; undefined when the range needs too many. */
function prefixesOf(cidr: string): string[] | undefined {
  const r = parseCidr(cidr);
  if (!r || r.v !== 4) return undefined;
  const size = r.end - r.start + 1;
  for (const [block, octets] of [
    [256, 3],
    [65536, 2],
    [16777216, 1],
  ] as const) {
    if (size % block !== 0 && size > block) continue;
    const n = Math.max(1, size / block);
    if (n > MAX_PREFIXES_PER_RANGE) continue;
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const ip = formatIPv4(Math.floor(r.start / block) * block + i * block);
      out.push(ip.split('.').slice(0, octets).join('.') + '.');
    }
    return out;
  }
  return undefined;
}

/** Pieces nearly every browser string has: they would let most lines through the gate. */
const COMMON_UA_TOKENS = new Set([
  'mozilla/5.0',
  '(compatible;',
  '(windows',
  '(x11;',
  '(macintosh;',
  'win64;',
  'x64)',
  'applewebkit/537.36',
  '(khtml,',
  'gecko)',
  'safari/537.36',
]);

/**
 * The longest uncommon piece of a user agent that no log spells differently (IIS writes spaces as `+`,
 * CSV doubles quotes); the longest piece of any kind when all are common.
 */
function uaToken(ua: string): string | undefined {
  const parts = ua.split(/[\s+",]+/).filter((p) => p.length >= 4);
  const longest = (xs: string[]) => xs.reduce((a, b) => (b.length > a.length ? b : a), '');
  const best = longest(parts.filter((p) => !COMMON_UA_TOKENS.has(p))) || longest(parts);
  return best.length >= 4 ? best : undefined;
}

/**
 * Lower-cased literals for one text log, or undefined when a correct short list cannot be made (IPv6
 * indicators, whose log spelling varies; wide ranges; too many values): the matcher then runs on every
 * record. A literal may also occur in lines that do not match; that only costs a lookup.
 */
export function gateLiterals(store: IndicatorStore, f: SourceFields): string[] | undefined {
  const out = new Set<string>();
  for (const ind of store.all()) {
    let lits: string[] | undefined = [];
    switch (ind.type) {
      case 'ip':
        if (f.addresses) lits = ind.value.includes(':') ? undefined : [ind.value];
        break;
      case 'cidr':
        if (f.addresses) lits = prefixesOf(ind.value);
        break;
      case 'user-agent':
        if (f.userAgents) {
          const t = uaToken(ind.value);
          lits = t ? [t] : undefined;
        }
        break;
      case 'domain':
        if (f.uris || f.referers) lits = [ind.value];
        break;
      case 'url':
        if (f.uris || f.referers) {
          const h = hostOfUrl(ind.value);
          lits = h && h.length >= 4 ? [h] : undefined;
        }
        break;
      default:
        break;
    }
    if (!lits) return undefined;
    for (const l of lits) out.add(l.toLowerCase());
    if (out.size > MAX_GATE_LITERALS) return undefined;
  }
  return [...out].sort();
}
