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

const ATTR_RE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g;
const TAG_RE =
  /<!--([\s\S]*?)(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<[?!][^>]*>|<\/\s*([^\s>]+)\s*>|<([^\s/>!?]+)((?:"[^"]*"|'[^']*'|[^'">])*)>/g;

/**
 * Parses into a tree under a synthetic root. Unclosed tags are closed at the end, stray closing tags are
 * ignored, and comments are parsed too so that commented-out configuration can be reported as such.
 */
export function parseXml(text: string, baseLine = 1, commented = false): XmlElement {
  const root: XmlElement = { name: '#root', attrs: {}, children: [], line: baseLine, commented };
  const stack: XmlElement[] = [root];
  let lineAt = 0;
  let line = baseLine;
  const lineOf = (offset: number) => {
    for (let i = lineAt; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
    lineAt = offset;
    return line;
  };
  for (const m of text.matchAll(TAG_RE)) {
    const at = lineOf(m.index ?? 0);
    const top = stack[stack.length - 1] as XmlElement;
    if (m[1] !== undefined) {
      // A comment: its content may hold configuration someone disabled by commenting it out.
      if (m[1].includes('<')) top.children.push(...parseXml(m[1], at, true).children);
    } else if (m[2] !== undefined) {
      const name = m[2].toLowerCase();
      const idx = stack.map((e) => e.name).lastIndexOf(name);
      if (idx > 0) stack.length = idx;
    } else if (m[3] !== undefined) {
      let body = m[4] ?? '';
      const selfClosing = body.trimEnd().endsWith('/');
      if (selfClosing) body = body.trimEnd().slice(0, -1);
      const attrs: Record<string, string> = {};
      for (const a of body.matchAll(ATTR_RE)) {
        attrs[(a[1] as string).toLowerCase()] = decode(a[2] ?? a[3] ?? a[4] ?? '');
      }
      const el: XmlElement = { name: m[3].toLowerCase(), attrs, children: [], line: at, commented };
      top.children.push(el);
      if (!selfClosing) stack.push(el);
    }
  }
  return root;
}

/** Depth-first walk with the chain of ancestors (root excluded). */
export function* walk(el: XmlElement, path: XmlElement[] = []): Generator<[XmlElement, XmlElement[]]> {
  for (const c of el.children) {
    yield [c, path];
    yield* walk(c, [...path, c]);
  }
}
