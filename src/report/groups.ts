// Findings grouped by stage, then by rule and outcome, strongest first: the shape both report writers list.

import type { Finding, Stage } from '../core/finding.js';
import { SEVERITY_ORDER } from '../core/finding.js';

export function groupFindings(findings: readonly Finding[]): Map<Stage, Finding[][]> {
  const by = new Map<Stage, Map<string, Finding[]>>();
  for (const f of findings) {
    let rules = by.get(f.stage);
    if (!rules) by.set(f.stage, (rules = new Map<string, Finding[]>()));
    const key = `${f.rule.id}\0${f.outcome}`;
    const list = rules.get(key);
    if (list) list.push(f);
    else rules.set(key, [f]);
  }
  const out = new Map<Stage, Finding[][]>();
  for (const [stage, rules] of by)
    out.set(
      stage,
      [...rules.values()].sort(
        (a, b) => SEVERITY_ORDER[(b[0] as Finding).severity] - SEVERITY_ORDER[(a[0] as Finding).severity],
      ),
    );
  return out;
}
