// A small, tolerant XML reader for configuration files: elements, attributes and line numbers, nothing more.

export interface XmlElement {
  /** Lower-cased tag name (IIS configuration names are case-sensitive, but hand edits are not always). */
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  line: number;
  /** The element sits inside an XML comment (a commented-out rule, say). */
  commented: boolean;
}

interface XmlTree extends XmlElement {
  /** Where reading stopped early, and why: a tag that never ends, or too many elements. */
  stopped?: { line: number; why: string };
}

/** A web.config holds hundreds of elements; a file with more is not one, and is not held whole in memory. */
export const MAX_ELEMENTS = 100_000;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQ = 0x3d;
const BANG = 0x21;
const QUERY = 0x3f;
const DQ = 0x22;
const SQ = 0x27;
const NL = 0x0a;
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === NL || c === 0x0d;
/** Characters that end a tag or attribute name. */
const endsName = (c: number) => isSpace(c) || c === SLASH || c === GT || c === EQ || c === LT;
const codesOf = (s: string) => Array.from(s, (ch) => ch.charCodeAt(0));
const COMMENT = codesOf('<!--');
const COMMENT_END = codesOf('-->');
const CDATA = codesOf('<![CDATA[');
const CDATA_END = codesOf(']]>');

/**
 * The text as UTF-16 code units in a typed array, scanned by index. String searches (`indexOf`,
 * `startsWith`, `text[i]`) were linear when tried alone, but after other large inputs V8's optimised code
 * for them went quadratic on some runs: 4 MiB of '<' took minutes. Plain loops over an array stay linear.
 */
class Text {
  readonly codes: Uint16Array;
  private readonly buf: Buffer;

  constructor(s: string) {
    // A fresh buffer is 8-byte aligned, as a Uint16Array view needs.
    this.buf = Buffer.from(s, 'utf16le');
    this.codes = new Uint16Array(this.buf.buffer, this.buf.byteOffset, this.buf.length >> 1);
  }

  get length(): number {
    return this.codes.length;
  }

  str(from: number, to: number): string {
    return this.buf.toString('utf16le', 2 * from, 2 * Math.max(from, to));
  }

  find(c: number, from: number, to = this.codes.length): number {
    for (let i = from; i < to; i++) if (this.codes[i] === c) return i;
    return -1;
  }

  at(seq: number[], i: number): boolean {
    for (let k = 0; k < seq.length; k++) if (this.codes[i + k] !== seq[k]) return false;
    return true;
  }

  /** First `seq` at or after `from` and before `to`; the first code is looked for by `find`. */
  findSeq(seq: number[], from: number, to = this.codes.length): number {
    for (let i = this.find(seq[0]!, from, to); i >= 0; i = this.find(seq[0]!, i + 1, to))
      if (i + seq.length <= to && this.at(seq, i)) return i;
    return -1;
  }
}

/**
 * Parses into a tree under a synthetic root. Unclosed tags are closed at the end, stray closing tags are
 * ignored, and comments are parsed too so that commented-out configuration can be reported as such.
 * One pass, each character looked at a bounded number of times: a hostile file (64 MiB of `<a`, a million
 * nested elements) costs time in proportion to its size, and nothing recurses on its depth.
 */
export function parseXml(text: string, baseLine = 1): XmlTree {
  const t = new Text(text);
  return parseRange(t, 0, t.length, baseLine, false);
}

