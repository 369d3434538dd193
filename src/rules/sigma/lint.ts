// `rules lint` in data: every located problem, what loads, what would be skipped and why, what maps nowhere.

import { logsourceText } from './applicability.js';
import type { RuleError, SigmaRule } from './model.js';

export interface LintReport {
  /** Rules and correlations that load and compile for at least one source. */
  loaded: number;
  /** Documents (rules, correlations, filters) or files that would be skipped. */
  skipped: number;
  /** Every problem, ordered by file, line and column. */
  problems: RuleError[];
  /** Skipped documents grouped by why, most frequent first. */
  reasons: { code: string; reason: string; count: number }[];
  /** Rules that load but that the mapping sends to no source, grouped by log source. */
  notApplicable: { logsource: string; count: number }[];
}

/** Plain words for each error code, for the grouped summary. */
export const REASONS: Readonly<Record<string, string>> = {
  'sigma.yaml': 'YAML syntax error',
  'sigma.io': 'file could not be read',
  'sigma.type': 'attribute of the wrong type',
  'sigma.missing': 'required attribute missing',
  'sigma.unsupported': 'Sigma 1 rule collection (action: global/repeat)',
  'sigma.aggregation': 'Sigma 1 aggregation in the condition (| count() ...): needs a correlation rule',
  'sigma.condition': 'condition cannot be parsed or names an unknown identifier',
  'sigma.detection': 'malformed detection section',
  'sigma.unknown-modifier': 'unknown value modifier',
  'sigma.modifier': 'modifier cannot apply to the value (bad regex, CIDR, base64, order ...)',
  'sigma.placeholder': 'placeholder (|expand) without values in the mapping',
  'sigma.logsource': 'malformed logsource',
  'sigma.level': 'unknown level',
  'sigma.status': 'unknown status',
  'sigma.stage': 'unknown stage (exhunt extension)',
  'sigma.outcome': 'unknown outcome (exhunt extension)',
  'sigma.duplicate-id': 'duplicate rule id',
  'sigma.correlation': 'malformed correlation',
  'sigma.correlation-rules': 'correlation names rules that are not loaded',
  'sigma.filter': 'filter names a rule that is not loaded or does not fit its log source',
  'sigma.compile': 'rule cannot be compiled',
  'mapping.io': 'mapping file could not be read',
  'mapping.yaml': 'mapping YAML syntax error',
  'mapping.invalid': 'malformed mapping entry',
};

export function lintReport(input: {
  errors: readonly RuleError[];
  loaded: number;
  notApplicable: readonly SigmaRule[];
}): LintReport {
  const problems = [...input.errors].sort(
    (a, b) =>
      a.path.localeCompare(b.path) ||
      a.line - b.line ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.code.localeCompare(b.code),
  );
  // One document may have several problems; it is skipped once, for its first problem's reason.
  const docs = new Map<string, RuleError>();
  for (const p of problems) {
    // Without a rule id (YAML syntax, unreadable file) the problem concerns the file as a whole.
    const key = `${p.path}\0${p.ruleId ?? ''}`;
    if (!docs.has(key)) docs.set(key, p);
  }
  const byCode = new Map<string, number>();
  for (const p of docs.values()) byCode.set(p.code, (byCode.get(p.code) ?? 0) + 1);
  const byLs = new Map<string, number>();
  for (const r of input.notApplicable) {
    const ls = logsourceText(r.logsource);
    byLs.set(ls, (byLs.get(ls) ?? 0) + 1);
  }
  const desc = <T extends { count: number }>(a: T, b: T): number => b.count - a.count;
  return {
    loaded: input.loaded,
    skipped: docs.size,
    problems,
    reasons: [...byCode]
      .map(([code, count]) => ({ code, reason: REASONS[code] ?? code, count }))
      .sort((a, b) => desc(a, b) || a.code.localeCompare(b.code)),
    notApplicable: [...byLs]
      .map(([logsource, count]) => ({ logsource, count }))
      .sort((a, b) => desc(a, b) || a.logsource.localeCompare(b.logsource)),
  };
}

/** `path:line:column: message [code] (rule id)`, one problem a line, as compilers print them. */
export function formatProblem(p: RuleError): string {
  const at = `${p.path}:${p.line}${p.column !== undefined ? `:${p.column}` : ''}`;
  return `${at}: ${p.message} [${p.code}]${p.ruleId ? ` (rule ${p.ruleId})` : ''}`;
}
