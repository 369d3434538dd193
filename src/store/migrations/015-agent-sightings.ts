// Migration 15: what each agent's scan has already counted. An agent sends one scan's findings in many
// batches; an upload counts once per scan towards an indicator's `scans` and `sightings` and a session's
// `scans`, so a batch counts only what earlier batches of the same agent's scan did not name.

import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../db.js';
import { columns } from './columns.js';

export function agentSightings(dialect: Dialect): Migration {
  const c = columns(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('agent_scan_counted')
        .addColumn('scan_id', c.ref, (col) => col.notNull().references('scans.id').onDelete('cascade'))
        // `indicator` (key: the indicator's id) or `session` (key: the session key).
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('key', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('agent_scan_counted_pk', ['scan_id', 'kind', 'key'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('agent_scan_counted').execute();
    },
  };
}
