// Renders an event tree as one line of JSON in the shape of the Rust `evtx_dump` JSON output.
import type { XElem, XValue } from '../binxml/resolve.js';

/** JSON-quoted names, memoised: a log uses a few hundred distinct names over millions of elements. */
const quoted = new Map<string, string>();

export function q(name: string): string {
  let s = quoted.get(name);
  if (s === undefined) {
    if (quoted.size > 50000) quoted.clear();
    s = JSON.stringify(name);
    quoted.set(name, s);
  }
  return s;
}

/** Characters JSON must escape, and lone surrogates, which JSON.stringify escapes. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON must escape
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function valueJson(v: XValue): string {
  switch (typeof v) {
    case 'string':
      // Most values need no escaping; quoting them directly saves a copy.
      return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : '"' + v + '"';
    case 'number':
      return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
    case 'boolean':
    case 'bigint':
      return String(v);
    default: {
      let s = '[';
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        if (i > 0) s += ',';
        s += x === null ? 'null' : valueJson(x);
      }
      return s + ']';
    }
  }
}

function nameAttr(e: XElem): string {
  for (const a of e.attrs)
    if (a.name === 'Name') return typeof a.value === 'string' ? a.value : String(a.value);
  return '';
}

function hasAttrText(e: XElem): boolean {
  for (const a of e.attrs) if (a.value !== '') return true;
  return false;
}

/** `null` for an empty element, a bare value for text only, else an object with `#attributes`/`#text`. */
export function elementValue(e: XElem, container: boolean): string {
  if (e.elems.length === 0 && !hasAttrText(e)) return e.content === undefined ? 'null' : valueJson(e.content);
  return elementBody(e, container);
}

/** A `<Data>` value inside EventData/UserData: an empty one is `""` rather than null. */
export function dataValue(e: XElem): string {
  if (e.elems.length > 0) return elementBody(e, false);
  return e.content === undefined ? '""' : valueJson(e.content);
}

/** Repeated sibling names get `_1`, `_2`, ... as evtx_dump does (`Header`, `Header_1`). */
function keyFor(elems: readonly XElem[], i: number): string {
  const name = elems[i]!.name;
  let n = 0;
  for (let j = 0; j < i; j++) if (elems[j]!.name === name) n++;
  return n === 0 ? q(name) : q(`${name}_${n}`);
}

function elementBody(e: XElem, container: boolean): string {
  let s = '{';
  if (hasAttrText(e)) {
    s += '"#attributes":{';
    let first = true;
    for (const a of e.attrs) {
      if (a.value === '') continue;
      s += (first ? '' : ',') + q(a.name) + ':' + valueJson(a.value);
      first = false;
    }
    s += '}';
  }
  if (e.content !== undefined) s += (s.length > 1 ? ',' : '') + '"#text":' + valueJson(e.content);
  // In EventData/UserData, <Data Name="X"> becomes "X": value; unnamed items gather under Data.#text.
  let named = false;
  let unnamed = 0;
  if (container) {
    for (const c of e.elems) {
      if (c.name !== 'Data') continue;
      if (nameAttr(c) !== '') named = true;
      else unnamed++;
    }
  }
  let dataDone = false;
  for (let i = 0; i < e.elems.length; i++) {
    const c = e.elems[i]!;
    if (container && c.name === 'Data') {
      if (named) {
        const n = nameAttr(c);
        if (n !== '') s += (s.length > 1 ? ',' : '') + q(n) + ':' + dataValue(c);
      } else if (!dataDone) {
        dataDone = true;
        s += (s.length > 1 ? ',' : '') + '"Data":{"#text":';
        if (unnamed === 1) s += dataValue(c);
        else {
          s += '[';
          let first = true;
          for (const d of e.elems) {
            if (d.name !== 'Data') continue;
            s += (first ? '' : ',') + dataValue(d);
            first = false;
          }
          s += ']';
        }
        s += '}';
      }
      continue;
    }
    s +=
      (s.length > 1 ? ',' : '') +
      keyFor(e.elems, i) +
      ':' +
      elementValue(c, c.name === 'EventData' || c.name === 'UserData');
  }
  return s + '}';
}

/** The record as `{"Event":{...}}`; top-level elements after the first are ignored, as evtx_dump does. */
export function renderJson(roots: readonly XElem[]): string {
  const root = roots[0];
  if (!root) return '{}';
  return '{' + q(root.name) + ':' + elementValue(root, false) + '}';
}
