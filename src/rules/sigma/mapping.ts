// The processing configuration as data: Sigma log sources → exhunt sources, field names and preconditions.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { TRANSFORMS } from './fieldmap.js';
import type { ConditionValue, FieldMap, FieldTarget } from './fieldmap.js';
import type { Logsource, RuleError } from './model.js';
import { readYamlDocuments } from './yamldoc.js';
import type { YamlDoc } from './yamldoc.js';

interface LogsourceEntry {
  /** Lets a later file replace or disable this entry. */
  readonly id?: string;
  /** Every key given must equal the rule's (case-insensitive); keys not given are not checked. */
  readonly match: Readonly<Pick<Logsource, 'category' | 'product' | 'service'>>;
  readonly source: string;
  readonly conditions: Readonly<Record<string, ConditionValue>>;
  /** Field renames for this log source only, over the source's own. */
  readonly fields: ReadonlyMap<string, FieldTarget>;
}

export interface Mapping {
  readonly sources: ReadonlyMap<string, { readonly fields: ReadonlyMap<string, FieldTarget> }>;
  readonly logsources: readonly LogsourceEntry[];
  readonly placeholders: Readonly<Record<string, readonly string[]>>;
}

/** One way a rule applies: records of `source` that meet `conditions`, read through `fieldMap`. */
export interface SourceBinding {
  readonly source: string;
  readonly conditions: Readonly<Record<string, ConditionValue>>;
  readonly fieldMap: FieldMap;
  /** Id of the mapping entry, for messages. */
  readonly entry?: string;
}

/** data/sigma/mapping.yml of the installed package (dist/src/rules/sigma → package root). */
export const DEFAULT_MAPPING_PATH = fileURLToPath(
  new URL('../../../../data/sigma/mapping.yml', import.meta.url),
);

const EMPTY_MAPPING: Mapping = { sources: new Map(), logsources: [], placeholders: {} };

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Read ours, then user overrides, each merged over the previous. */
export async function loadMapping(
  files: readonly string[],
): Promise<{ mapping: Mapping; errors: RuleError[] }> {
  let mapping = EMPTY_MAPPING;
  const errors: RuleError[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = await readFile(f, 'utf8');
    } catch (e) {
      errors.push({ path: f, line: 1, message: `cannot read: ${(e as Error).message}`, code: 'mapping.io' });
      continue;
    }
    mapping = parseMappingText(text, f, mapping, errors);
  }
  return { mapping, errors };
}

/** Parse one mapping file and merge it over `base`; problems are appended to `errors`. */
export function parseMappingText(
  text: string,
  path: string,
  base: Mapping = EMPTY_MAPPING,
  errors: RuleError[] = [],
): Mapping {
  const docs = readYamlDocuments(text);
  const doc = docs[0];
  const err = (d: YamlDoc | undefined, p: (string | number)[], message: string): void => {
    const pos = d ? d.locate(p) : { line: 1, column: 1 };
    errors.push({ path, line: pos.line, column: pos.column, message, code: 'mapping.invalid' });
  };
  if (!doc || docs.length !== 1) {
    err(doc, [], 'a mapping file must hold exactly one YAML document');
    return base;
  }
  if (doc.errors.length > 0) {
    for (const e of doc.errors)
      errors.push({ path, line: e.line, column: e.column, message: e.message, code: 'mapping.yaml' });
    return base;
  }
  const v = doc.value;
  if (!isMap(v)) {
    err(doc, [], 'a mapping file must be a map');
    return base;
  }
  if (v['version'] !== undefined && v['version'] !== 1)
    err(doc, ['version'], 'only mapping version 1 is known');

  const sources = new Map(base.sources);
  if (v['sources'] !== undefined) {
    if (!isMap(v['sources'])) err(doc, ['sources'], "'sources' must map source ids to {fields}");
    else {
      for (const [id, s] of Object.entries(v['sources'])) {
        if (!isMap(s)) {
          err(doc, ['sources', id], 'must be a map with `fields`');
          continue;
        }
        const fields = new Map(sources.get(id)?.fields);
        readFields(s['fields'], ['sources', id, 'fields'], fields, doc, err);
        sources.set(id, { fields });
      }
    }
  }

  let logsources = [...base.logsources];
  if (v['logsources'] !== undefined) {
    if (!Array.isArray(v['logsources'])) err(doc, ['logsources'], "'logsources' must be a list");
    else {
      v['logsources'].forEach((e: unknown, i: number) => {
        const at = ['logsources', i];
        if (!isMap(e)) return err(doc, at, 'must be a map');
        const id = typeof e['id'] === 'string' ? e['id'] : undefined;
        if (id !== undefined) logsources = logsources.filter((x) => x.id !== id);
        if (e['disabled'] === true) return;
        const entry = readEntry(e, at, doc, err);
        if (entry) logsources.push(entry);
      });
    }
  }

  const placeholders: Record<string, readonly string[]> = { ...base.placeholders };
  if (v['placeholders'] !== undefined) {
    if (!isMap(v['placeholders']))
      err(doc, ['placeholders'], "'placeholders' must map names to lists of values");
    else {
      for (const [name, vals] of Object.entries(v['placeholders'])) {
        const list = typeof vals === 'string' ? [vals] : Array.isArray(vals) ? vals.map(String) : undefined;
        if (!list) err(doc, ['placeholders', name], 'must be a string or a list of strings');
        else placeholders[name] = list;
      }
    }
  }
  for (const k of Object.keys(v)) {
    if (!['version', 'sources', 'logsources', 'placeholders'].includes(k))
      err(doc, [k], `unknown key '${k}'`);
  }
  return { sources, logsources, placeholders };
}

