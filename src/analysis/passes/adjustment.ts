// What an analysis pass returns instead of changing findings: adjustments, and the draft a pass writes them with.

import type { AdjustedField, Finding, Outcome, Severity } from '../../core/finding.js';
import type { Gate } from '../../core/rule-ids.js';

/** A change a pass asks for: the finding (by id), the field, its value before and after, and why. */
export interface Adjustment {
  findingId: string;
  pass: string;
  field: AdjustedField;
  /** The value the pass saw; absent when the field was not set. */
  from?: string;
  to: string;
  reason: string;
}

/** The value of a field on a finding, as a string (`undefined` when not set). */
export function fieldOf(f: Readonly<Finding>, field: AdjustedField): string | undefined {
  if (field === 'outcome') return f.outcome;
  if (field === 'severity') return f.severity;
  if (field === 'note') return f.note;
  if (field === 'gate') return f.gate;
  return f.details?.[field.slice('details.'.length)];
}

/**
 * A pass's adjustments in the making. Reads go through it, so a pass that changes a finding and reads it
 * again later in the same run sees its own change, as it did when passes changed findings in place.
 */
export class Draft {
  readonly adjustments: Adjustment[] = [];
  private readonly pending = new Map<Readonly<Finding>, Map<AdjustedField, string>>();

  constructor(readonly pass: string) {}

  get(f: Readonly<Finding>, field: AdjustedField): string | undefined {
    return this.pending.get(f)?.get(field) ?? fieldOf(f, field);
  }

  outcome(f: Readonly<Finding>): Outcome {
    return this.get(f, 'outcome') as Outcome;
  }

  set(f: Readonly<Finding>, field: AdjustedField, to: string, reason: string): void {
    const from = this.get(f, field);
    if (from === to) return;
    this.adjustments.push({ findingId: f.id, pass: this.pass, field, ...(from !== undefined ? { from } : {}), to, reason }); // prettier-ignore
    let p = this.pending.get(f);
    if (!p) this.pending.set(f, (p = new Map<AdjustedField, string>()));
    p.set(field, to);
  }

  setOutcome(f: Readonly<Finding>, to: Outcome, reason: string): void {
    this.set(f, 'outcome', to, reason);
  }

  setSeverity(f: Readonly<Finding>, to: Severity, reason: string): void {
    this.set(f, 'severity', to, reason);
  }

  /** Adds a clause to the note (`earlier; this`), the way every pass has written notes. */
  addNote(f: Readonly<Finding>, clause: string, reason: string): void {
    const before = this.get(f, 'note');
    this.set(f, 'note', before ? `${before}; ${clause}` : clause, reason);
  }

  setGate(f: Readonly<Finding>, to: Gate, reason: string): void {
    this.set(f, 'gate', to, reason);
  }

  setDetails(f: Readonly<Finding>, values: Readonly<Record<string, string>>, reason: string): void {
    for (const [k, v] of Object.entries(values)) this.set(f, `details.${k}`, v, reason);
  }
}
