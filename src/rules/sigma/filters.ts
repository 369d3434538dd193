// Sigma filter documents: the same exclusion added to many rules, applied to the rule model before compiling.

import type { ConditionNode, Detection, RuleError, SigmaFilter, SigmaRule } from './model.js';
import { resolveOf } from './condition.js';

/** Rewrite a filter condition onto prefixed identifiers, resolving `of` against the filter's own names. */
function rename(c: ConditionNode, names: readonly string[], prefix: string): ConditionNode {
  switch (c.t) {
    case 'id':
      return { t: 'id', name: prefix + c.name };
    case 'not':
      return { t: 'not', item: rename(c.item, names, prefix) };
    case 'and':
    case 'or':
      return { t: c.t, items: c.items.map((i) => rename(i, names, prefix)) };
    case 'of': {
      const items: ConditionNode[] = resolveOf(c.pattern, names).map((n) => ({ t: 'id', name: prefix + n }));
      return items.length === 1 ? (items[0] as ConditionNode) : { t: c.all ? 'and' : 'or', items };
    }
  }
}

function logsourceFits(f: SigmaFilter, r: SigmaRule): boolean {
  return (['category', 'product', 'service'] as const).every(
    (k) => f.logsource[k] === undefined || f.logsource[k]?.toLowerCase() === r.logsource[k]?.toLowerCase(),
  );
}

/**
 * Rules with every filter that names them (by id or name) AND-ed into their condition. A filter naming
 * a rule that is not loaded, or whose log source does not fit the rule, is reported and not applied.
 */
export function applyFilters(
  rules: readonly SigmaRule[],
  filters: readonly SigmaFilter[],
): { rules: SigmaRule[]; errors: RuleError[] } {
  const errors: RuleError[] = [];
  const byRef = new Map<string, SigmaRule>();
  for (const r of rules) {
    byRef.set(r.id, r);
    if (r.name) byRef.set(r.name, r);
  }
  const extra = new Map<string, SigmaFilter[]>();
  for (const f of filters) {
    for (const ref of f.rules) {
      const r = byRef.get(ref);
      const err = (message: string): void => {
        errors.push({ path: f.path, line: f.line, ruleId: f.id, message, code: 'sigma.filter' });
      };
      if (!r) err(`filter names rule '${ref}', which is not loaded`);
      else if (!logsourceFits(f, r)) err(`filter log source does not fit rule '${ref}'`);
      else extra.set(r.id, [...(extra.get(r.id) ?? []), f]);
    }
  }
  const out = rules.map((r) => {
    const fs = extra.get(r.id);
    if (!fs) return r;
    const identifiers = { ...r.detection.identifiers };
    const conds: ConditionNode[] = [
      r.detection.conditions.length === 1
        ? (r.detection.conditions[0] as ConditionNode)
        : { t: 'or', items: r.detection.conditions },
    ];
    fs.forEach((f, i) => {
      // Leading `_` keeps filter selections out of the rule's own `them`.
      const prefix = `_filter${i}.`;
      const names = Object.keys(f.detection.identifiers);
      for (const n of names)
        identifiers[prefix + n] = f.detection.identifiers[n] as Detection['identifiers'][string];
      const fc = f.detection.conditions.map((c) => rename(c, names, prefix));
      conds.push(fc.length === 1 ? (fc[0] as ConditionNode) : { t: 'or', items: fc });
    });
    const detection: Detection = {
      identifiers,
      conditions: [{ t: 'and', items: conds }],
      conditionText: [
        [r.detection.conditionText.join(' or '), ...fs.map((f) => f.detection.conditionText.join(' or '))]
          .map((t) => `(${t})`)
          .join(' and '),
      ],
    };
    return Object.freeze({ ...r, detection });
  });
  return { rules: out, errors };
}
