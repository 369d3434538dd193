// Test support: locate ../shared samples, run reference parsers, and flatten their XML like our fields.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FieldValue } from '../../../core/record.js';
import { parseXmlElements, type XmlNode } from './xml.js';

/** The repository root: the nearest folder above this file holding package.json. */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

/** `../shared/samples/<sub>` beside the repository, or undefined when the shared folder is absent. */
export function sharedSamples(sub: string): string | undefined {
  const p = path.resolve(repoRoot(), '..', 'shared', 'samples', sub);
  return fs.existsSync(p) ? p : undefined;
}

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v "${cmd}"`], { stdio: 'ignore' }).status === 0;
}

/** Every `*.evtx` under `dir`, sorted. */
export function evtxFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.toLowerCase().endsWith('.evtx')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** The events `evtxexport -f xml` renders for `file` (it stops at the first record it cannot read). */
export function evtxexportEvents(file: string): XmlNode[] {
  const r = spawnSync('evtxexport', ['-f', 'xml', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return parseXmlElements(r.stdout, 'Event');
}

/** The events python-evtx's `evtx_dump.py` renders for `file`. */
export function pythonEvtxEvents(file: string): XmlNode[] {
  const out = execFileSync('evtx_dump.py', [file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return parseXmlElements(out, 'Event');
}

type RefFields = Map<string, string | string[]>;

/**
 * The reference event's fields by the rules our flattener follows, written separately over XML text:
 * `Elem_Attr`, leaf elements by name, `<Data Name="X">` as X, unnamed Data as an array.
 */
export function flattenXml(ev: XmlNode): RefFields {
  const map: RefFields = new Map();
  const data: string[] = [];
  const set = (k: string, v: string): void => {
    if (!map.has(k)) map.set(k, v);
  };
  const walk = (e: XmlNode): void => {
    if (e.name === 'Data') {
      const name = e.attrs.get('Name') ?? '';
      if (name !== '') set(name, e.text);
      else data.push(e.text);
      return;
    }
    for (const [k, v] of e.attrs)
      if (k !== 'xmlns' && !k.startsWith('xmlns:') && v !== '') set(`${e.name}_${k}`, v);
    for (const c of e.children) walk(c);
    if (e.children.length === 0 && (e.text !== '' || e.attrs.size === 0)) set(e.name, e.text);
  };
  for (const section of ev.children) for (const c of section.children) walk(c);
  if (data.length > 0) map.set('Data', data);
  return map;
}

/** A canonical string for comparing renderings: hex without padding, 7-digit times, upper-case GUIDs. */
export function canon(v: FieldValue | readonly FieldValue[] | string[] | undefined, timeDigits = 7): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map((x) => canon(x as FieldValue, timeDigits)).join('\u241e');
  let s = String(v);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return '0x' + BigInt(s).toString(16);
  const t = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d+))?Z?$/.exec(s);
  if (t) {
    const frac = (t[3] ?? '').padEnd(9, '0');
    const scaled = Math.round(Number(frac.slice(0, 9)) / 10 ** (9 - timeDigits));
    return `${t[1]}T${t[2]}.${String(scaled).padStart(timeDigits, '0')}`;
  }
  if (/^\{[0-9a-fA-F-]{36}\}$/.test(s)) s = s.toUpperCase();
  return s;
}
