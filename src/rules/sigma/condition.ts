// Sigma condition expressions: tokenizer and precedence parser (or < and < not < x of < parentheses).

import type { ConditionNode } from './model.js';

export class ConditionError extends Error {
  constructor(
    message: string,
    /** 0-based character offset in the condition text. */
    readonly offset: number,
    /** Error code for reports: a Sigma 1 aggregation is told apart from a broken expression. */
    readonly code = 'sigma.condition',
  ) {
    super(message);
  }
}

type Tok = { k: 'lp' | 'rp' | 'word' | 'pipe'; v: string; at: number };

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all', '1', 'any']);

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ k: c === '(' ? 'lp' : 'rp', v: c, at: i });
      i++;
    } else if (c === '|') {
      out.push({ k: 'pipe', v: c, at: i });
      i++;
    } else {
      const start = i;
      while (i < s.length && !' \t\r\n()|'.includes(s[i] as string)) i++;
      out.push({ k: 'word', v: s.slice(start, i), at: start });
    }
  }
  return out;
}

/** Parse one condition string. Throws ConditionError with the offset of the problem. */
export function parseCondition(text: string): ConditionNode {
  const toks = tokenize(text);
  let i = 0;
  const peek = (): Tok | undefined => toks[i];
  const word = (t: Tok | undefined): string | undefined => (t?.k === 'word' ? t.v.toLowerCase() : undefined);
  const fail = (msg: string, t?: Tok): never => {
    throw new ConditionError(msg, t ? t.at : text.length);
  };

  const pipe = toks.find((t) => t.k === 'pipe');
  if (pipe) {
    throw new ConditionError(
      'aggregation expressions (`| count() ...`) are obsolete in Sigma 2; use a correlation rule',
      pipe.at,
      'sigma.aggregation',
    );
  }

  function orExpr(): ConditionNode {
    const items = [andExpr()];
    while (word(peek()) === 'or') {
      i++;
      items.push(andExpr());
    }
    return items.length === 1 ? (items[0] as ConditionNode) : { t: 'or', items };
  }
  function andExpr(): ConditionNode {
    const items = [notExpr()];
    while (word(peek()) === 'and') {
      i++;
      items.push(notExpr());
    }
    return items.length === 1 ? (items[0] as ConditionNode) : { t: 'and', items };
  }
  function notExpr(): ConditionNode {
    if (word(peek()) === 'not') {
      i++;
      return { t: 'not', item: notExpr() };
    }
    return primary();
  }
  function primary(): ConditionNode {
    const t = peek();
    if (!t) return fail('unexpected end of condition');
    if (t.k === 'lp') {
      i++;
      const e = orExpr();
      if (peek()?.k !== 'rp') fail('missing closing parenthesis', peek());
      i++;
      return e;
    }
    if (t.k === 'rp') return fail('unexpected closing parenthesis', t);
    const w = t.v.toLowerCase();
    if (w === '1' || w === 'all' || w === 'any') {
      i++;
      if (word(peek()) !== 'of') fail(`expected 'of' after '${t.v}'`, peek());
      i++;
      const target = peek();
      if (target?.k !== 'word') return fail("expected an identifier pattern or 'them' after 'of'", target);
      i++;
      const tw = target.v.toLowerCase();
      if (KEYWORDS.has(tw) && tw !== 'them') fail(`unexpected '${target.v}' after 'of'`, target);
      return { t: 'of', all: w === 'all', pattern: tw === 'them' ? 'them' : target.v };
    }
    if (/^[0-9]+$/.test(w)) fail(`only '1 of' and 'all of' are defined, not '${t.v} of'`, t);
    if (w === 'near') fail("'near' is obsolete in Sigma 2; use a temporal correlation rule", t);
    if (KEYWORDS.has(w)) fail(`unexpected '${t.v}'`, t);
    i++;
    return { t: 'id', name: t.v };
  }

  if (toks.length === 0) fail('empty condition');
  const node = orExpr();
  if (i < toks.length) fail(`unexpected '${(toks[i] as Tok).v}'`, toks[i]);
  return node;
}

/** Identifier names a condition node mentions directly (not through `of`), for validation. */
export function conditionIdentifiers(n: ConditionNode, out: Set<string> = new Set()): Set<string> {
  switch (n.t) {
    case 'id':
      out.add(n.name);
      break;
    case 'and':
    case 'or':
      for (const c of n.items) conditionIdentifiers(c, out);
      break;
    case 'not':
      conditionIdentifiers(n.item, out);
      break;
    case 'of':
      break;
  }
  return out;
}

/** Identifiers an `of` pattern selects: `them` is every identifier not starting with `_`. */
export function resolveOf(pattern: string, identifiers: readonly string[]): string[] {
  if (pattern === 'them') return identifiers.filter((n) => !n.startsWith('_'));
  if (!pattern.includes('*')) return identifiers.filter((n) => n === pattern);
  const parts = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`^${parts.join('.*')}$`, 's');
  return identifiers.filter((n) => re.test(n));
}
