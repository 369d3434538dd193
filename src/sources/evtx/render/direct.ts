// JSON bytes straight from a template and its values: the hot path of `evtx dump`, no element tree.
import type { Attr, Elem, ElemJsonCache, Node, Substitutions } from '../binxml/nodes.js';
import { makeElem, nestedDocument, resolveParts, valueText, type XValue } from '../binxml/resolve.js';
import { ARRAY, VT } from '../values/types.js';
import { dataValue, elementValue } from './json.js';
import type { JsonOut } from './out.js';

/*
 * Same output as json.ts renders from the resolved tree (a test holds them equal), decided from the
 * same facts: whether an element has child elements, non-empty attributes, and text. Those facts are
 * read from the value descriptors without decoding, then each value is written once.
 */

/** `"name":` as UTF-8, memoised across chunks: templates are rebuilt per chunk but names repeat. */
const keyMemo = new Map<string, Buffer>();
function keyBytes(name: string): Buffer {
  let k = keyMemo.get(name);
  if (k === undefined) {
    if (keyMemo.size > 50000) keyMemo.clear();
    k = Buffer.from(JSON.stringify(name) + ':', 'utf8');
    keyMemo.set(name, k);
  }
  return k;
}

/** Element children with the values they bind to; nested BinXML brings its own template's values. */
interface Kids {
  elems: Elem[];
  /** Per child, when children do not all share the parent's values. */
  vals: (Substitutions | undefined)[] | undefined;
  /** Per child, `"name":` with the `_1`, `_2`, ... evtx_dump gives repeated sibling names. */
  keys: Buffer[] | undefined;
}

function keysOf(kids: Kids): Buffer[] {
  if (kids.keys) return kids.keys;
  const seen = new Map<string, number>();
  const keys = kids.elems.map((e) => {
    const n = seen.get(e.name) ?? 0;
    seen.set(e.name, n + 1);
    return n === 0 ? cacheOf(e).key : keyBytes(`${e.name}_${n}`);
  });
  kids.keys = keys;
  return keys;
}

function cacheOf(n: Elem): ElemJsonCache {
  let c = n.jsonCache;
  if (c === undefined) {
    const nameAttr = n.attrs.find((a) => a.name === 'Name');
    const literal = nameAttr && nameAttr.parts.every((p) => p.kind === 'text');
    const staticName = literal
      ? nameAttr.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('')
      : undefined;
    c = {
      kids: {
        elems: n.children.filter((k): k is Elem => k.kind === 'elem'),
        vals: undefined,
        keys: undefined,
      },
      key: keyBytes(n.name),
      mayNest: n.children.some((k) => k.kind === 'subst' || k.kind === 'instance'),
      staticName,
      staticNameKey: staticName === undefined ? undefined : keyBytes(staticName),
    };
    n.jsonCache = c;
  }
  return c;
}

/**
 * The element children of `n`. A nested BinXML substitution (often the whole EventData of an event)
 * contributes the roots of its own template instance. Undefined when the content has a shape only
 * the tree renderer handles (text inside a nested document, say).
 */
function kidsOf(n: Elem, vals: Substitutions | undefined): Kids | undefined {
  const cache = cacheOf(n);
  let nested = false;
  if (cache.mayNest) {
    for (const k of n.children) {
      if (k.kind === 'instance' || (k.kind === 'subst' && vals && vals.type(k.index) === VT.BinXml))
        nested = true;
    }
  }
  if (!nested) return cache.kids;
  const elems: Elem[] = [];
  const vs: (Substitutions | undefined)[] = [];
  const addDoc = (nodes: readonly Node[], v: Substitutions | undefined): boolean => {
    for (const d of nodes) {
      if (d.kind === 'elem') {
        elems.push(d);
        vs.push(v);
      } else if (d.kind === 'instance') {
        if (!addDoc(d.template.nodes, d.values)) return false;
      } else if (d.kind !== 'pi') return false;
    }
    return true;
  };
  for (const k of n.children) {
    if (k.kind === 'elem') {
      elems.push(k);
      vs.push(vals);
    } else if (k.kind === 'instance') {
      if (!addDoc([k], vals)) return undefined;
    } else if (k.kind === 'subst' && vals && vals.type(k.index) === VT.BinXml) {
      if (!addDoc(nestedDocument(vals, k.index, 0), undefined)) return undefined;
    }
  }
  return { elems, vals: vs, keys: undefined };
}

