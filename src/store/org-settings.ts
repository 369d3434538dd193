// An organisation's own settings: how many days a remediation step of each phase may stay open before the
// overdue notification goes out (migration 11). Unset phases keep the defaults; changes are audited with
// the values before and after.

import { audit } from './audit.js';
import type { Store } from './db.js';
import type { OrgScope } from './scope.js';
import type { Db, Tx } from './tx.js';
import { withTx } from './tx.js';

/**
 * The defaults, by phase: containment cannot wait, recovery can take a fortnight. Steps without a phase
 * get the longest wait of the organisation's settings.
 */
export const OVERDUE_DAYS: Readonly<Record<string, number>> = {
  preserve: 1,
  contain: 1,
  eradicate: 3,
  patch: 7,
  verify: 7,
  recover: 14,
};
export const OVERDUE_PHASES = Object.keys(OVERDUE_DAYS);
/** Bounds of a deadline: at least a day (the overdue check runs every few minutes, not by the hour). */
export const OVERDUE_MIN = 1;
export const OVERDUE_MAX = 365;

export interface OverdueSettings {
  /** Days per phase, every phase present. */
  days: Record<string, number>;
  /** Phases whose value is the organisation's own rather than the default. */
  custom: string[];
}

/** The stored JSON merged over the defaults; a damaged value falls back to the default for that phase. */
export function overdueOf(stored: string | null): OverdueSettings {
  let own: Record<string, unknown> = {};
  try {
    const v: unknown = stored ? JSON.parse(stored) : {};
    if (v && typeof v === 'object' && !Array.isArray(v)) own = v as Record<string, unknown>;
  } catch {
    // A value that does not parse is ignored: the defaults are safe.
  }
  const days: Record<string, number> = { ...OVERDUE_DAYS };
  const custom: string[] = [];
  for (const p of OVERDUE_PHASES) {
    const d = own[p];
    if (typeof d === 'number' && Number.isInteger(d) && d >= OVERDUE_MIN && d <= OVERDUE_MAX) {
      days[p] = d;
      custom.push(p);
    }
  }
  return { days, custom };
}

/** Days a step of `phase` may stay open under these settings (no or an unknown phase: the longest). */
export function overdueDaysFor(s: OverdueSettings, phase: string): number {
  return s.days[phase] ?? Math.max(...Object.values(s.days));
}

export async function getOverdue(db: Db | Tx, orgId: number): Promise<OverdueSettings> {
  const row = await db
    .selectFrom('organisations')
    .select('overdue_days')
    .where('id', '=', orgId)
    .executeTakeFirst();
  return overdueOf(row?.overdue_days ?? null);
}

/** Every problem of a submitted setting, as `phase: message`; empty when it is sound. */
export function validateOverdue(days: Record<string, unknown>): string[] {
  const errors: string[] = [];
  for (const [p, d] of Object.entries(days)) {
    if (!OVERDUE_PHASES.includes(p)) errors.push(`${p}: not a remediation phase`);
    else if (typeof d !== 'number' || !Number.isInteger(d) || d < OVERDUE_MIN || d > OVERDUE_MAX)
      errors.push(`${p}: must be a whole number of days from ${OVERDUE_MIN} to ${OVERDUE_MAX}`);
  }
  return errors;
}

/**
 * Stores the organisation's deadlines (a phase left out, or equal to its default, follows the default)
 * and audits the change. Throws on invalid input (validate first).
 */
export async function setOverdue(
  store: Store,
  scope: OrgScope,
  days: Record<string, number>,
  actor: string,
): Promise<OverdueSettings> {
  const errors = validateOverdue(days);
  if (errors.length) throw new Error(errors.join('; '));
  return withTx(store, async (trx) => {
    const before = await getOverdue(trx, scope.orgId);
    const own = Object.fromEntries(Object.entries(days).filter(([p, d]) => OVERDUE_DAYS[p] !== d));
    await trx
      .updateTable('organisations')
      .set({ overdue_days: Object.keys(own).length ? JSON.stringify(own) : null })
      .where('id', '=', scope.orgId)
      .execute();
    const after = overdueOf(Object.keys(own).length ? JSON.stringify(own) : null);
    await audit(trx, {
      orgId: scope.orgId,
      actor,
      action: 'notify.overdue.update',
      target: `organisation:${scope.orgId}`,
      detail: { before: before.days, after: after.days },
    });
    return after;
  });
}
