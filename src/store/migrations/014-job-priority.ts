// Migration 14: a priority on the SQLite jobs table, as pg-boss has on PostgreSQL, so that a large retro-hunt's
// re-analyses wait behind new uploads' analysis instead of ahead of them (higher first, then oldest first).

import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';

export function jobPriority(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('jobs')
        .addColumn('priority', 'integer', (col) => col.notNull().defaultTo(0))
        .execute();
      await db.schema.dropIndex('jobs_claim').execute();
      // The claim's order: queued jobs of a queue by priority (highest first), then id.
      await db.schema
        .createIndex('jobs_claim')
        .on('jobs')
        .columns(['queue', 'status'])
        .expression(sql`priority desc`)
        .column('id')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('jobs_claim').execute();
      await db.schema.createIndex('jobs_claim').on('jobs').columns(['queue', 'status', 'id']).execute();
      await db.schema.alterTable('jobs').dropColumn('priority').execute();
    },
  };
}
