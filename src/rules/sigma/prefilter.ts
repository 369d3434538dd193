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

/**
 * What a line must hold for the rule to match, as the line kernel checks it: one of `any` (the literals
 * `requiredLiterals` proves), and also, for each set in `also`, one of its literals. The extra sets are
 * other conditions the rule needs at the same time (`all of selection_*`, `contains|all`), kept only when
 * every literal of the set has four characters or more and is not on nearly every line (`@` or `get` would
 * pass most lines anyway); they are checked only on lines that hold one of `any`, so a piece common in the
 * log as a whole (`/ews`) still cuts where it is rare beside `any` (`autodiscover.json`). Undefined when `requiredLiterals` proves nothing.
 */
export interface LiteralClauses {
  any: string[];
  also: string[][];
}

/** At most this many extra sets per rule, each of at most this many literals. */
const MAX_ALSO = 3;
const MAX_ALSO_LITERALS = 16;

export function literalClauses(rule: SigmaRule): LiteralClauses | undefined {
  const any = requiredLiterals(rule);
  if (!any) return undefined;
  const ids = rule.detection.identifiers;
  const names = Object.keys(ids);
  // Every set in a node's list is needed for the node to hold (a conjunction of disjunctions).
  const nodeAll = (n: DetectionNode): string[][] => {
    switch (n.t) {
      case 'field':
        return fieldAll(n);
      case 'and':
        return n.items.flatMap(nodeAll);
      case 'or':
        return anyOf(n.items.map(nodeAll));
    }
  };
  const cond = (c: ConditionNode): string[][] => {
    switch (c.t) {
      case 'id': {
        const d = ids[c.name];
        return d ? nodeAll(d) : [];
      }
      case 'and':
        return c.items.flatMap(cond);
      case 'not':
        return [];
      case 'of': {
        const picked = resolveOf(c.pattern, names).map((name) => (ids[name] ? nodeAll(ids[name]) : []));
        return c.all ? picked.flat() : anyOf(picked);
      }
      case 'or':
        return anyOf(c.items.map(cond));
    }
  };
  // Several conditions: a set is needed only when every condition needs it.
  const per = rule.detection.conditions.map((c) => cond(c).filter(selective));
  const key = (s: string[]) => [...s].sort().join('\u0000');
  const anyKey = key(any);
  const also: string[][] = [];
  const seen = new Set<string>([anyKey]);
  for (const s of per[0] ?? []) {
    const k = key(s);
    if (seen.has(k) || !per.every((p) => p.some((x) => key(x) === k))) continue;
    seen.add(k);
    also.push(s);
    if (also.length === MAX_ALSO) break;
  }
  return { any, also };
}

function selective(s: Req): s is string[] {
  return (
    !!s && s.length > 0 && s.length <= MAX_ALSO_LITERALS && s.every((l) => l.length >= 3 && weight(l) > 0)
  );
}

/** Sets past which a disjunction's product is not formed (each set is then the union of the branches' best). */
const MAX_PRODUCT = 16;

/**
 * The sets needed by a disjunction of branches, each given as the sets it needs: one holds whichever
 * branch matched, so for each choice of one set per branch, their union is needed. Nothing when a branch
 * needs nothing provable.
 */
function anyOf(branches: string[][][]): string[][] {
  if (branches.length === 0 || branches.some((b) => b.length === 0)) return [];
  let acc: string[][] = [[]];
  for (const b of branches) {
    if (acc.length * b.length > MAX_PRODUCT) {
      const u = union(branches.map((x) => best(x)));
      return u ? [u] : [];
    }
    acc = acc.flatMap((a) => b.map((c) => union([a.length > 0 ? a : undefined, c].filter((x) => x !== undefined)) ?? [])); // prettier-ignore
  }
  return acc.filter((x) => x.length > 0);
}

/**
 * `contains|all`: each value's literal is needed on its own; otherwise the one disjunction fieldReq gives.
 * A regular expression gives the literal pieces it cannot match without (see `regexLiterals`).
 */
function fieldAll(n: FieldNode): string[][] {
  let spec;
  try {
    spec = buildSpec(n, { placeholders: undefined });
  } catch {
    return [];
  }
  if (spec.negate || spec.timePart || spec.applied.includes('expand')) return [];
  if (spec.op === 're') {
    const each = spec.values.map((v) =>
      v.k === 'str' && v.raw !== undefined ? regexLiterals(v.raw) : undefined,
    );
    // One pattern (or all of them needed): each of its pieces is needed; of several, one pattern's best.
    if (spec.all || each.length === 1) return each.flatMap((p) => (p ?? []).map((l) => [l]));
    const bests = each.map((p) => (p ? bestPiece(p) : undefined));
    const u = bests.every((l) => l !== undefined) ? union(bests.map((l) => [l])) : undefined;
    return u ? [u] : [];
  }
  if (spec.op !== 'eq') return [];
  if (!spec.all) {
    const r = fieldReq(n);
    return r ? [r] : [];
  }
  return spec.values.map((v) => valueLiteral(v, n.field === undefined)).filter((l) => l !== undefined).map((l) => [l]); // prettier-ignore
}

/**
 * Lower-cased literal pieces every match of the regular expression contains (cut where a field value may
 * be written otherwise, as for plain values), or undefined. Only the top level counts:
 * groups and classes end a piece, a character before `?`, `*` or `{` is left out, and an alternation at
 * the top level, or an escape that is not a punctuation character, proves nothing.
 */
export function regexLiterals(src: string): string[] | undefined {
  const runs: string[] = [];
  let run = '';
  const end = () => {
    if (run) runs.push(run);
    run = '';
  };
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '\\') {
      const e = src[++i];
      if (e === undefined) return undefined;
      if (depth > 0) continue;
      if (/[A-Za-z]/.test(e) && 'dDwWsSbB'.includes(e)) end();
      else if (/[A-Za-z0-9]/.test(e)) return undefined;
      else run += e;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (src[j] === '^') j++;
      if (src[j] === ']') j++;
      while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) return undefined;
      i = j;
      if (depth === 0) end();
      continue;
    }
    if (c === '(') {
      if (depth === 0) end();
      depth++;
      continue;
    }
    if (c === ')') {
      if (--depth < 0) return undefined;
      continue;
    }
    if (depth > 0) continue;
    if (c === '|') return undefined;
    if (c === '?' || c === '*' || c === '{') {
      run = run.slice(0, -1);
      end();
      if (c === '{') {
        const close = src.indexOf('}', i);
        if (close < 0) return undefined;
        i = close;
      }
      continue;
    }
    if (c === '+' || c === '^' || c === '$' || c === '.') {
      end();
      continue;
    }
    run += c;
  }
  if (depth !== 0) return undefined;
  end();
  return runs.flatMap((r) => split(r.toLowerCase(), false));
}
