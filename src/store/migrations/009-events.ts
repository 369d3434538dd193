// Migration 9: the events of each scan (one row per request, probe group or context group), in the report's
// order, so that the server page can page through them without reading the whole report.

import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../db.js';
import { columns } from './columns.js';

export function events(dialect: Dialect): Migration {
  const c = columns(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await c
        .id(db.schema.createTable('scan_events'))
        .addColumn('org_id', c.ref, (col) => col.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('server_id', c.ref, (col) => col.notNull().references('servers.id').onDelete('cascade'))
        .addColumn('scan_id', c.ref, (col) => col.notNull().references('scans.id').onDelete('cascade'))
        // `event`, `probe` or `context`: the section's list, probe groups, context groups.
        .addColumn('kind', 'text', (col) => col.notNull())
        // Position in the report's order (events, then probes, then context): the page order.
        .addColumn('ord', 'integer', (col) => col.notNull())
        .addColumn('event_id', 'text', (col) => col.notNull())
        .addColumn('outcome', 'text', (col) => col.notNull())
        .addColumn('stage', 'text', (col) => col.notNull())
        .addColumn('first_at', 'text')
        // JSON: the RequestEvent or EventGroup as the report has it.
        .addColumn('data', 'text', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('scan_events_scan').on('scan_events').columns(['scan_id', 'ord']).execute();
      await db.schema.createIndex('scan_events_org').on('scan_events').columns(['org_id', 'id']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('scan_events').execute();
    },
  };
}
