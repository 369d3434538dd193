// Required literals for a text prefilter: strings of which at least one must occur in any matching record.

import type { ConditionNode, DetectionNode, SigmaRule } from './model.js';
import { resolveOf } from './condition.js';
import { buildSpec } from './spec.js';
import type { FieldNode } from './spec.js';
import type { SigmaValue } from './values.js';

/** A disjunction of lower-cased literals, or undefined when nothing can be proven. */
type Req = string[] | undefined;

/**
 * Characters a source may write differently from the field value it reports: escaping (`"` in CSV,
 * `&<>'` in XML, `\` in JSON), IIS's `+` for space, the `?` that joins the virtual `cs-uri`, controls and
 * non-ASCII (case folding of some letters depends on context). Field literals are cut at these.
 * Keywords are searched in the same text the prefilter reads, so only case folding needs care there.
 */
const FIELD_UNSAFE = new Set([...'+"\'&<>\\?']);

function split(s: string, keyword: boolean): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : -1;
    const cut = c === -1 || c >= 0x7f || (!keyword && (c <= 0x20 || FIELD_UNSAFE.has(s[i] as string)));
    if (cut) {
      if (i > start) out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  return out;
}

function bestPiece(pieces: string[]): string | undefined {
  let best: string | undefined;
  for (const p of pieces) if (p !== '' && (best === undefined || p.length > best.length)) best = p;
  return best;
}

/** One literal that every match of this value must contain, or undefined. */
function valueLiteral(v: SigmaValue, keyword: boolean): string | undefined {
  if (v.k === 'num') return String(Math.abs(v.n));
  if (v.k !== 'str' || v.bytes) return undefined;
  const pieces = v.parts.flatMap((p) => (typeof p === 'string' ? split(p.toLowerCase(), keyword) : []));
  return bestPiece(pieces);
}

/**
 * Pieces that many lines of an Exchange server's web logs contain (its own pages, services, methods and
 * status codes). A set with one of them, or a piece of one, lets a large share of lines through the gate,
 * however long its literals are: `.aspx` is on every OWA page, `.asmx` on every EWS call. Those of the
 * first list are on nearly every line.
 */
const ON_NEARLY_EVERY_LINE = ['get', 'post', '200', 'mozilla/', 'microsoft', 'windows', 'http/1.1'];
const FREQUENT_IN_WEB_LOGS = [
  '.aspx',
  '.asmx',
  '.ashx',
  '.svc',
  '.js',
  '.css',
  '.png',
  '.gif',
  '.eas',
  '/owa/',
  '/ecp/',
  '/ews/',
  '/mapi/',
  '/rpc/',
  '/oab/',
  '/autodiscover/',
  '/microsoft-server-activesync/',
  '/rpcwithcert/',
  'autodiscover.xml',
  'exchange.asmx',
  'emsmdb',
  'nspi',
  'rpc_in_data',
  'rpc_out_data',
  'outlook',
  'android',
  'iphone',
  'anonymous',
  'negotiate',
  'ntlm',
  'kerberos',
  '302',
  '401',
  '404',
  '440',
  '500',
];

/** How long a literal counts for when choosing between sets: a common piece counts as 0 or 1 character. */
function weight(literal: string): number {
  if (ON_NEARLY_EVERY_LINE.some((c) => c.includes(literal))) return 0;
  if (FREQUENT_IN_WEB_LOGS.some((c) => c.includes(literal))) return 1;
  return literal.length;
}

/** Pick the most selective of several sufficient sets: the heaviest lightest literal, then the fewest. */
function best(sets: Req[]): Req {
  let out: Req;
  let score = -1;
  for (const s of sets) {
    if (!s || s.length === 0) continue;
    const sc = Math.min(...s.map(weight)) * 1000 - s.length;
    if (sc > score) {
      score = sc;
      out = s;
    }
  }
  return out;
}

function union(sets: Req[]): Req {
  const all = new Set<string>();
  for (const s of sets) {
    if (!s) return undefined;
    for (const x of s) all.add(x);
  }
  // If a literal contains another one of the set, the shorter already covers it.
  const list = [...all].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  const out: string[] = [];
  for (const x of list) if (!out.some((y) => x.includes(y))) out.push(x);
  return out.length > 0 ? out : undefined;
}

function fieldReq(n: FieldNode): Req {
  let spec;
  try {
    spec = buildSpec(n, { placeholders: undefined });
  } catch {
    return undefined;
  }
  if (spec.op !== 'eq' || spec.negate || spec.timePart || spec.applied.includes('expand')) return undefined;
  const lits = spec.values.map((v) => valueLiteral(v, n.field === undefined));
  if (lits.some((l) => l === undefined)) {
    // With `all`, any one value's literal is enough; otherwise every value must give one.
    if (!spec.all) return undefined;
  }
  const sets = lits.filter((l): l is string => l !== undefined).map((l) => [l]);
  return spec.all ? best(sets) : union(sets);
}

function nodeReq(n: DetectionNode): Req {
  switch (n.t) {
    case 'field':
      return fieldReq(n);
    case 'and':
      return best(n.items.map(nodeReq));
    case 'or':
      return union(n.items.map(nodeReq));
  }
}

/**
 * Lower-cased literals such that any record the rule matches contains at least one of them in its
 * lower-cased `text()`; undefined when no such set can be proven (negations, regex, numeric compares).
 * Assumes sources write field values verbatim in the text except for the characters cut above.
 */
export function requiredLiterals(rule: SigmaRule): string[] | undefined {
  const ids = rule.detection.identifiers;
  const names = Object.keys(ids);
  const memo = new Map<string, Req>();
  const ident = (name: string): Req => {
    if (!memo.has(name)) {
      const d = ids[name];
      memo.set(name, d ? nodeReq(d) : undefined);
    }
    return memo.get(name);
  };
  const cond = (c: ConditionNode): Req => {
    switch (c.t) {
      case 'id':
        return ident(c.name);
      case 'and':
        return best(c.items.map(cond));
      case 'or':
        return union(c.items.map(cond));
      case 'not':
        return undefined;
      case 'of': {
        const sets = resolveOf(c.pattern, names).map(ident);
        return c.all ? best(sets) : union(sets);
      }
    }
  };
  return union(rule.detection.conditions.map(cond));
}
