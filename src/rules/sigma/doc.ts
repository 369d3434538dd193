// Shared pieces for reading rule documents: typed attribute readers, levels, statuses, log sources.

import { SEVERITIES } from '../../core/finding.js';
import type { Severity } from '../../core/finding.js';
import type { Report } from './detection.js';
import type { Logsource, RuleError, RuleStatus, SigmaRule } from './model.js';
import type { YamlDoc } from './yamldoc.js';

const LEVELS: readonly Severity[] = SEVERITIES;
const STATUSES: readonly RuleStatus[] = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];
export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Context for reading one document: its path, locator and error sink. */
export interface DocReader {
  readonly doc: YamlDoc;
  readonly report: Report;
  str(key: string, required?: boolean): string | undefined;
  strList(key: string): string[];
}

export function reader(
  doc: YamlDoc,
  path: string,
  errors: RuleError[],
  ruleId: () => string | undefined,
): DocReader {
  const obj = doc.value as Record<string, unknown>;
  const report: Report = (p, message, code, key) => {
    const pos = doc.locate(p, key);
    errors.push({ path, line: pos.line, column: pos.column, ruleId: ruleId(), message, code });
  };
  return {
    doc,
    report,
    str(key, required = false) {
      const v = obj[key];
      if (v === undefined || v === null) {
        if (required) report([], `missing '${key}'`, 'sigma.missing');
        return undefined;
      }
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      report([key], `'${key}' must be a string`, 'sigma.type');
      return undefined;
    },
    strList(key) {
      const v = obj[key];
      if (v === undefined || v === null) return [];
      if (typeof v === 'string') return [v];
      if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'))
        return v.map(String);
      report([key], `'${key}' must be a list of strings`, 'sigma.type');
      return [];
    },
  };
}

export type Meta = Omit<
  SigmaRule,
  | 'kind'
  | 'logsource'
  | 'detection'
  | 'falsepositives'
  | 'fields'
  | 'level'
  | 'status'
  | 'stage'
  | 'outcome'
  | 'cves'
  | 'custom'
>;

// Levels and statuses are compared case-insensitively: `level: High` in a rule pack means high, and
// skipping an otherwise sound rule for its capital letter would help nobody.
export function readLevel(r: DocReader): Severity | undefined {
  const level = r.str('level')?.toLowerCase();
  if (level !== undefined && !LEVELS.includes(level as Severity)) {
    r.report(['level'], `level must be one of ${LEVELS.join(', ')}`, 'sigma.level');
    return undefined;
  }
  return level as Severity | undefined;
}

export function readStatus(r: DocReader): RuleStatus | undefined {
  const status = r.str('status')?.toLowerCase();
  if (status !== undefined && !STATUSES.includes(status as RuleStatus)) {
    r.report(['status'], `status must be one of ${STATUSES.join(', ')}`, 'sigma.status');
    return undefined;
  }
  return status as RuleStatus | undefined;
}

export function readLogsource(r: DocReader, obj: Record<string, unknown>): Logsource | undefined {
  const ls = obj['logsource'];
  if (!isMap(ls)) {
    r.report(
      ls === undefined ? [] : ['logsource'],
      ls === undefined ? "missing 'logsource'" : "'logsource' must be a map",
      'sigma.logsource',
    );
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const k of ['category', 'product', 'service', 'definition'] as const) {
    const v = ls[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') {
      r.report(['logsource', k], `'logsource.${k}' must be a string`, 'sigma.logsource');
      return undefined;
    }
    out[k] = v;
  }
  return out;
}

/** Rules are shared between compiles and threads of thought; freezing keeps them data. */
export function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
