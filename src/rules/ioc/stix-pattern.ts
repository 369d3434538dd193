// STIX 2.1 patterning: a tokenizer and recursive-descent parser to disjunctive normal form over comparisons.

export type Literal = string | number | boolean;

export interface Comparison {
  /** Object path normalised: `file:hashes.sha-256`, `network-traffic:extensions.http-request-ext...`. */
  path: string;
  op: '=' | '!=' | '<' | '<=' | '>' | '>=' | 'IN' | 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET' | 'EXISTS';
  negated: boolean;
  values: Literal[];
}

/** OR of ANDs: every inner list must hold together for the pattern to match. */
export type Dnf = Comparison[][];

export class PatternError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(`${message} at column ${column}`);
  }
}

type Tok =
  | { k: 'punct'; v: string; at: number }
  | { k: 'word'; v: string; at: number }
  | { k: 'path'; v: string; at: number }
  | { k: 'lit'; v: Literal; at: number }
  | { k: 'end'; at: number };

const PUNCT = ['!=', '<>', '<=', '>=', '[', ']', '(', ')', ',', '=', '<', '>'];
/** Patterns with more alternatives than this are refused rather than expanded. */
const MAX_TERMS = 10_000;

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const quoted = (from: number): [string, number] => {
    let v = '';
    let j = from + 1;
    for (; j < s.length && s[j] !== "'"; j++) {
      if (s[j] === '\\') {
        j++;
        if (j >= s.length) break;
      }
      v += s[j];
    }
    if (j >= s.length) throw new PatternError('unterminated string', from + 1);
    return [v, j + 1];
  };
  while (i < s.length) {
    const c = s[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i + 1;
    if (c === "'") {
      const [v, next] = quoted(i);
      out.push({ k: 'lit', v, at });
      i = next;
      continue;
    }
    // Typed literals: t'timestamp', h'hex', b'base64' (kept as text; only strings are indexed).
    if (/[thb]/.test(c) && s[i + 1] === "'") {
      const [v, next] = quoted(i + 1);
      out.push({ k: 'lit', v, at });
      i = next;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(s.slice(i));
    if (num && (c === '-' || /\d/.test(c))) {
      out.push({ k: 'lit', v: Number(num[0]), at });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][\w-]*/.exec(s.slice(i));
    if (word && s[i + word[0].length] === ':') {
      const [path, next] = objectPath(s, i);
      out.push({ k: 'path', v: path, at });
      i = next;
      continue;
    }
    if (word) {
      const w = word[0];
      if (w === 'true' || w === 'false') out.push({ k: 'lit', v: w === 'true', at });
      else out.push({ k: 'word', v: w.toUpperCase(), at });
      i += w.length;
      continue;
    }
    const p = PUNCT.find((x) => s.startsWith(x, i));
    if (!p) throw new PatternError(`unexpected ${JSON.stringify(c)}`, at);
    out.push({ k: 'punct', v: p === '<>' ? '!=' : p, at });
    i += p.length;
  }
  out.push({ k: 'end', at: s.length + 1 });
  return out;
}

/** `type:prop.'quoted key'.sub[*]` → lower-cased dotted path without quotes or list indices. */
function objectPath(s: string, from: number): [string, number] {
  const colon = s.indexOf(':', from);
  const parts: string[] = [];
  let i = colon + 1;
  while (i < s.length) {
    if (s[i] === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new PatternError('unterminated path component', i + 1);
      parts.push(s.slice(i + 1, end));
      i = end + 1;
    } else {
      const m = /^[A-Za-z0-9_-]+/.exec(s.slice(i));
      if (!m) throw new PatternError('bad object path', i + 1);
      parts.push(m[0]);
      i += m[0].length;
    }
    const idx = /^\[(\*|\d+)\]/.exec(s.slice(i));
    if (idx) i += idx[0].length;
    if (s[i] !== '.') break;
    i++;
  }
  return [`${s.slice(from, colon).toLowerCase()}:${parts.join('.').toLowerCase()}`, i];
}

function and(a: Dnf, b: Dnf, at: number): Dnf {
  if (a.length * b.length > MAX_TERMS) throw new PatternError('pattern expands to too many alternatives', at);
  const out: Dnf = [];
  for (const x of a) for (const y of b) out.push([...x, ...y]);
  return out;
}

/** Parses a STIX pattern into OR-of-AND form; qualifiers (WITHIN, START/STOP, REPEATS) are read and dropped. */
export function parsePattern(pattern: string): Dnf {
  const toks = tokenize(pattern);
  let pos = 0;
  const peek = () => toks[pos]!;
  const isWord = (w: string) => {
    const t = peek();
    return t.k === 'word' && t.v === w;
  };
  const isPunct = (p: string) => {
    const t = peek();
    return t.k === 'punct' && t.v === p;
  };
  const expect = (p: string) => {
    if (!isPunct(p)) throw new PatternError(`expected ${p}`, peek().at);
    pos++;
  };
  const binary = (next: () => Dnf, op: string, combine: (a: Dnf, b: Dnf, at: number) => Dnf) => () => {
    let a = next();
    while (isWord(op)) {
      const at = peek().at;
      pos++;
      a = combine(a, next(), at);
    }
    return a;
  };
  const or = (a: Dnf, b: Dnf, at: number) => {
    if (a.length + b.length > MAX_TERMS) throw new PatternError('too many alternatives', at);
    return [...a, ...b];
  };

  const literal = (): Literal => {
    const t = peek();
    if (t.k !== 'lit') throw new PatternError('expected a literal', t.at);
    pos++;
    return t.v;
  };
  const test = (): Dnf => {
    if (isPunct('(')) {
      pos++;
      const inner = cmpOr();
      expect(')');
      return inner;
    }
    if (isWord('EXISTS')) {
      pos++;
      const t = peek();
      if (t.k !== 'path') throw new PatternError('expected an object path', t.at);
      pos++;
      return [[{ path: t.v, op: 'EXISTS', negated: false, values: [] }]];
    }
    const t = peek();
    if (t.k !== 'path') throw new PatternError('expected an object path', t.at);
    pos++;
    let negated = false;
    if (isWord('NOT')) {
      negated = true;
      pos++;
    }
    const o = peek();
    let op: Comparison['op'];
    let values: Literal[];
    if (o.k === 'punct' && ['=', '!=', '<', '<=', '>', '>='].includes(o.v)) {
      pos++;
      op = o.v as Comparison['op'];
      values = [literal()];
    } else if (o.k === 'word' && ['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'].includes(o.v)) {
      pos++;
      op = o.v as Comparison['op'];
      values = [literal()];
    } else if (o.k === 'word' && o.v === 'IN') {
      pos++;
      expect('(');
      values = [literal()];
      while (isPunct(',')) {
        pos++;
        values.push(literal());
      }
      expect(')');
      op = 'IN';
    } else throw new PatternError('expected a comparison operator', o.at);
    return [[{ path: t.v, op, negated, values }]];
  };
  const cmpAnd = binary(test, 'AND', and);
  const cmpOr = binary(cmpAnd, 'OR', or);

  const qualifiers = () => {
    for (;;) {
      if (isWord('WITHIN')) {
        pos++;
        literal();
        if (!isWord('SECONDS')) throw new PatternError('expected SECONDS', peek().at);
        pos++;
      } else if (isWord('REPEATS')) {
        pos++;
        literal();
        if (!isWord('TIMES')) throw new PatternError('expected TIMES', peek().at);
        pos++;
      } else if (isWord('START')) {
        pos++;
        literal();
        if (!isWord('STOP')) throw new PatternError('expected STOP', peek().at);
        pos++;
        literal();
      } else return;
    }
  };
  const observation = (): Dnf => {
    let out: Dnf;
    if (isPunct('[')) {
      pos++;
      out = cmpOr();
      expect(']');
    } else if (isPunct('(')) {
      pos++;
      out = followed();
      expect(')');
    } else throw new PatternError('expected [ or (', peek().at);
    qualifiers();
    return out;
  };
  // Observation AND and FOLLOWEDBY both need every part to be seen: for indexing they are the same.
  const obsAnd = binary(observation, 'AND', and);
  const obsOr = binary(obsAnd, 'OR', or);
  const followed = binary(obsOr, 'FOLLOWEDBY', and);

  const dnf = followed();
  if (peek().k !== 'end') throw new PatternError('unexpected text after the pattern', peek().at);
  return dnf;
}
