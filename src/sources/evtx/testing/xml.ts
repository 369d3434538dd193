// A small XML reader for the reference tools' output in tests: elements, attributes, text, entities.

export interface XmlNode {
  name: string;
  attrs: Map<string, string>;
  children: XmlNode[];
  text: string;
}

const ENT: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENT[e] ?? m;
  });
}

const ATTR = /([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

/** Top-level elements of `xml` named `root` (e.g. every `<Event>` in a dump). */
export function parseXmlElements(xml: string, root: string): XmlNode[] {
  const out: XmlNode[] = [];
  const stack: XmlNode[] = [];
  const tag = /<(\/?)([^\s>/!?]+)([^>]*?)(\/?)>|<\?[^>]*\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>/g;
  let last = 0;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    const top = stack[stack.length - 1];
    if (top && m.index > last) top.text += unescapeXml(xml.slice(last, m.index));
    last = tag.lastIndex;
    if (m[5] !== undefined) {
      if (top) top.text += m[5];
      continue;
    }
    if (m[2] === undefined) continue;
    if (m[1] === '/') {
      const done = stack.pop();
      if (done && stack.length === 0 && done.name === root) out.push(done);
      continue;
    }
    const node: XmlNode = { name: m[2], attrs: new Map(), children: [], text: '' };
    for (const a of (m[3] ?? '').matchAll(ATTR)) node.attrs.set(a[1]!, unescapeXml(a[3] ?? a[4] ?? ''));
    if (top) top.children.push(node);
    if (m[4] === '/') {
      if (!top && node.name === root) out.push(node);
    } else if (top || node.name === root) stack.push(node);
  }
  return out;
}
