// MISP JSON events: attributes and object attributes of the types exhunt can look for in Exchange evidence.

import type { Problem } from '../../core/problem.js';
import type { ImportResult } from './import-util.js';
import { isObject, LineLocator, optString, parseJson, problem } from './import-util.js';
import { classify } from './normalise.js';
import type { Indicator, IndicatorMeta, IndicatorType } from './types.js';

/** MISP attribute types → ours; composite `a|b` types give one indicator per part. */
const MISP_TYPES: Record<string, (IndicatorType | undefined)[]> = {
  'ip-src': ['ip'],
  'ip-dst': ['ip'],
  'ip-src|port': ['ip', undefined],
  'ip-dst|port': ['ip', undefined],
  domain: ['domain'],
  hostname: ['domain'],
  'domain|ip': ['domain', 'ip'],
  'hostname|port': ['domain', undefined],
  url: ['url'],
  filename: ['filename'],
  md5: ['md5'],
  sha1: ['sha1'],
  sha256: ['sha256'],
  'filename|md5': ['filename', 'md5'],
  'filename|sha1': ['filename', 'sha1'],
  'filename|sha256': ['filename', 'sha256'],
  'user-agent': ['user-agent'],
};

/** MISP nests events at most a list in a `response` in a list deep; deeper is not MISP (nor safe to recurse). */
const MAX_DEPTH = 4;

export function looksLikeMisp(doc: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(doc)) return doc.some((d) => looksLikeMisp(d, depth + 1));
  return isObject(doc) && (isObject(doc.Event) || 'response' in doc || Array.isArray(doc.Attribute));
}

/** Every event in the shapes MISP exports: one event, a list, `{response: [...]}`, or bare attributes. */
function eventsOf(doc: unknown, depth = 0): Record<string, unknown>[] {
  if (depth > MAX_DEPTH) return [];
  if (Array.isArray(doc)) return doc.flatMap((d) => eventsOf(d, depth + 1));
  if (!isObject(doc)) return [];
  if (isObject(doc.Event)) return [doc.Event];
  if ('response' in doc) return eventsOf(doc.response, depth + 1);
  if (Array.isArray(doc.Attribute) || Array.isArray(doc.Object)) return [doc];
  return [];
}

export function importMisp(text: string, path: string, source: string, doc?: unknown): ImportResult {
  const problems: Problem[] = [];
  if (doc === undefined) {
    const parsed = parseJson(text, path);
    if ('problem' in parsed) return { indicators: [], problems: [parsed.problem] };
    doc = parsed.value;
  }
  const where = new LineLocator(text);
  const indicators: Indicator[] = [];
  const skipped = new Map<string, number>();
  let notForDetection = 0;
  for (const ev of eventsOf(doc)) {
    const org = isObject(ev.Orgc)
      ? optString(ev.Orgc.name)
      : isObject(ev.Org)
        ? optString(ev.Org.name)
        : undefined;
    const meta: IndicatorMeta = { author: org ?? source, source };
    const info = optString(ev.info);
    if (info) meta.title = info;
    const uuid = optString(ev.uuid);
    if (uuid) meta.references = [`misp-event:${uuid}`];
    const attrs: unknown[] = [
      ...(Array.isArray(ev.Attribute) ? (ev.Attribute as unknown[]) : []),
      ...(Array.isArray(ev.Object)
        ? (ev.Object as unknown[]).flatMap((o) =>
            isObject(o) && Array.isArray(o.Attribute) ? (o.Attribute as unknown[]) : [],
          )
        : []),
    ];
    for (const a of attrs) {
      if (!isObject(a) || a.deleted === true) continue;
      const type = optString(a.type) ?? '';
      const value = typeof a.value === 'string' ? a.value : undefined;
      // Own keys only: a type named `constructor` or `__proto__` is a type MISP does not have, not a crash.
      const targets = Object.hasOwn(MISP_TYPES, type) ? MISP_TYPES[type] : undefined;
      if (!targets) {
        skipped.set(type, (skipped.get(type) ?? 0) + 1);
        continue;
      }
      // MISP's to_ids=false marks context (a victim address, a benign tool), not something to alert on.
      if (a.to_ids === false || a.to_ids === '0') {
        notForDetection++;
        continue;
      }
      const id = optString(a.uuid);
      const line = where.lineOf(id ? JSON.stringify(id) : JSON.stringify(value ?? ''));
      const parts = value?.split('|') ?? [];
      if (value === undefined || parts.length !== targets.length) {
        problems.push(
          problem('ioc.bad-entry', `${type} attribute with value ${JSON.stringify(a.value)}`, path, line),
        );
        continue;
      }
      const comment = optString(a.comment);
      targets.forEach((t, i) => {
        if (!t) return;
        const r = classify(t, parts[i] ?? '');
        if ('error' in r) problems.push(problem('ioc.bad-entry', `${type}: ${r.error}`, path, line));
        else indicators.push({ type: r.type, value: r.value, meta, ...(comment ? { note: comment } : {}) });
      });
    }
  }
  if (skipped.size > 0 || notForDetection > 0) {
    const kinds = [...skipped].map(([t, n]) => `${t || '(no type)'} ×${n}`).join(', ');
    const parts = [
      ...(kinds ? [`attributes of types exhunt does not look for: ${kinds}`] : []),
      ...(notForDetection ? [`${notForDetection} attributes marked not for detection (to_ids false)`] : []),
    ];
    problems.push(problem('ioc.skipped', `skipped ${parts.join('; ')}`, path));
  }
  if (indicators.length === 0 && !problems.some((p) => p.code === 'ioc.bad-entry'))
    problems.push(problem('ioc.empty', 'no usable MISP attributes in this file', path));
  return { indicators, problems };
}
