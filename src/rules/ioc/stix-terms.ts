// Which STIX comparisons exhunt can look for in Exchange evidence, and the indicator values they give.

import { classify } from './normalise.js';
import type { Comparison, Dnf } from './stix-pattern.js';
import type { IndicatorType } from './types.js';

interface Term {
  type: IndicatorType;
  value: string;
}

/** Most specific first: the term a conjunction is indexed by. */
const SPECIFICITY: IndicatorType[] = [
  'sha256',
  'sha1',
  'md5',
  'filepath',
  'url',
  'ip',
  'cidr',
  'domain',
  'user-agent',
  'filename',
];

const ADDRESS_PATHS = new Set([
  'ipv4-addr:value',
  'ipv6-addr:value',
  'network-traffic:src_ref.value',
  'network-traffic:dst_ref.value',
]);
const UA_PATH = 'network-traffic:extensions.http-request-ext.request_header.user-agent';

/** The values one comparison names, or undefined when exhunt cannot check it (negations, LIKE, ...). */
function termsOf(c: Comparison): Term[] | undefined {
  if (c.negated) return undefined;
  const strings = c.values.filter((v): v is string => typeof v === 'string');
  if (strings.length === 0) return undefined;
  const eq = c.op === '=' || c.op === 'IN';
  let type: IndicatorType | undefined;
  if (ADDRESS_PATHS.has(c.path)) {
    if (c.op === 'ISSUBSET') type = 'cidr';
    else if (eq)
      type = undefined; // an address, a range or (for network-traffic refs) a domain: detected
    else return undefined;
  } else if (!eq) return undefined;
  else if (c.path === 'domain-name:value') type = 'domain';
  else if (c.path === 'url:value') type = 'url';
  else if (c.path === 'file:name') type = 'filename';
  else if (c.path === UA_PATH) type = 'user-agent';
  else if (c.path.startsWith('file:hashes.')) {
    const alg = c.path.slice('file:hashes.'.length).replace(/-/g, '');
    if (alg === 'md5') type = 'md5';
    else if (alg === 'sha1') type = 'sha1';
    else if (alg === 'sha256') type = 'sha256';
    else return undefined;
  } else return undefined;
  const out: Term[] = [];
  for (const s of strings) {
    const r = classify(type, s);
    if ('error' in r) return undefined;
    if (type === undefined && !['ip', 'cidr', 'domain'].includes(r.type)) return undefined;
    out.push(r);
  }
  return out;
}

interface IndexedTerms {
  /** One entry per alternative that names something checkable: the values to index it by. */
  terms: Term[];
  /** Some alternative had other conditions than the indexed one (an AND): they were not checked. */
  partial: boolean;
  /** Alternatives with nothing exhunt can check. */
  unsupported: number;
}

/**
 * Indexes each AND-group by its most specific checkable comparison. A group like `file:name = 'x' AND
 * file:hashes.'SHA-256' = '...'` is found by its hash; the name is then not required, which errs towards
 * reporting (a hash match is decisive anyway). `file:parent_directory_ref.path` with `file:name` gives a path.
 */
export function indexTerms(dnf: Dnf): IndexedTerms {
  const out: IndexedTerms = { terms: [], partial: false, unsupported: 0 };
  for (const group of dnf) {
    const options = group.map((c) => ({ c, terms: termsOf(c) }));
    const dir = group.find((c) => c.path === 'file:parent_directory_ref.path' && c.op === '=' && !c.negated);
    const name = options.find((o) => o.c.path === 'file:name' && o.terms);
    if (dir && name?.terms && typeof dir.values[0] === 'string') {
      const joined = name.terms.map((t) => classify('filepath', `${String(dir.values[0])}\\${t.value}`));
      name.terms = joined.flatMap((r) => ('error' in r ? [] : [r]));
    }
    let best: Term[] | undefined;
    let rank = Infinity;
    for (const o of options) {
      const r = o.terms && o.terms.length > 0 ? SPECIFICITY.indexOf(o.terms[0]!.type) : -1;
      if (r >= 0 && r < rank) [best, rank] = [o.terms, r];
    }
    if (!best) {
      out.unsupported++;
      continue;
    }
    // A folder joined with a name is one condition; anything else beside the indexed term goes unchecked.
    if (group.length > (dir && name?.terms ? 2 : 1)) out.partial = true;
    for (const t of best)
      if (!out.terms.some((x) => x.type === t.type && x.value === t.value)) out.terms.push(t);
  }
  return out;
}
