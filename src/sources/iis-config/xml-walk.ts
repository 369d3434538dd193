// A small, linear walk over IIS configuration XML (applicationHost.config, web.config): the elements with
// their attributes, line and raw text, and the names of the elements around them. Not a validating parser:
// it reads what IIS would read and says where the file is damaged.

export interface XmlElement {
  /** Element name as written (`add`, `globalModules`). */
  name: string;
  /** Attribute values, entities decoded; names lower-cased (IIS attribute names are case-sensitive, but
   * an attacker's casing must not hide one). */
  attrs: ReadonlyMap<string, string>;
  /** 1-based line where the element starts. */
  line: number;
  /** Offset of its `<` in the text. */
  offset: number;
  /** The element's own text, `<` to `>`. */
  raw: string;
  /** Names of the open elements around it, outermost first. */
  parents: readonly string[];
  /** The `path` of the innermost enclosing `<location>`, when there is one. */
  location?: string;
}

export interface XmlDamage {
  line: number;
  offset: number;
  message: string;
}

/** Open elements deeper than this are not tracked (IIS configuration nests a dozen levels at most). */
const MAX_DEPTH = 256;

/** Damage listed per file; the rest is counted. */
const MAX_DAMAGE = 20;

/**
 * Calls `onElement` for every start or empty element, in order. Comments, CDATA, processing instructions
 * and declarations are skipped (so an `<add>` inside a comment is not an element). Runs in time linear in
 * the text whatever it holds: every scan resumes where the last one stopped.
 */
const SKIPPED = [
  { open: '<!--', close: '-->', unclosed: 'a comment is never closed: the rest of the file is not read' },
  { open: '<![CDATA[', close: ']]>', unclosed: 'a CDATA section is never closed: the rest of the file is not read' }, // prettier-ignore
  { open: '<?', close: '?>', unclosed: 'a processing instruction is never closed' },
];

export function walkXml(text: string, onElement: (e: XmlElement) => void): XmlDamage[] {
  const damage = new DamageList();
  const stack: { name: string; location?: string }[] = [];
  let line = 1;
  // The first newline not yet counted (-1: none left); offsets only grow, so each newline is found once.
  let next = text.indexOf('\n');
  const lineAt = (offset: number): number => {
    while (next !== -1 && next < offset) {
      line++;
      next = text.indexOf('\n', next + 1);
    }
    return line;
  };
  let at = 0;
  for (;;) {
    const lt = text.indexOf('<', at);
    if (lt === -1) break;
    // Comments, CDATA and processing instructions are stepped over whole; one never closed ends the walk.
    const skip = SKIPPED.find((k) => text.startsWith(k.open, lt));
    if (skip) {
      const end = text.indexOf(skip.close, lt + skip.open.length);
      if (end === -1) {
        damage.push({ line: lineAt(lt), offset: lt, message: skip.unclosed });
        break;
      }
      at = end + skip.close.length;
      continue;
    }
    if (text.startsWith('<!', lt)) {
      // A DOCTYPE may declare entities; IIS's configuration system does not take them, and neither do we.
      const end = declarationEnd(text, lt + 2);
      damage.push({
        line: lineAt(lt),
        offset: lt,
        message:
          'a declaration (<!DOCTYPE or <!ENTITY) IIS does not accept: entities it declares are not expanded',
      });
      if (end === -1) break;
      at = end;
      continue;
    }
    // A `<` that starts no name is not a tag: said, and stepped over, so a run of them stays linear.
    if (!/[A-Za-z_/]/.test(text[lt + 1] ?? '')) {
      damage.push({ line: lineAt(lt), offset: lt, message: 'a `<` that starts no element' });
      at = lt + 1;
      continue;
    }
    const end = tagEnd(text, lt + 1);
    if (end === -1) {
      damage.push({
        line: lineAt(lt),
        offset: lt,
        message: `an element is never closed (${text.length - lt} bytes to the end of the file): it is not read`,
      });
      break;
    }
    at = end;
    const raw = text.slice(lt, end);
    if (raw[1] === '/') {
      const name = /^<\/\s*([^\s>/]+)/.exec(raw)?.[1] ?? '';
      const open = findOpen(stack, name);
      if (open === -1)
        damage.push({ line: lineAt(lt), offset: lt, message: `</${name}> closes no open element` });
      else {
        if (open !== stack.length - 1)
          damage.push({
            line: lineAt(lt),
            offset: lt,
            message: `</${name}> closes elements left open inside it`,
          });
        stack.length = open;
      }
      continue;
    }
    const m = /^<([A-Za-z_][\w.:-]*)/.exec(raw)!;
    const name = m[1]!;
    const attrs = parseAttrs(raw.slice(m[0].length));
    const location = [...stack].reverse().find((s) => s.location !== undefined)?.location;
    const here = name === 'location' ? (attrs.get('path') ?? '') : undefined;
    onElement({
      name,
      attrs,
      line: lineAt(lt),
      offset: lt,
      raw,
      parents: stack.map((s) => s.name),
      ...(here !== undefined ? { location: here } : location !== undefined ? { location } : {}),
    });
    const selfClosing = endsSelfClosing(raw);
    if (!selfClosing) {
      if (stack.length >= MAX_DEPTH) {
        damage.push({ line: lineAt(lt), offset: lt, message: `elements nested deeper than ${MAX_DEPTH}` });
        break;
      }
      stack.push({ name, ...(here !== undefined ? { location: here } : {}) });
    }
  }
  if (stack.length > 0)
    damage.push({
      line: lineAt(text.length),
      offset: text.length,
      message: `the file ends inside <${stack.map((s) => s.name).join('><')}>: it was cut short`,
    });
  return damage.list();
}

