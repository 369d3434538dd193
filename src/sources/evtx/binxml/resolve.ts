// Binds templates to their values: turns parsed nodes into a plain element tree with decoded values.
import { VT, type Decoded } from '../values/types.js';
import type { ChunkContext } from './context.js';
import type { Attr, Node } from './nodes.js';
import { BinXmlReader } from './reader.js';
import type { Substitutions } from './substitutions.js';

/** A value inside element content: never NULL (NULL substitutions leave nothing behind). */
export type XValue = Exclude<Decoded, null>;

export class XElem {
  constructor(
    readonly name: string,
    readonly attrs: XAttr[],
    /** Child elements and content values in document order. */
    readonly children: (XElem | XValue)[],
  ) {}
}

export interface XAttr {
  name: string;
  value: XValue;
}

/** Nested BinXML values parsed once per instance, so the renderers and field lookups share them. */
export function nestedDocument(vals: Substitutions, i: number, depth: number): Node[] {
  const cache = (vals.nested ??= new Array<Node[] | undefined>(vals.length));
  let doc = cache[i];
  if (doc === undefined) {
    const start = vals.offsets[i]!;
    doc = new BinXmlReader(vals.ctx, start, start + vals.sizes[i]!, depth + 1).parseDocument();
    cache[i] = doc;
  }
  return doc;
}

/** Resolves a document's nodes into `out`; substitutions take their values from `vals`. */
export function resolveNodes(
  ctx: ChunkContext,
  nodes: readonly Node[],
  vals: Substitutions | undefined,
  out: (XElem | XValue)[],
  depth = 0,
): void {
  for (const n of nodes) {
    switch (n.kind) {
      case 'elem': {
        const children: (XElem | XValue)[] = [];
        resolveNodes(ctx, n.children, vals, children, depth);
        out.push(new XElem(n.name, resolveAttrs(ctx, n.attrs, vals, depth), children));
        break;
      }
      case 'text':
        if (n.text !== '') out.push(n.text);
        break;
      case 'value':
        if (n.value !== null) out.push(n.value);
        break;
      case 'subst': {
        if (!vals) break;
        const t = vals.type(n.index);
        if (t === VT.Null) break;
        if (t === VT.BinXml) {
          resolveNodes(ctx, nestedDocument(vals, n.index, depth), undefined, out, depth + 1);
          break;
        }
        const v = vals.value(n.index);
        if (v !== null && v !== '') out.push(v);
        break;
      }
      case 'instance':
        resolveNodes(ctx, n.template.nodes, n.values, out, depth + 1);
        break;
      case 'pi':
        break;
    }
  }
}

function resolveAttrs(ctx: ChunkContext, attrs: readonly Attr[], vals: Substitutions | undefined, depth: number): XAttr[] {
  const out: XAttr[] = [];
  for (const a of attrs) {
    const parts: (XElem | XValue)[] = [];
    resolveNodes(ctx, a.parts, vals, parts, depth);
    const value = joinValues(parts);
    if (value !== undefined) out.push({ name: a.name, value });
  }
  return out;
}

/** One part keeps its type; several concatenate as text, as an XML serialisation would. */
export function joinValues(parts: readonly (XElem | XValue)[]): XValue | undefined {
  if (parts.length === 0) return undefined;
  if (parts.length === 1) {
    const p = parts[0]!;
    return p instanceof XElem ? textOf(p) : p;
  }
  let s = '';
  for (const p of parts) s += p instanceof XElem ? textOf(p) : valueText(p);
  return s;
}

/** The string form of a value, as it appears in XML text. */
export function valueText(v: XValue): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => (x === null ? '' : String(x))).join(', ');
  return String(v);
}

function textOf(e: XElem): string {
  let s = '';
  for (const c of e.children) s += c instanceof XElem ? textOf(c) : valueText(c);
  return s;
}
