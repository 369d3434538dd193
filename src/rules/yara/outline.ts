// A rule file's outline (rule names, tags, global/private, meta value kinds): what the WebAssembly build does not report.

/** How a meta value was written; booleans are kept whole (YARA-X's binding 0.3 hands them back as `unknown`). */
type MetaKind = 'string' | 'number' | boolean;

export interface RuleOutline {
  name: string;
  tags: string[];
  global: boolean;
  private: boolean;
  /** How each meta value was written; the WebAssembly build hands every value back as text. */
  meta: Record<string, MetaKind>;
}

interface Token {
  kind: 'id' | 'str' | 'num' | 'punct' | 'other';
  text: string;
}

/**
 * Tokens of YARA source, skipping comments. Text strings and regular expressions are single tokens, so a
 * brace or the word `rule` inside them is never taken for structure. A `/` starts a regular expression
 * only after `=` or `matches`, where YARA's grammar puts one; elsewhere it is division.
 */
function* tokens(src: string): Generator<Token> {
  let i = 0;
  let prev: Token | undefined;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    let tok: Token;
    const start = i;
    if (c === '"' || (c === '/' && (prev?.text === '=' || prev?.text === 'matches'))) {
      for (i++; i < n && src[i] !== c && src[i] !== '\n'; i++) if (src[i] === '\\') i++;
      i++;
      if (c === '/') while (i < n && /[a-z]/i.test(src[i]!)) i++; // flags: /re/is
      tok = { kind: c === '"' ? 'str' : 'other', text: src.slice(start, i) };
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < n && /\w/.test(src[i]!)) i++;
      tok = { kind: 'id', text: src.slice(start, i) };
    } else if (/[0-9]/.test(c)) {
      while (i < n && /[\w.]/.test(src[i]!)) i++;
      tok = { kind: 'num', text: src.slice(start, i) };
    } else {
      i++;
      tok = { kind: 'punct', text: c };
    }
    prev = tok;
    yield tok;
  }
}

/** Meta entries: `name = "text" | 12 | -3 | true | false`, until the `strings:` or `condition:` section. */
function readMeta(body: Token[], from: number): Record<string, MetaKind> {
  const meta: Record<string, MetaKind> = {};
  for (let i = from; i + 2 < body.length;) {
    const [k, eq, v] = [body[i]!, body[i + 1]!, body[i + 2]!];
    if (k.kind !== 'id' || eq.text !== '=') break;
    const neg = v.text === '-';
    const value = neg ? body[i + 3] : v;
    if (!value) break;
    meta[k.text] =
      value.kind === 'str'
        ? 'string'
        : value.text === 'true' || value.text === 'false'
          ? value.text === 'true'
          : 'number';
    i += neg ? 4 : 3;
  }
  return meta;
}

/**
 * The rules declared in one file, in order. Only used on sources that compiled, so it need not diagnose
 * anything; on text it cannot follow it returns what it found so far.
 */
export function outlineRules(src: string): RuleOutline[] {
  const out: RuleOutline[] = [];
  const it = tokens(src);
  let flags = { global: false, private: false };
  for (let t = it.next(); !t.done; t = it.next()) {
    const tok = t.value;
    if (tok.kind !== 'id') continue;
    if (tok.text === 'global' || tok.text === 'private') {
      flags = { ...flags, [tok.text]: true };
      continue;
    }
    if (tok.text !== 'rule') {
      flags = { global: false, private: false };
      continue;
    }
    const name = it.next();
    if (name.done || name.value.kind !== 'id') break;
    const tags: string[] = [];
    let next = it.next();
    if (!next.done && next.value.text === ':')
      for (next = it.next(); !next.done && next.value.kind === 'id'; next = it.next())
        tags.push(next.value.text);
    if (next.done || next.value.text !== '{') break;
    const body: Token[] = [];
    for (let depth = 1, b = it.next(); !b.done; b = it.next()) {
      if (b.value.text === '{') depth++;
      else if (b.value.text === '}' && --depth === 0) break;
      body.push(b.value);
    }
    const m = body.findIndex((b, i) => b.text === 'meta' && body[i + 1]?.text === ':');
    out.push({ name: name.value.text, tags, ...flags, meta: m < 0 ? {} : readMeta(body, m + 2) });
    flags = { global: false, private: false };
  }
  return out;
}
