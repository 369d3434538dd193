// The one place findings change after matching: adjustments applied in order, each recorded on its finding.

import type { Finding, Outcome, SetAsideSection, Severity } from '../../core/finding.js';
import type { Gate } from '../../core/rule-ids.js';
import { fieldOf } from './adjustment.js';
import type { Adjustment } from './adjustment.js';

/**
 * The `details` keys a pass sets a finding aside with (the text copies readers of 1.5 reports know), and the
 * field of the typed `setAside` section each fills: analysis reads the section.
 */
const SET_ASIDE_DETAILS: ReadonlyMap<string, (s: SetAsideSection, v: string) => void> = new Map([
  ['setAside', (s: SetAsideSection, v: string) => void (s.by = v)],
  ['scannerRequest', (s: SetAsideSection, v: string) => void (s.request = v)],
  [
    'internalSource',
    (s: SetAsideSection, v: string) => void (s.sources = v.split(' ').filter((x) => x.length > 0)),
  ],
]);

/**
 * Applies adjustments in the order given and appends each to its finding's `adjustments`, with the value
 * the finding held before. Findings are addressed by id (rule, file, line: unique within a report); were
 * two to share one, both take the change, which is what the same evidence read twice should get.
 */
export function applyAdjustments(findings: readonly Finding[], adjustments: readonly Adjustment[]): void {
  if (adjustments.length === 0) return;
  const byId = new Map<string, Finding[]>();
  for (const f of findings) {
    const same = byId.get(f.id);
    if (same) same.push(f);
    else byId.set(f.id, [f]);
  }
  for (const a of adjustments)
    for (const f of byId.get(a.findingId) ?? []) {
      const from = fieldOf(f, a.field);
      if (a.field === 'outcome') f.outcome = a.to as Outcome;
      else if (a.field === 'severity') f.severity = a.to as Severity;
      else if (a.field === 'note') f.note = a.to;
      else if (a.field === 'gate') f.gate = a.to as Gate;
      else {
        const key = a.field.slice('details.'.length);
        f.details = { ...(f.details ?? {}), [key]: a.to };
        SET_ASIDE_DETAILS.get(key)?.((f.setAside ??= {}), a.to);
      }
      (f.adjustments ??= []).push({
        pass: a.pass,
        field: a.field,
        ...(from !== undefined ? { from } : {}),
        to: a.to,
        reason: a.reason,
      });
    }
}
