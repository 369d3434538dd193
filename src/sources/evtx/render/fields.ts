// Flattens an event tree into Sigma's field names: System leaves, `Elem_Attr`, and Data by its Name.
import type { FieldValue } from '../../../core/record.js';
import type { XElem, XValue } from '../binxml/resolve.js';

export type FieldMap = Map<string, FieldValue | FieldValue[]>;

export function toField(v: XValue): FieldValue | FieldValue[] {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'bigint' ? x.toString() : x));
  return v;
}

/** System fields that are integers; forwarded events store them as text, so they are made numbers. */
const NUMERIC = new Set([
  'EventID',
  'EventID_Qualifiers',
  'Version',
  'Level',
  'Task',
  'Opcode',
  'EventRecordID',
  'Execution_ProcessID',
  'Execution_ThreadID',
]);

export function coerceField(key: string, v: FieldValue | FieldValue[]): FieldValue | FieldValue[] {
  return typeof v === 'string' && NUMERIC.has(key) && /^\d{1,15}$/.test(v) ? Number(v) : v;
}

const isNamespace = (name: string): boolean => name === 'xmlns' || name.startsWith('xmlns:');

/**
 * The fields of one event. The first occurrence of a name wins, so System fields (which come first)
 * are never shadowed by same-named EventData or RenderingInfo values. Unnamed `<Data>` items are
 * collected into one array under `Data`.
 */
export function flattenEvent(roots: readonly XElem[]): FieldMap {
  const map: FieldMap = new Map();
  const data: FieldValue[] = [];
  const set = (k: string, v: FieldValue | FieldValue[]): void => {
    if (!map.has(k)) map.set(k, coerceField(k, v));
  };
  const walk = (e: XElem): void => {
    if (e.name === 'Data') {
      let key = '';
      for (const a of e.attrs) if (a.name === 'Name') key = String(a.value);
      const value = e.content === undefined ? '' : toField(e.content);
      if (key !== '') set(key, value);
      else if (Array.isArray(value)) data.push(...value);
      else data.push(value);
      for (const c of e.elems) walk(c);
      return;
    }
    for (const a of e.attrs) if (!isNamespace(a.name)) set(`${e.name}_${a.name}`, toField(a.value));
    for (const c of e.elems) walk(c);
    if (e.content !== undefined) set(e.name, toField(e.content));
    else if (e.elems.length === 0 && e.attrs.length === 0) set(e.name, null);
  };
  const root = roots[0];
  if (root) for (const section of root.elems) for (const e of section.elems) walk(e);
  if (data.length > 0) set('Data', data);
  return map;
}

/** Every value of the event, space-separated, for keyword search. */
export function fieldsText(map: FieldMap): string {
  let s = '';
  const add = (x: FieldValue): void => {
    if (x === null || x === '') return;
    s += s === '' ? String(x) : ' ' + String(x);
  };
  for (const v of map.values()) {
    if (Array.isArray(v)) for (const x of v) add(x);
    else add(v);
  }
  return s;
}
