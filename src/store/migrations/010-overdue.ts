// Migration 10: when a remediation step was reported overdue, so that each is told once.

import type { Kysely, Migration } from 'kysely';

export function overdue(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('remediation_items').addColumn('overdue_notified_at', 'text').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('remediation_items').dropColumn('overdue_notified_at').execute();
    },
  };
}
