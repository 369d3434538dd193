// Migration 7: the sessions of each server as groups of indicators, which the campaign clustering links.
// Kept per server (like indicator_servers), so that ingests of different tenants never share a row.

import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../db.js';
import { columns } from './columns.js';

export function clusters(dialect: Dialect): Migration {
  const c = columns(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('server_sessions')
        .addColumn('server_id', c.ref, (col) => col.notNull().references('servers.id').onDelete('cascade'))
        // A hash of the session's indicators: the same session in a later scan is the same row.
        .addColumn('session_key', 'text', (col) => col.notNull())
        .addColumn('org_id', c.ref, (col) => col.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('first_seen', 'text', (col) => col.notNull())
        .addColumn('last_seen', 'text', (col) => col.notNull())
        // Comma-separated, sorted: what the session did (stages) and the CVEs of its findings.
        .addColumn('stages', 'text', (col) => col.notNull())
        .addColumn('cves', 'text', (col) => col.notNull())
        .addColumn('scans', 'integer', (col) => col.notNull())
        .addPrimaryKeyConstraint('server_sessions_pk', ['server_id', 'session_key'])
        .execute();
      await db.schema.createIndex('server_sessions_org').on('server_sessions').columns(['org_id']).execute();
      await db.schema
        .createTable('server_session_indicators')
        .addColumn('server_id', c.ref, (col) => col.notNull().references('servers.id').onDelete('cascade'))
        .addColumn('session_key', 'text', (col) => col.notNull())
        .addColumn('indicator_id', c.ref, (col) =>
          col.notNull().references('indicators.id').onDelete('cascade'),
        )
        .addColumn('org_id', c.ref, (col) => col.notNull())
        .addPrimaryKeyConstraint('server_session_indicators_pk', ['server_id', 'session_key', 'indicator_id'])
        .execute();
      await db.schema
        .createIndex('server_session_indicators_org')
        .on('server_session_indicators')
        .columns(['org_id', 'server_id', 'session_key'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['server_session_indicators', 'server_sessions'])
        await db.schema.dropTable(t).execute();
    },
  };
}
