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

export interface XmlTree extends XmlElement {
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

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
/** Characters that end a tag or attribute name. */
const ENDS_NAME = new Set([' ', '\t', '\n', '\r', '/', '>', '=', '<']);

/**
 * Parses into a tree under a synthetic root. Unclosed tags are closed at the end, stray closing tags are
 * ignored, and comments are parsed too so that commented-out configuration can be reported as such.
 * One pass, each character looked at a bounded number of times: a hostile file (64 MiB of `<a`, a million
 * nested elements) costs time in proportion to its size, and nothing recurses on its depth.
 */
export function parseXml(text: string, baseLine = 1, commented = false): XmlTree {
  const root: XmlTree = { name: '#root', attrs: {}, children: [], line: baseLine, commented };
  const stack: XmlElement[] = [root];
  /** How many elements of each name are open: a closing tag with none open costs nothing. */
  const open = new Map<string, number>();
  let lineAt = 0;
  let line = baseLine;
  let count = 0;
  const lineOf = (offset: number) => {
    for (let i = lineAt; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
    lineAt = Math.max(lineAt, offset);
    return line;
  };
  const skipTo = (from: number, marker: string) => {
    const e = text.indexOf(marker, from);
    return e < 0 ? text.length : e + marker.length;
  };
  for (let i = text.indexOf('<'); i >= 0 && i < text.length; i = text.indexOf('<', i)) {
    const at = lineOf(i);
    const top = stack[stack.length - 1]!;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      const body = text.slice(i + 4, end < 0 ? text.length : end);
      // A comment may hold configuration someone disabled; comments inside it are not looked into again.
      if (!commented && body.includes('<')) top.children.push(...parseXml(body, at, true).children);
      i = end < 0 ? text.length : end + 3;
    } else if (text.startsWith('<![CDATA[', i)) i = skipTo(i, ']]>');
    else if (text[i + 1] === '?' || text[i + 1] === '!') i = skipTo(i, '>');
    else if (text[i + 1] === '/') {
      const end = text.indexOf('>', i);
      if (end < 0) break;
      let from = i + 2;
      while (isSpace(text[from])) from++;
      const name = readName(text, from, end).toLowerCase();
      if ((open.get(name) ?? 0) > 0) {
        // Closes the innermost open element of that name, and any left unclosed inside it.
        for (let el = stack.pop(); el && el.name !== name; el = stack.pop())
          open.set(el.name, open.get(el.name)! - 1);
        open.set(name, open.get(name)! - 1);
      }
      i = end + 1;
    } else {
      const name = readName(text, i + 1, text.length);
      if (!name || name.includes('!') || name.includes('?')) {
        i++;
        continue;
      }
      const end = tagEnd(text, i + 1 + name.length);
      if (end < 0) {
        root.stopped = { line: at, why: 'a tag never ends (a quote left open)' };
        break;
      }
      if (++count > MAX_ELEMENTS) {
        root.stopped = { line: at, why: `more than ${MAX_ELEMENTS} elements` };
        break;
      }
      let body = text.slice(i + 1 + name.length, end);
      const selfClosing = body.trimEnd().endsWith('/');
      if (selfClosing) body = body.trimEnd().slice(0, -1);
      const el: XmlElement = {
        name: name.toLowerCase(),
        attrs: attributes(body),
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

function readName(text: string, from: number, to: number): string {
  let j = from;
  while (j < to && !ENDS_NAME.has(text[j]!)) j++;
  return text.slice(from, j);
}

/** The `>` that ends a start tag, quoted values skipped; -1 when a quote never closes. */
function tagEnd(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (c === '>') return j;
    if (c === '"' || c === "'") {
      j = text.indexOf(c, j + 1);
      if (j < 0) return -1;
    }
  }
  return -1;
}

/** `name="value"`, `name='value'` or `name=value` pairs; anything else in the tag is passed over. */
function attributes(body: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (let j = 0; j < body.length;) {
    while (isSpace(body[j])) j++;
    const name = readName(body, j, body.length);
    if (!name) {
      j++;
      continue;
    }
    j += name.length;
    while (isSpace(body[j])) j++;
    if (body[j] !== '=') continue;
    j++;
    while (isSpace(body[j])) j++;
    const q = body[j];
    let value: string;
    if (q === '"' || q === "'") {
      const e = body.indexOf(q, j + 1);
      value = body.slice(j + 1, e < 0 ? body.length : e);
      j = e < 0 ? body.length : e + 1;
    } else {
      const from = j;
      while (j < body.length && !isSpace(body[j]) && body[j] !== '>') j++;
      value = body.slice(from, j);
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