function parseRange(t: Text, from: number, to: number, baseLine: number, commented: boolean): XmlTree {
  const c = t.codes;
  const root: XmlTree = { name: '#root', attrs: {}, children: [], line: baseLine, commented };
  const stack: XmlElement[] = [root];
  /** How many elements of each name are open: a closing tag with none open costs nothing. */
  const open = new Map<string, number>();
  let lineAt = from;
  let line = baseLine;
  let count = 0;
  const lineOf = (offset: number) => {
    for (; lineAt < offset; lineAt++) if (c[lineAt] === NL) line++;
    return line;
  };
  const after = (seq: number[], at: number) => {
    const e = t.findSeq(seq, at, to);
    return e < 0 ? to : e + seq.length;
  };
  for (let i = t.find(LT, from, to); i >= 0 && i < to; i = t.find(LT, i, to)) {
    const at = lineOf(i);
    const top = stack[stack.length - 1]!;
    const next = i + 1 < to ? c[i + 1] : -1;
    if (next === BANG && i + 4 <= to && t.at(COMMENT, i)) {
      const end = t.findSeq(COMMENT_END, i + 4, to);
      const bodyEnd = end < 0 ? to : end;
      // A comment may hold configuration someone disabled; comments inside it are not looked into again.
      if (!commented && t.find(LT, i + 4, bodyEnd) >= 0)
        top.children.push(...parseRange(t, i + 4, bodyEnd, at, true).children);
      i = end < 0 ? to : end + 3;
    } else if (next === BANG && i + 9 <= to && t.at(CDATA, i)) i = after(CDATA_END, i);
    else if (next === QUERY || next === BANG) {
      const e = t.find(GT, i, to);
      i = e < 0 ? to : e + 1;
    } else if (next === SLASH) {
      const end = t.find(GT, i, to);
      if (end < 0) break;
      let n = i + 2;
      while (n < end && isSpace(c[n]!)) n++;
      const name = t.str(n, nameEnd(t, n, end)).toLowerCase();
      if ((open.get(name) ?? 0) > 0) {
        // Closes the innermost open element of that name, and any left unclosed inside it.
        for (let el = stack.pop(); el && el.name !== name; el = stack.pop())
          open.set(el.name, open.get(el.name)! - 1);
        open.set(name, open.get(name)! - 1);
      }
      i = end + 1;
    } else {
      const ne = nameEnd(t, i + 1, to);
      const name = t.str(i + 1, ne);
      if (!name || name.includes('!') || name.includes('?')) {
        i++;
        continue;
      }
      const end = tagEnd(t, ne, to);
      if (end < 0) {
        root.stopped = { line: at, why: 'a tag never ends (a quote left open)' };
        break;
      }
      if (++count > MAX_ELEMENTS) {
        root.stopped = { line: at, why: `more than ${MAX_ELEMENTS} elements` };
        break;
      }
      let bodyEnd = end;
      while (bodyEnd > ne && isSpace(c[bodyEnd - 1]!)) bodyEnd--;
      const selfClosing = bodyEnd > ne && c[bodyEnd - 1] === SLASH;
      const el: XmlElement = {
        name: name.toLowerCase(),
        attrs: attributes(t, ne, selfClosing ? bodyEnd - 1 : end),
        children: [],
        line: at,
        commented,
      };
      top.children.push(el);
      if (!selfClosing) {
        stack.push(el);
        open.set(el.name, (open.get(el.name) ?? 0) + 1);
      }
      i = end + 1;
    }
  }
  return root;
}

function nameEnd(t: Text, from: number, to: number): number {
  let j = from;
  while (j < to && !endsName(t.codes[j]!)) j++;
  return j;
}

/** The `>` that ends a start tag, quoted values skipped; -1 when a quote never closes. */
function tagEnd(t: Text, from: number, to: number): number {
  for (let j = from; j < to; j++) {
    const q = t.codes[j];
    if (q === GT) return j;
    if (q === DQ || q === SQ) {
      j = t.find(q, j + 1, to);
      if (j < 0) return -1;
    }
  }
  return -1;
}

/** `name="value"`, `name='value'` or `name=value` pairs in [from, to); anything else is passed over. */
function attributes(t: Text, from: number, to: number): Record<string, string> {
  const c = t.codes;
  const attrs: Record<string, string> = {};
  for (let j = from; j < to;) {
    while (j < to && isSpace(c[j]!)) j++;
    const ne = nameEnd(t, j, to);
    if (ne === j) {
      j++;
      continue;
    }
    const name = t.str(j, ne);
    j = ne;
    while (j < to && isSpace(c[j]!)) j++;
    if (j >= to || c[j] !== EQ) continue;
    j++;
    while (j < to && isSpace(c[j]!)) j++;
    const q = c[j];
    let value: string;
    if (j < to && (q === DQ || q === SQ)) {
      const e = t.find(q, j + 1, to);
      value = t.str(j + 1, e < 0 ? to : e);
      j = e < 0 ? to : e + 1;
    } else {
      const v = j;
      while (j < to && !isSpace(c[j]!) && c[j] !== GT) j++;
      value = t.str(v, j);
    }
    attrs[name.toLowerCase()] = decode(value);
  }
  return attrs;
}

/**
 * Depth-first walk with the chain of ancestors (root excluded). The chain is one array, changed as the walk
 * goes: read it at once, copy it to keep it. A stack, not recursion: depth is the file's to choose.
 */
export function* walk(el: XmlElement): Generator<[XmlElement, XmlElement[]]> {
  const nodes: XmlElement[] = [el];
  const next: number[] = [0];
  const path: XmlElement[] = [];
  while (nodes.length > 0) {
    const top = nodes[nodes.length - 1]!;
    const k = next[next.length - 1]!;
    if (k >= top.children.length) {
      nodes.pop();
      next.pop();
      if (nodes.length > 0) path.pop();
      continue;
    }
    next[next.length - 1] = k + 1;
    const c = top.children[k]!;
    yield [c, path];
    nodes.push(c);
    next.push(0);
    path.push(c);
  }
}
