// Reading a correlation document (`correlation:` section) into a CorrelationRule.

import { COMPARE_OPS, CORRELATION_TYPES } from './model.js';
import type { CompareOp, CorrelationRule, CorrelationType } from './model.js';
import type { DocReader, Meta } from './doc.js';
import { deepFreeze, isMap, readLevel, readStatus } from './doc.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90m` → milliseconds; months and years are not fixed lengths and are refused. */
function parseTimespan(s: string): number | undefined {
  const m = /^([1-9][0-9]*)([smhdw])$/.exec(s.trim());
  return m ? Number(m[1]) * (UNIT_MS[m[2] as string] as number) : undefined;
}

const VALUE_TYPES: readonly CorrelationType[] = ['value_count', 'value_sum', 'value_avg', 'value_percentile'];

export function readCorrelation(
  r: DocReader,
  obj: Record<string, unknown>,
  meta: Meta,
): CorrelationRule | undefined {
  const level = readLevel(r);
  const status = readStatus(r);
  const c = obj['correlation'];
  const P = ['correlation'];
  if (!isMap(c)) {
    r.report(P, "'correlation' must be a map", 'sigma.correlation');
    return undefined;
  }
  let ok = true;
  const bad = (key: string, msg: string): void => {
    r.report([...P, key], msg, 'sigma.correlation');
    ok = false;
  };
  const type = c['type'];
  if (typeof type !== 'string' || !(CORRELATION_TYPES as readonly string[]).includes(type)) {
    bad('type', `type must be one of ${CORRELATION_TYPES.join(', ')}`);
  }
  const rulesRaw = c['rules'];
  const rules =
    typeof rulesRaw === 'string' ? [rulesRaw] : Array.isArray(rulesRaw) ? rulesRaw.map(String) : [];
  if (rules.length === 0) bad('rules', "'rules' must name at least one rule");
  const gb = c['group-by'];
  const groupBy =
    gb === undefined || gb === null
      ? []
      : typeof gb === 'string'
        ? [gb]
        : Array.isArray(gb)
          ? gb.map(String)
          : undefined;
  if (!groupBy) bad('group-by', "'group-by' must be a list of field names");
  const ts = c['timespan'] ?? c['timeframe'];
  const timespanMs = typeof ts === 'string' ? parseTimespan(ts) : undefined;
  if (timespanMs === undefined) bad('timespan', "'timespan' must look like 30s, 5m, 1h, 7d or 1w");

  const condition: Partial<Record<CompareOp, number>> = {};
  let field: string | undefined;
  let percentile: number | undefined;
  const cond = c['condition'];
  if (cond !== undefined && cond !== null) {
    if (!isMap(cond)) bad('condition', "'condition' must be a map such as {gte: 10}");
    else {
      for (const [k, v] of Object.entries(cond)) {
        if (k === 'field') field = typeof v === 'string' ? v : undefined;
        else if (k === 'percentile' && typeof v === 'number') percentile = v;
        else if ((COMPARE_OPS as readonly string[]).includes(k) && typeof v === 'number')
          condition[k as CompareOp] = v;
        else bad('condition', `unknown or non-numeric condition '${k}'`);
      }
    }
  }
  const t = type as CorrelationType;
  if (ok && Object.keys(condition).length === 0 && t !== 'temporal' && t !== 'temporal_ordered') {
    bad('condition', `a ${t} correlation needs a condition such as {gte: 10}`);
  }
  if (ok && VALUE_TYPES.includes(t) && field === undefined)
    bad('condition', `a ${t} correlation needs 'condition.field'`);

  const aliases: Record<string, Record<string, string>> = {};
  const al = c['aliases'];
  if (al !== undefined && al !== null) {
    if (!isMap(al)) bad('aliases', "'aliases' must map alias → rule → field");
    else {
      for (const [alias, m] of Object.entries(al)) {
        if (!isMap(m) || !Object.values(m).every((x) => typeof x === 'string')) {
          bad('aliases', `alias '${alias}' must map rule names to field names`);
        } else aliases[alias] = m as Record<string, string>;
      }
    }
  }
  const generate = c['generate'] ?? obj['generate'];
  if (!ok || !groupBy || timespanMs === undefined) return undefined;
  return deepFreeze({
    kind: 'correlation',
    ...meta,
    ...(level !== undefined ? { level } : {}),
    ...(status !== undefined ? { status } : {}),
    type: t,
    rules,
    groupBy,
    timespanMs,
    condition,
    ...(field !== undefined ? { field } : {}),
    ...(percentile !== undefined ? { percentile } : {}),
    aliases,
    generate: generate === true,
  });
}
