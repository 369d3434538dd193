// Migration 6: each server's triage score, kept with its reasons and the evidence it was computed from, so
// that ordering the fleet by it is an index scan, and recomputing it needs no report.

import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../db.js';

const COLUMNS = [
  'triage_score',
  'triage_activity',
  'triage_reasons',
  'triage_evidence',
  'triage_until',
  'triage_days',
] as const;

const INDEXES = ['servers_triage', 'servers_org_triage', 'servers_triage_until', 'servers_triage_days'];

export function triage(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // One column per statement: SQLite's ALTER TABLE adds one at a time.
      await db.schema
        .alterTable('servers')
        .addColumn('triage_score', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // The newest attacker activity, '' for none: the empty text sorts last under DESC on both databases,
      // where a NULL would sort first on PostgreSQL and last on SQLite.
      await db.schema
        .alterTable('servers')
        .addColumn('triage_activity', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      // JSON: the reasons as the API gives them.
      await db.schema
        .alterTable('servers')
        .addColumn('triage_reasons', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      // JSON: what the latest scan showed (core/triage.ts `TriageEvidence`); NULL until computed.
      await db.schema.alterTable('servers').addColumn('triage_evidence', 'text').execute();
      // When a reason that depends on the clock changes next; '' asks for a recompute; NULL: never.
      await db.schema
        .alterTable('servers')
        .addColumn('triage_until', 'text', (c) => c.defaultTo(''))
        .execute();
      // The activity window (days) the score was computed with: another setting means computing again.
      await db.schema
        .alterTable('servers')
        .addColumn('triage_days', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('servers_triage')
        .on('servers')
        .columns(['triage_score', 'triage_activity', 'id'])
        .execute();
      await db.schema
        .createIndex('servers_org_triage')
        .on('servers')
        .columns(['org_id', 'triage_score', 'triage_activity', 'id'])
        .execute();
      await db.schema.createIndex('servers_triage_until').on('servers').column('triage_until').execute();
      await db.schema.createIndex('servers_triage_days').on('servers').column('triage_days').execute();
    },
    async down(db: Kysely<unknown>) {
      for (const i of INDEXES) await db.schema.dropIndex(i).execute();
      for (const c of COLUMNS) await db.schema.alterTable('servers').dropColumn(c).execute();
    },
  };
}