/** Whether a text part renders as nothing, read from its descriptor without decoding the value. */
function partEmpty(p: Node, vals: Substitutions | undefined): boolean {
  switch (p.kind) {
    case 'text':
      return p.text === '';
    case 'value':
      return p.value === null || p.value === '';
    case 'subst': {
      if (!vals || p.index >= vals.length) return true;
      const t = vals.type(p.index);
      if (t === VT.Null) return true;
      if (t & ARRAY || t === VT.BinXml) return false;
      const b = vals.ctx.buf;
      const o = vals.offsets[p.index]!;
      let end = o + vals.size(p.index);
      if (t === VT.String) {
        if ((end - o) & 1) end--;
        while (end > o && b[end - 1] === 0 && b[end - 2] === 0) end -= 2;
      } else if (t === VT.AnsiString) {
        while (end > o && b[end - 1] === 0) end--;
      } else if (t === VT.SizeT) return end - o !== 4 && end - o !== 8;
      return end === o;
    }
    default:
      return true;
  }
}

function writeValue(out: JsonOut, v: XValue): void {
  switch (typeof v) {
    case 'string':
      return out.string(v);
    case 'number':
      return Number.isFinite(v) ? out.text(String(v)) : out.string(String(v));
    case 'boolean':
    case 'bigint':
      return out.text(String(v));
    default:
      out.byte(0x5b);
      v.forEach((x, i) => {
        if (i > 0) out.byte(0x2c);
        if (x === null) out.text('null');
        else writeValue(out, x);
      });
      out.byte(0x5d);
  }
}

/** One non-empty part; strings go from the chunk bytes to the output without becoming JS strings. */
function writePart(out: JsonOut, p: Node, vals: Substitutions | undefined): void {
  if (p.kind === 'text') return out.string(p.text);
  if (p.kind === 'value') return writeValue(out, p.value as XValue);
  if (p.kind !== 'subst' || !vals) return;
  if (vals.type(p.index) === VT.String) {
    const b = vals.ctx.buf;
    const o = vals.offsets[p.index]!;
    let end = o + vals.size(p.index);
    if ((end - o) & 1) end--;
    while (end > o && b[end - 1] === 0 && b[end - 2] === 0) end -= 2;
    return out.utf16(b, o, end);
  }
  const v = vals.value(p.index) as XValue;
  if (typeof v === 'string' && ASCII_TYPES.has(vals.type(p.index))) return out.quotedAscii(v);
  writeValue(out, v);
}

/** Types whose rendering this module produces itself as plain ASCII, so no escaping check is needed. */
const ASCII_TYPES = new Set<number>([
  VT.Guid,
  VT.Sid,
  VT.HexInt32,
  VT.HexInt64,
  VT.SizeT,
  VT.FileTime,
  VT.SysTime,
  VT.Binary,
]);

/** Writes the parts as one value: a single part keeps its type; several concatenate as text. */
function writeParts(
  out: JsonOut,
  parts: readonly Node[],
  count: number,
  only: Node | undefined,
  vals: Substitutions | undefined,
): void {
  if (count === 1 && only) return writePart(out, only, vals);
  const v = resolveParts(parts, vals);
  if (v !== undefined) writeValue(out, v);
}

/** Number of non-empty text parts among `nodes` (elements and nested BinXML excluded); sets `only`. */
let only: Node | undefined;
function countText(nodes: readonly Node[], vals: Substitutions | undefined): number {
  let count = 0;
  only = undefined;
  for (const k of nodes) {
    if (k.kind === 'elem' || k.kind === 'instance' || k.kind === 'pi') continue;
    if (k.kind === 'subst' && vals && vals.type(k.index) === VT.BinXml) continue;
    if (partEmpty(k, vals)) continue;
    count++;
    only = k;
  }
  return count;
}

function attrEmpty(a: Attr, vals: Substitutions | undefined): boolean {
  if (a.parts.length === 1) return partEmpty(a.parts[0]!, vals);
  const v = resolveParts(a.parts, vals);
  return v === undefined || v === '';
}

function hasAttrText(n: Elem, vals: Substitutions | undefined): boolean {
  for (const a of n.attrs) if (!attrEmpty(a, vals)) return true;
  return false;
}