/** Damage kept up to a bound: a file of a million stray `<` is one problem with a count, not a million. */
class DamageList {
  private readonly kept: XmlDamage[] = [];
  private more = 0;
  push(d: XmlDamage): void {
    if (this.kept.length < MAX_DAMAGE) this.kept.push(d);
    else this.more++;
  }
  list(): XmlDamage[] {
    if (this.more === 0) return this.kept;
    const last = this.kept[this.kept.length - 1]!;
    return [...this.kept, { ...last, message: `${this.more} more places like these` }];
  }
}

/** The offset just past the `>` that ends a tag, quotes respected; -1 when the text ends first. */
function tagEnd(text: string, from: number): number {
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return -1;
}

/** The end of `<!...>`, with an internal subset `[...]` skipped; -1 when the text ends first. */
function declarationEnd(text: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === '>' && depth === 0) return i + 1;
  }
  return -1;
}

/** Does the tag end `/>` (spaces allowed before `>`)? */
function endsSelfClosing(raw: string): boolean {
  let i = raw.length - 2;
  while (i > 0 && /\s/.test(raw[i]!)) i--;
  return raw[i] === '/';
}

function findOpen(stack: readonly { name: string }[], name: string): number {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.name === name) return i;
  return -1;
}

/**
 * `name="value"` and `name='value'` pairs; the first of a repeated name wins. Read by hand, one pass: a
 * regular expression over an attacker's 16 MiB attribute could backtrack for hours.
 */
export function parseAttrs(s: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  const n = s.length;
  const space = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  while (i < n) {
    while (i < n && (space(s[i]) || s[i] === '/' || s[i] === '>')) i++;
    const start = i;
    while (i < n && !space(s[i]) && s[i] !== '=' && s[i] !== '/' && s[i] !== '>') i++;
    const key = s.slice(start, i).toLowerCase();
    while (i < n && space(s[i])) i++;
    if (s[i] !== '=') {
      if (i === start) i++;
      continue;
    }
    i++;
    while (i < n && space(s[i])) i++;
    const q = s[i];
    if (q !== '"' && q !== "'") continue;
    const close = s.indexOf(q, i + 1);
    if (close === -1) break;
    if (key && !out.has(key)) out.set(key, decodeEntities(s.slice(i + 1, close)));
    i = close + 1;
  }
  return out;
}

const NAMED: Record<string, string> = { quot: '"', apos: "'", amp: '&', lt: '<', gt: '>' };

/** The five XML entities and character references; anything else stays as written. */
function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,4});/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return NAMED[e] ?? m;
  });
}
