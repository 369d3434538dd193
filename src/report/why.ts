// Why findings have their outcome: what each analysis pass changed or decided on them, counted.

import type { Finding, FindingAdjustment } from '../core/finding.js';

export interface Why {
  pass: string;
  field: 'outcome' | 'severity';
  from?: string;
  to: string;
  /** The pass touched the finding (its note, a detail) but left this outcome as it was. */
  kept?: true;
  /** How many of the findings this was said of. */
  count: number;
  /** The first finding's reason; attacker text may be in it (a file path, an address): escape when shown. */
  reason: string;
}

/**
 * For each pass that adjusted the findings: its outcome and severity changes, or, when it changed only a
 * note or a detail, the outcome it left (a staged file the gate found no exploitation for was context
 * before and stays context: the gate is still why). One entry per pass and change, in first-seen order.
 */
export function whyOf(findings: readonly Finding[]): Why[] {
  const by = new Map<string, Why>();
  const add = (w: Omit<Why, 'count'>) => {
    const key = `${w.pass}\0${w.field}\0${w.from ?? ''}\0${w.to}\0${w.kept ? 'kept' : ''}`;
    const seen = by.get(key);
    if (seen) seen.count++;
    else by.set(key, { ...w, count: 1 });
  };
  for (const f of findings) {
    const adj = f.adjustments ?? [];
    const passes = [...new Set(adj.map((a) => a.pass))];
    for (const pass of passes) {
      const mine = adj.filter((a) => a.pass === pass);
      const changes = mine.filter((a) => a.field === 'outcome' || a.field === 'severity');
      for (const a of changes)
        add({ pass, field: a.field as Why['field'], ...(a.from !== undefined ? { from: a.from } : {}), to: a.to, reason: a.reason }); // prettier-ignore
      if (changes.length === 0)
        add({ pass, field: 'outcome', to: outcomeAfter(f, adj, adj.indexOf(mine[0] as FindingAdjustment)), kept: true, reason: (mine[0] as FindingAdjustment).reason }); // prettier-ignore
    }
  }
  return [...by.values()];
}

/** The finding's outcome just after adjustment `i`: the next outcome change's `from`, or the outcome now. */
function outcomeAfter(f: Finding, adj: readonly FindingAdjustment[], i: number): string {
  const next = adj.slice(i + 1).find((a) => a.field === 'outcome');
  return next?.from ?? f.outcome;
}

/**
 * `staged-gate: outcome compromise → context ×6 (no exploitation was found)`, or for an outcome left as it
 * was, `staged-gate: outcome context kept (no exploitation was found)`; `ascii` for the console.
 */
export function whyText(w: Why, ascii = false): string {
  const count = w.count > 1 ? ` ${ascii ? 'x' : '×'}${w.count}` : '';
  const change = w.kept ? `${w.to} kept` : `${w.from ?? 'unset'} ${ascii ? '->' : '→'} ${w.to}`;
  return `${w.pass}: ${w.field} ${change}${count} (${w.reason})`;
}

/** The findings a group names by id, to say why they are what they are. */
export function findingsByIds(all: readonly Finding[]): (ids: readonly string[]) => Finding[] {
  const byId = new Map(all.map((f) => [f.id, f]));
  return (ids) => ids.map((id) => byId.get(id)).filter((f): f is Finding => f !== undefined);
}
