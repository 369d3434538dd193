// Binds templates to their values: turns parsed nodes into a plain element tree with decoded values.
import { VT, type Decoded } from '../values/types.js';
import type { Attr, Elem, Node, Substitutions } from './nodes.js';
import { BinXmlReader } from './reader.js';

/** A value inside element content: never NULL (NULL substitutions leave nothing behind). */
export type XValue = Exclude<Decoded, null>;

/**
 * An element with its values bound. Only what the renderers use is kept: child elements in order, and
 * the element's own text joined into one value (typed when it is a single value, else a string).
 */
export class XElem {
  constructor(
    readonly name: string,
    readonly attrs: XAttr[],
    readonly elems: XElem[],
    readonly content: XValue | undefined,
  ) {}
}

interface XAttr {
  name: string;
  value: XValue;
}

/** Collects content for the rare node lists that are not one element (documents, nested values). */
class Collector {
  elems: XElem[] = [];
  content: XValue | undefined = undefined;

  add(v: XValue): void {
    this.content = this.content === undefined ? v : valueText(this.content) + valueText(v);
  }
}

/** Nested BinXML values parsed once per instance, so the renderers and field lookups share them. */
export function nestedDocument(vals: Substitutions, i: number, depth: number): Node[] {
  const cache = (vals.nested ??= new Array<Node[] | undefined>(vals.length));
  let doc = cache[i];
  if (doc === undefined) {
    const start = vals.offsets[i]!;
    doc = new BinXmlReader(vals.ctx, start, start + vals.size(i), depth + 1).parseDocument();
    cache[i] = doc;
  }
  return doc;
}

const NO_ELEMS: XElem[] = [];

/**
 * One template element with its values bound. This is the hot path of rendering, so content is
 * accumulated in locals and arrays are only allocated when there is something to put in them.
 */
export function makeElem(n: Elem, vals: Substitutions | undefined, depth: number): XElem {
  let elems: XElem[] | undefined;
  let content: XValue | undefined;
  const kids = n.children;
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i]!;
    let v: XValue | null | undefined;
    switch (k.kind) {
      case 'elem':
        (elems ??= []).push(makeElem(k, vals, depth));
        continue;
      case 'text':
        v = k.text;
        break;
      case 'value':
        v = k.value;
        break;
      case 'subst': {
        if (!vals) continue;
        const t = vals.type(k.index);
        if (t === VT.Null) continue;
        if (t !== VT.BinXml) {
          v = vals.value(k.index);
          break;
        }
        v = general(k, vals, depth, (elems ??= []));
        break;
      }
      case 'instance':
        v = general(k, vals, depth, (elems ??= []));
        break;
      default:
        continue;
    }
    if (v === null || v === undefined || v === '') continue;
    content = content === undefined ? v : valueText(content) + valueText(v);
  }
  const attrs = n.attrs.length === 0 ? NO_ATTRS : resolveAttrs(n.attrs, vals, depth);
  return new XElem(n.name, attrs, elems ?? NO_ELEMS, content);
}

/** Nested BinXML and template instances inside content: resolved the general way into `elems`. */
function general(
  k: Node,
  vals: Substitutions | undefined,
  depth: number,
  elems: XElem[],
): XValue | undefined {
  const c = new Collector();
  resolveInto([k], vals, c, depth);
  for (const e of c.elems) elems.push(e);
  return c.content;
}

function resolveInto(
  nodes: readonly Node[],
  vals: Substitutions | undefined,
  out: Collector,
  depth: number,
): void {
  for (const n of nodes) {
    switch (n.kind) {
      case 'elem':
        out.elems.push(makeElem(n, vals, depth));
        break;
      case 'text':
        if (n.text !== '') out.add(n.text);
        break;
      case 'value':
        if (n.value !== null) out.add(n.value);
        break;
      case 'subst': {
        if (!vals) break;
        const t = vals.type(n.index);
        if (t === VT.Null) break;
        if (t === VT.BinXml) {
          resolveInto(nestedDocument(vals, n.index, depth), undefined, out, depth + 1);
          break;
        }
        const v = vals.value(n.index);
        if (v !== null && v !== '') out.add(v);
        break;
      }
      case 'instance':
        resolveInto(n.template.nodes, n.values, out, depth + 1);
        break;
      case 'pi':
        break;
    }
  }
}

const NO_ATTRS: XAttr[] = [];

function resolveAttrs(attrs: readonly Attr[], vals: Substitutions | undefined, depth: number): XAttr[] {
  const out: XAttr[] = [];
  for (const a of attrs) {
    const c = new Collector();
    resolveInto(a.parts, vals, c, depth);
    let value = c.content;
    // Markup inside an attribute value (a nested BinXML substitution) contributes its text.
    for (const e of c.elems) value = (value === undefined ? '' : valueText(value)) + textOf(e);
    if (value !== undefined) out.push({ name: a.name, value });
  }
  return out;
}

/** Resolves a record body (or any node list) into its top-level elements. */
export function resolveDocument(nodes: readonly Node[], vals?: Substitutions): XElem[] {
  const c = new Collector();
  resolveInto(nodes, vals, c, 0);
  return c.elems;
}

/** Resolves text parts (an attribute value or an element's content) into one value. */
export function resolveParts(parts: readonly Node[], vals: Substitutions | undefined): XValue | undefined {
  const c = new Collector();
  resolveInto(parts, vals, c, 0);
  return c.content;
}

/** The string form of a value, as it appears in XML text. */
export function valueText(v: XValue): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => (x === null ? '' : String(x))).join(', ');
  return String(v);
}

function textOf(e: XElem): string {
  let s = e.content === undefined ? '' : valueText(e.content);
  for (const c of e.elems) s += textOf(c);
  return s;
}
