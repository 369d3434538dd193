// STIX 2.1 (and 2.0) bundles: indicator objects with STIX patterns, their creator identities and references.

import type { Problem } from '../../core/problem.js';
import type { ImportResult } from './import-util.js';
import { isObject, LineLocator, optString, parseJson, problem } from './import-util.js';
import { parsePattern, PatternError } from './stix-pattern.js';
import { indexTerms } from './stix-terms.js';
import type { Indicator, IndicatorMeta } from './types.js';

export function looksLikeStix(doc: unknown): boolean {
  if (Array.isArray(doc)) return doc.some((o) => isObject(o) && o.type === 'indicator');
  return isObject(doc) && (doc.type === 'bundle' || doc.type === 'indicator');
}

export function importStix(text: string, path: string, source: string, doc?: unknown): ImportResult {
  const problems: Problem[] = [];
  if (doc === undefined) {
    const parsed = parseJson(text, path);
    if ('problem' in parsed) return { indicators: [], problems: [parsed.problem] };
    doc = parsed.value;
  }
  const objects: unknown[] = Array.isArray(doc)
    ? doc
    : isObject(doc) && Array.isArray(doc.objects)
      ? doc.objects
      : [doc];
  const identities = new Map<string, string>();
  for (const o of objects)
    if (isObject(o) && o.type === 'identity' && typeof o.id === 'string' && typeof o.name === 'string')
      identities.set(o.id, o.name);
  const where = new LineLocator(text);
  const indicators: Indicator[] = [];
  for (const o of objects) {
    if (!isObject(o) || o.type !== 'indicator') continue;
    const id = optString(o.id);
    const line = id ? where.lineOf(JSON.stringify(id)) : undefined;
    const bad = (code: string, msg: string) => problems.push(problem(code, msg, path, line));
    if (!id || !/^indicator--[0-9a-f-]{36}$/i.test(id)) {
      bad('ioc.bad-entry', `indicator without a valid id (${JSON.stringify(o.id ?? null)})`);
      continue;
    }
    if (o.revoked === true) continue;
    const patternType = optString(o.pattern_type) ?? 'stix';
    const pattern = optString(o.pattern);
    if (patternType !== 'stix') {
      bad('ioc.unsupported-pattern', `${id}: pattern type ${patternType} is not supported (only stix)`);
      continue;
    }
    if (!pattern) {
      bad('ioc.bad-entry', `${id}: no pattern`);
      continue;
    }
    let terms;
    try {
      terms = indexTerms(parsePattern(pattern));
    } catch (e) {
      const why = e instanceof PatternError || e instanceof Error ? e.message : String(e);
      bad('ioc.bad-pattern', `${id}: ${why}`);
      continue;
    }
    if (terms.terms.length === 0) {
      bad(
        'ioc.unsupported-pattern',
        `${id}: nothing in ${JSON.stringify(pattern)} can be looked for in the evidence`,
      );
      continue;
    }
    const meta = metaOf(o, id, pattern, source, identities);
    if (terms.partial) meta.partial = true;
    for (const t of terms.terms) indicators.push({ type: t.type, value: t.value, meta });
  }
  if (indicators.length === 0 && problems.length === 0)
    problems.push(problem('ioc.empty', 'no STIX indicators in this file', path));
  return { indicators, problems };
}

function metaOf(
  o: Record<string, unknown>,
  id: string,
  pattern: string,
  source: string,
  identities: Map<string, string>,
): IndicatorMeta {
  const creator = optString(o.created_by_ref);
  const refs = Array.isArray(o.external_references)
    ? o.external_references.flatMap((r) => (isObject(r) && typeof r.url === 'string' ? [r.url] : []))
    : [];
  const tags = [o.indicator_types, o.labels].flatMap((l) =>
    Array.isArray(l) ? l.filter((x): x is string => typeof x === 'string') : [],
  );
  const meta: IndicatorMeta = {
    stixId: id,
    author: (creator && identities.get(creator)) ?? creator ?? source,
    source,
    pattern,
  };
  const name = optString(o.name);
  if (name) meta.title = name;
  const description = optString(o.description);
  if (description) meta.description = description;
  if (refs.length > 0) meta.references = refs;
  if (tags.length > 0) meta.tags = [...new Set(tags)];
  if (typeof o.confidence === 'number') meta.confidence = o.confidence;
  for (const [k, f] of [
    ['validFrom', 'valid_from'],
    ['validUntil', 'valid_until'],
    ['created', 'created'],
    ['modified', 'modified'],
  ] as const) {
    const v = optString(o[f]);
    if (v) meta[k] = v;
  }
  return meta;
}
