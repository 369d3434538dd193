// exhunt's own indicator list format (data/iocs/*.json): values with their type, public sources and confidence.

import type { Problem } from '../../core/problem.js';
import type { ImportResult } from './import-util.js';
import { isObject, LineLocator, optString, parseJson, problem } from './import-util.js';
import { classify, typeFromName } from './normalise.js';
import type { Indicator, IndicatorMeta } from './types.js';

const EXHUNT_FORMAT = 'exhunt-indicators/1';

export function looksLikeExhunt(doc: unknown): boolean {
  return isObject(doc) && doc.format === EXHUNT_FORMAT;
}

/**
 * `{ format, title, author, sources: { key: { title, url } }, indicators: [{ type, value, sources: [key],
 * confidence?, note?, campaign? }] }`. Entries sharing sources and confidence share one meta, so a finding
 * names the publications its value came from.
 */
export function importExhunt(text: string, path: string, source: string, doc?: unknown): ImportResult {
  const problems: Problem[] = [];
  if (doc === undefined) {
    const parsed = parseJson(text, path);
    if ('problem' in parsed) return { indicators: [], problems: [parsed.problem] };
    doc = parsed.value;
  }
  if (!isObject(doc) || !Array.isArray(doc.indicators))
    return {
      indicators: [],
      problems: [problem('ioc.bad-file', 'no "indicators" list', path, undefined, 'error')],
    };
  const author = optString(doc.author) ?? source;
  const title = optString(doc.title);
  const sources = isObject(doc.sources) ? doc.sources : {};
  const where = new LineLocator(text);
  const metas = new Map<string, IndicatorMeta>();
  const indicators: Indicator[] = [];
  for (const e of doc.indicators) {
    if (!isObject(e)) continue;
    const value = typeof e.value === 'string' ? e.value : '';
    const line = where.lineOf(JSON.stringify(value));
    const type = typeof e.type === 'string' ? typeFromName(e.type) : undefined;
    if (!type) {
      problems.push(problem('ioc.bad-entry', `unknown type ${JSON.stringify(e.type ?? null)}`, path, line));
      continue;
    }
    const keys = Array.isArray(e.sources) ? e.sources.filter((k): k is string => typeof k === 'string') : [];
    const refs = keys.flatMap((k) => {
      const s = sources[k];
      return isObject(s) && typeof s.url === 'string' ? [s.url] : [];
    });
    if (refs.length !== keys.length || keys.length === 0)
      problems.push(problem('ioc.bad-entry', `${value}: every indicator needs known sources`, path, line));
    const confidence = typeof e.confidence === 'number' ? e.confidence : undefined;
    const campaign = optString(e.campaign);
    const key = `${keys.join(',')}\0${confidence ?? ''}\0${campaign ?? ''}`;
    let meta = metas.get(key);
    if (!meta) {
      meta = { author, source, ...(title ? { title } : {}), references: refs };
      if (campaign) meta.tags = [campaign];
      if (confidence !== undefined) meta.confidence = confidence;
      metas.set(key, meta);
    }
    const r = classify(type, value);
    const note = optString(e.note);
    if ('error' in r) problems.push(problem('ioc.bad-entry', r.error, path, line));
    else indicators.push({ type: r.type, value: r.value, meta, ...(note ? { note } : {}) });
  }
  if (indicators.length === 0 && problems.length === 0)
    problems.push(problem('ioc.empty', 'no indicators in this file', path));
  return { indicators, problems };
}
