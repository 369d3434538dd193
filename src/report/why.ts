// Why findings have their outcome: the outcome and severity changes the analysis passes recorded, counted.

import type { Finding } from '../core/finding.js';

export interface Why {
  pass: string;
  field: string;
  from?: string;
  to: string;
  /** How many of the findings this change was made to. */
  count: number;
  /** The first finding's reason; attacker text may be in it (a file path, an address): escape when shown. */
  reason: string;
}

/** The outcome and severity changes of the findings, one entry per pass and change, in first-seen order. */
export function whyOf(findings: readonly Finding[]): Why[] {
  const by = new Map<string, Why>();
  for (const f of findings)
    for (const a of f.adjustments ?? []) {
      if (a.field !== 'outcome' && a.field !== 'severity') continue;
      const key = `${a.pass}\0${a.field}\0${a.from ?? ''}\0${a.to}`;
      const seen = by.get(key);
      if (seen) seen.count++;
      else
        by.set(key, {
          pass: a.pass,
          field: a.field,
          ...(a.from !== undefined ? { from: a.from } : {}),
          to: a.to,
          count: 1,
          reason: a.reason,
        });
    }
  return [...by.values()];
}

/** `staged-gate: outcome compromise → context ×6 (no exploitation was found)`; `ascii` for the console. */
export function whyText(w: Why, ascii = false): string {
  const count = w.count > 1 ? ` ${ascii ? 'x' : '×'}${w.count}` : '';
  return `${w.pass}: ${w.field} ${w.from ?? 'unset'} ${ascii ? '->' : '→'} ${w.to}${count} (${w.reason})`;
}

/** The findings a group names by id, to say why they are what they are. */
export function findingsByIds(all: readonly Finding[]): (ids: readonly string[]) => Finding[] {
  const byId = new Map(all.map((f) => [f.id, f]));
  return (ids) => ids.map((id) => byId.get(id)).filter((f): f is Finding => f !== undefined);
}