type Err = (d: YamlDoc, p: (string | number)[], message: string) => void;

function readFields(
  raw: unknown,
  at: (string | number)[],
  into: Map<string, FieldTarget>,
  doc: YamlDoc,
  err: Err,
): void {
  if (raw === undefined || raw === null) return;
  if (!isMap(raw)) return err(doc, at, "'fields' must map Sigma field names to native ones");
  for (const [sigma, t] of Object.entries(raw)) {
    if (typeof t === 'string') into.set(sigma, { field: t });
    else if (isMap(t) && typeof t['field'] === 'string') {
      const tr = t['transform'];
      if (tr !== undefined && (typeof tr !== 'string' || !TRANSFORMS.has(tr))) {
        err(
          doc,
          [...at, sigma, 'transform'],
          `unknown transform; known: ${[...TRANSFORMS.keys()].join(', ')}`,
        );
        continue;
      }
      into.set(sigma, tr === undefined ? { field: t['field'] } : { field: t['field'], transform: tr });
    } else err(doc, [...at, sigma], 'must be a field name or {field, transform}');
  }
}

function readEntry(
  e: Record<string, unknown>,
  at: (string | number)[],
  doc: YamlDoc,
  err: Err,
): LogsourceEntry | undefined {
  const match = e['match'];
  const source = e['source'];
  if (!isMap(match) || Object.keys(match).length === 0)
    return void err(doc, [...at, 'match'], "'match' must be a non-empty map");
  const m: Record<string, string> = {};
  for (const [k, val] of Object.entries(match)) {
    if (!['category', 'product', 'service'].includes(k) || typeof val !== 'string') {
      return void err(
        doc,
        [...at, 'match', k],
        'match keys are category, product, service with string values',
      );
    }
    m[k] = val;
  }
  if (typeof source !== 'string') return void err(doc, [...at, 'source'], "'source' must be a source id");
  const conditions: Record<string, ConditionValue> = {};
  const c = e['conditions'];
  if (c !== undefined && c !== null) {
    if (!isMap(c))
      return void err(doc, [...at, 'conditions'], "'conditions' must map native fields to values");
    for (const [k, val] of Object.entries(c)) {
      if (typeof val !== 'string' && typeof val !== 'number') {
        return void err(doc, [...at, 'conditions', k], 'condition values are strings or numbers');
      }
      conditions[k] = val;
    }
  }
  const fields = new Map<string, FieldTarget>();
  readFields(e['fields'], [...at, 'fields'], fields, doc, err);
  for (const k of Object.keys(e)) {
    if (!['id', 'match', 'source', 'conditions', 'fields', 'disabled'].includes(k))
      err(doc, [...at, k], `unknown key '${k}'`);
  }
  const id = typeof e['id'] === 'string' ? e['id'] : undefined;
  return { ...(id !== undefined ? { id } : {}), match: m, source, conditions, fields };
}

/** The field map for a source id alone: its renames, no preconditions. */
export function fieldMapFor(mapping: Mapping, sourceId: string): FieldMap {
  return {
    source: sourceId,
    fields: mapping.sources.get(sourceId)?.fields ?? new Map(),
    conditions: {},
    placeholders: mapping.placeholders,
  };
}

/** Every way a rule with this log source applies; empty means not applicable to anything we read. */
export function sourcesFor(mapping: Mapping, logsource: Logsource): SourceBinding[] {
  const out: SourceBinding[] = [];
  for (const e of mapping.logsources) {
    const ok = (['category', 'product', 'service'] as const).every((k) => {
      const want = e.match[k];
      return want === undefined || logsource[k]?.toLowerCase() === want.toLowerCase();
    });
    if (!ok) continue;
    const base = fieldMapFor(mapping, e.source);
    const fields = e.fields.size === 0 ? base.fields : new Map([...base.fields, ...e.fields]);
    out.push({
      source: e.source,
      conditions: e.conditions,
      fieldMap: { ...base, fields, conditions: e.conditions },
      ...(e.id !== undefined ? { entry: e.id } : {}),
    });
  }
  return out;
}
