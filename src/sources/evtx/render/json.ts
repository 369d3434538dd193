// Renders an event tree as one line of JSON in the shape of the Rust `evtx_dump` JSON output.
import { XElem, type XValue } from '../binxml/resolve.js';
import { contentOf } from './fields.js';

function valueJson(v: XValue): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
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

const isEmpty = (v: XValue): boolean => v === '';
const isContainer = (name: string): boolean => name === 'EventData' || name === 'UserData';

function nameAttr(e: XElem): string {
  for (const a of e.attrs) if (a.name === 'Name') return typeof a.value === 'string' ? a.value : String(a.value);
  return '';
}

function hasElementChild(e: XElem): boolean {
  for (const c of e.children) if (c instanceof XElem) return true;
  return false;
}

function hasAttrText(e: XElem): boolean {
  for (const a of e.attrs) if (!isEmpty(a.value)) return true;
  return false;
}

/** `null` for an empty element, a bare value for text only, else an object with `#attributes`/`#text`. */
function elementValue(e: XElem, container: boolean): string {
  const child = hasElementChild(e);
  const attrs = hasAttrText(e);
  if (!child && !attrs) {
    const content = contentOf(e);
    return content === undefined || isEmpty(content) ? 'null' : valueJson(content);
  }
  return elementBody(e, container);
}

/** A `<Data>` value inside EventData/UserData: an empty one is `""` rather than null. */
function dataValue(e: XElem): string {
  if (hasElementChild(e)) return elementBody(e, false);
  const content = contentOf(e);
  return content === undefined ? '""' : valueJson(content);
}

function elementBody(e: XElem, container: boolean): string {
  let s = '{';
  let first = true;
  const key = (k: string): void => {
    s += (first ? '' : ',') + JSON.stringify(k) + ':';
    first = false;
  };
  if (hasAttrText(e)) {
    key('#attributes');
    s += '{';
    let firstAttr = true;
    for (const a of e.attrs) {
      if (isEmpty(a.value)) continue;
      s += (firstAttr ? '' : ',') + JSON.stringify(a.name) + ':' + valueJson(a.value);
      firstAttr = false;
    }
    s += '}';
  }
  const content = contentOf(e);
  if (content !== undefined && !isEmpty(content)) {
    key('#text');
    s += valueJson(content);
  }
  // In EventData/UserData, <Data Name="X"> becomes "X": value; unnamed items gather under Data.#text.
  let named = false;
  const unnamed: XElem[] = [];
  if (container) {
    for (const c of e.children) {
      if (!(c instanceof XElem) || c.name !== 'Data') continue;
      if (nameAttr(c) !== '') named = true;
      else unnamed.push(c);
    }
  }
  const seen = new Map<string, number>();
  let dataDone = false;
  for (const c of e.children) {
    if (!(c instanceof XElem)) continue;
    if (container && c.name === 'Data') {
      if (named) {
        const n = nameAttr(c);
        if (n !== '') {
          key(suffixed(seen, n));
          s += dataValue(c);
        }
      } else if (!dataDone) {
        dataDone = true;
        key('Data');
        s += '{"#text":';
        s += unnamed.length === 1 ? dataValue(c) : '[' + unnamed.map(dataValue).join(',') + ']';
        s += '}';
      }
      continue;
    }
    key(suffixed(seen, c.name));
    s += elementValue(c, isContainer(c.name));
  }
  return s + '}';
}

/** Repeated sibling names get `_1`, `_2`, ... as evtx_dump does (`Header`, `Header_1`). */
function suffixed(seen: Map<string, number>, name: string): string {
  const n = seen.get(name) ?? 0;
  seen.set(name, n + 1);
  return n === 0 ? name : `${name}_${n}`;
}

/** The record as `{"Event":{...}}`; roots other than the first element are ignored, as evtx_dump does. */
export function renderJson(roots: readonly (XElem | XValue)[]): string {
  const root = roots.find((r): r is XElem => r instanceof XElem);
  if (!root) return '{}';
  return '{' + JSON.stringify(root.name) + ':' + elementValue(root, false) + '}';
}
