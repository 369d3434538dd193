// Flattens an event tree into Sigma's field names: System leaves, `Elem_Attr`, and Data by its Name.
import type { FieldValue } from '../../../core/record.js';
import { XElem, joinValues, type XValue } from '../binxml/resolve.js';

export type FieldMap = Map<string, FieldValue | FieldValue[]>;

export function toField(v: XValue): FieldValue | FieldValue[] {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'bigint' ? x.toString() : x));
  return v;
}

/** Non-element children joined into one value; undefined when the element holds no text. */
export function contentOf(e: XElem): XValue | undefined {
  let onlyValues = true;
  for (const c of e.children) if (c instanceof XElem) onlyValues = false;
  if (onlyValues) return joinValues(e.children);
  const parts: XValue[] = [];
  for (const c of e.children) if (!(c instanceof XElem)) parts.push(c);
  return joinValues(parts);
}

/** System fields that are integers; forwarded events store them as text, so they are made numbers. */
const NUMERIC = new Set(['EventID', 'EventID_Qualifiers', 'Version', 'Level', 'Task', 'Opcode', 'EventRecordID', 'Execution_ProcessID', 'Execution_ThreadID']);

export function coerceField(key: string, v: FieldValue | FieldValue[]): FieldValue | FieldValue[] {
  return typeof v === 'string' && NUMERIC.has(key) && /^\d{1,15}$/.test(v) ? Number(v) : v;
}

const isNamespace = (name: string): boolean => name === 'xmlns' || name.startsWith('xmlns:');

/**
 * The fields of one event. The first occurrence of a name wins, so System fields (which come first)
 * are never shadowed by same-named EventData or RenderingInfo values. Unnamed `<Data>` items are
 * collected into one array under `Data`.
 */
export function flattenEvent(roots: readonly (XElem | XValue)[]): FieldMap {
  const map: FieldMap = new Map();
  const data: FieldValue[] = [];
  const set = (k: string, v: FieldValue | FieldValue[]): void => {
    if (!map.has(k)) map.set(k, coerceField(k, v));
  };
  const walk = (e: XElem): void => {
    const content = contentOf(e);
    if (e.name === 'Data') {
      const nameAttr = e.attrs.find((a) => a.name === 'Name');
      const key = nameAttr === undefined ? '' : String(nameAttr.value);
      const value = content === undefined ? '' : toField(content);
      if (key !== '') set(key, value);
      else if (Array.isArray(value)) data.push(...value);
      else data.push(value);
      for (const c of e.children) if (c instanceof XElem) walk(c);
      return;
    }
    for (const a of e.attrs) if (!isNamespace(a.name)) set(`${e.name}_${a.name}`, toField(a.value));
    let hasChild = false;
    for (const c of e.children) {
      if (c instanceof XElem) {
        hasChild = true;
        walk(c);
      }
    }
    if (content !== undefined) set(e.name, toField(content));
    else if (!hasChild && e.attrs.length === 0) set(e.name, null);
  };
  const root = roots.find((r): r is XElem => r instanceof XElem);
  if (root) for (const c of root.children) if (c instanceof XElem) for (const l of c.children) if (l instanceof XElem) walk(l);
  if (data.length > 0) set('Data', data);
  return map;
}

/** Every value of the event, space-separated, for keyword search. */
export function fieldsText(map: FieldMap): string {
  const parts: string[] = [];
  for (const v of map.values()) {
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && x !== '') parts.push(String(x));
    } else if (v !== null && v !== '') parts.push(String(v));
  }
  return parts.join(' ');
}
