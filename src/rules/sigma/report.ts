// Small adapters from the Sigma model to the core contracts: RuleRef for findings, Problem for errors.

import type { RuleRef } from '../../core/finding.js';
import type { Problem } from '../../core/problem.js';
import type { CorrelationRule, RuleError, SigmaRule } from './model.js';

/** The rule reference every finding carries (author kept: DRL 1.1 requires it on matches). */
export function ruleRef(rule: SigmaRule | CorrelationRule): RuleRef {
  return {
    id: rule.id,
    title: rule.title,
    author: rule.author,
    source: rule.source,
    ...(rule.level !== undefined ? { level: rule.level } : {}),
    ...(rule.references.length > 0 ? { references: [...rule.references] } : {}),
    ...(rule.tags.length > 0 ? { tags: [...rule.tags] } : {}),
  };
}

export function ruleErrorToProblem(e: RuleError): Problem {
  const where = e.ruleId ? ` (rule ${e.ruleId})` : '';
  return { code: e.code, message: `${e.message}${where}`, path: e.path, line: e.line, severity: 'error' };
}
