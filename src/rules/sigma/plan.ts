// Planning a scan: which rules read which source, through which field maps; what applies to nothing.

import { compileEntries } from './compile.js';
import type { CompileOptions, CompiledRuleSet, RuleEntry } from './compile.js';
import { sourcesFor } from './mapping.js';
import type { Mapping } from './mapping.js';
import type { RuleError, SigmaRule } from './model.js';

export interface RulePlan {
  /** Source id → rule entries reading it. */
  readonly bySource: ReadonlyMap<string, readonly RuleEntry[]>;
  /** Rules whose log source the mapping sends nowhere (counted as not applicable, not errors). */
  readonly notApplicable: readonly SigmaRule[];
}

export function planRules(rules: readonly SigmaRule[], mapping: Mapping): RulePlan {
  const bySource = new Map<string, RuleEntry[]>();
  const notApplicable: SigmaRule[] = [];
  for (const rule of rules) {
    const bindings = sourcesFor(mapping, rule.logsource);
    if (bindings.length === 0) notApplicable.push(rule);
    for (const b of bindings) {
      const list = bySource.get(b.source) ?? [];
      list.push({ rule, fieldMap: b.fieldMap });
      bySource.set(b.source, list);
    }
  }
  return { bySource, notApplicable };
}

/** One compiled set per source id: call `sets.get(record.source)?.match(record)` for every record. */
export function compilePlan(
  plan: RulePlan,
  opts: CompileOptions = {},
): { sets: Map<string, CompiledRuleSet>; errors: RuleError[] } {
  const sets = new Map<string, CompiledRuleSet>();
  const errors: RuleError[] = [];
  const seen = new Set<string>();
  for (const [source, entries] of plan.bySource) {
    const res = compileEntries(entries, opts);
    sets.set(source, res.set);
    for (const e of res.errors) {
      // A rule broken for one source is usually broken for all: report it once.
      const key = `${e.ruleId}\u0000${e.message}`;
      if (!seen.has(key)) errors.push(e);
      seen.add(key);
    }
  }
  return { sets, errors };
}