function nameOf(n: Elem, vals: Substitutions | undefined): string {
  const cached = cacheOf(n).staticName;
  if (cached !== undefined) return cached;
  for (const a of n.attrs) {
    if (a.name !== 'Name') continue;
    const v = resolveParts(a.parts, vals);
    return v === undefined ? '' : valueText(v);
  }
  return '';
}

/** `null` for an empty element, a bare value for text only, else an object (see json.ts). */
function writeElem(
  out: JsonOut,
  n: Elem,
  vals: Substitutions | undefined,
  container: boolean,
  data: boolean,
): void {
  const kids = kidsOf(n, vals);
  if (!kids)
    return out.text(data ? dataValue(makeElem(n, vals, 0)) : elementValue(makeElem(n, vals, 0), container));
  const count = countText(n.children, vals);
  const first = only;
  if (kids.elems.length === 0 && (data || !hasAttrText(n, vals))) {
    if (count === 0) return out.text(data ? '""' : 'null');
    return writeParts(out, n.children, count, first, vals);
  }
  writeBody(out, n, kids, vals, count, first, data ? false : container);
}

function writeBody(
  out: JsonOut,
  n: Elem,
  kids: Kids,
  vals: Substitutions | undefined,
  count: number,
  first: Node | undefined,
  container: boolean,
): void {
  out.byte(0x7b);
  const start = out.pos;
  if (hasAttrText(n, vals)) {
    out.text('"#attributes":{');
    let firstAttr = true;
    for (const a of n.attrs) {
      if (attrEmpty(a, vals)) continue;
      if (!firstAttr) out.byte(0x2c);
      firstAttr = false;
      out.raw((a.jsonKey ??= keyBytes(a.name)));
      const c = countText(a.parts, vals);
      writeParts(out, a.parts, c, only, vals);
    }
    out.byte(0x7d);
  }
  if (count > 0) {
    if (out.pos > start) out.byte(0x2c);
    out.text('"#text":');
    writeParts(out, n.children, count, first, vals);
  }
  const elems = kids.elems;
  const kv = kids.vals;
  // In EventData/UserData, <Data Name="X"> becomes "X": value; unnamed items gather under Data.#text.
  let named = false;
  let unnamed = 0;
  if (container) {
    for (let i = 0; i < elems.length; i++) {
      if (elems[i]!.name !== 'Data') continue;
      if (nameOf(elems[i]!, kv ? kv[i] : vals) !== '') named = true;
      else unnamed++;
    }
  }
  let dataDone = false;
  for (let i = 0; i < elems.length; i++) {
    const c = elems[i]!;
    const v = kv ? kv[i] : vals;
    if (container && c.name === 'Data') {
      if (named) {
        const cache = cacheOf(c);
        const name = cache.staticName ?? nameOf(c, v);
        if (name === '') continue;
        if (out.pos > start) out.byte(0x2c);
        out.raw(cache.staticNameKey ?? keyBytes(name));
        writeElem(out, c, v, false, true);
      } else if (!dataDone) {
        dataDone = true;
        if (out.pos > start) out.byte(0x2c);
        out.text('"Data":{"#text":');
        if (unnamed > 1) out.byte(0x5b);
        let firstItem = true;
        for (let j = 0; j < elems.length; j++) {
          if (elems[j]!.name !== 'Data') continue;
          if (!firstItem) out.byte(0x2c);
          firstItem = false;
          writeElem(out, elems[j]!, kv ? kv[j] : vals, false, true);
        }
        if (unnamed > 1) out.byte(0x5d);
        out.byte(0x7d);
      }
      continue;
    }
    if (out.pos > start) out.byte(0x2c);
    out.raw(keysOf(kids)[i]!);
    writeElem(out, c, v, c.name === 'EventData' || c.name === 'UserData', false);
  }
  out.byte(0x7d);
}

/** `{"Event":{...}}` for a template instance whose definition is one root element; false otherwise. */
export function writeInstanceJson(out: JsonOut, template: readonly Node[], vals: Substitutions): boolean {
  const root = template.length === 1 ? template[0] : undefined;
  if (!root || root.kind !== 'elem') return false;
  out.byte(0x7b);
  out.raw(cacheOf(root).key);
  writeElem(out, root, vals, false, false);
  out.byte(0x7d);
  return true;
}
