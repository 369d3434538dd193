// Migration 5: indicator feeds uploaded to the fleet server (a tenant's own, or shared by administrators
// with every organisation), and what the fleet's scans matched from any feed, per server.

import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../db.js';
import { columns } from './columns.js';

export function feeds(dialect: Dialect): Migration {
  const c = columns(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await c
        .id(db.schema.createTable('indicator_feeds'))
        // NULL: a shared feed, applied to every organisation's scans.
        .addColumn('org_id', c.ref, (col) => col.references('organisations.id').onDelete('cascade'))
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('format', 'text', (col) => col.notNull())
        .addColumn('content', 'text', (col) => col.notNull())
        .addColumn('sha256', 'text', (col) => col.notNull())
        .addColumn('size', c.ref, (col) => col.notNull())
        .addColumn('indicator_count', 'integer', (col) => col.notNull())
        .addColumn('problem_count', 'integer', (col) => col.notNull())
        .addColumn('problems', 'text', (col) => col.notNull())
        // 0 or 1 on both databases, so that one row type serves both.
        .addColumn('enabled', 'integer', (col) => col.notNull())
        .addColumn('created_by', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('indicator_feeds_org')
        .on('indicator_feeds')
        .columns(['org_id', 'id'])
        .execute();
      // Keyed by a hash of the indicator's id, type and value: feed values (URLs) can be longer than a
      // PostgreSQL index row may be, and a feed must never make ingest fail.
      await db.schema
        .createTable('feed_sightings')
        .addColumn('server_id', c.ref, (col) => col.notNull().references('servers.id').onDelete('cascade'))
        .addColumn('key_sha', 'text', (col) => col.notNull())
        .addColumn('org_id', c.ref, (col) => col.notNull())
        .addColumn('rule_id', 'text', (col) => col.notNull())
        .addColumn('ind_type', 'text', (col) => col.notNull())
        .addColumn('ind_value', 'text', (col) => col.notNull())
        .addColumn('source', 'text', (col) => col.notNull())
        .addColumn('first_seen', 'text', (col) => col.notNull())
        .addColumn('last_seen', 'text', (col) => col.notNull())
        .addColumn('scans', 'integer', (col) => col.notNull())
        .addColumn('findings', 'integer', (col) => col.notNull())
        .addPrimaryKeyConstraint('feed_sightings_pk', ['server_id', 'key_sha'])
        .execute();
      await db.schema
        .createIndex('feed_sightings_org')
        .on('feed_sightings')
        .columns(['org_id', 'last_seen'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['feed_sightings', 'indicator_feeds']) await db.schema.dropTable(t).execute();
    },
  };
}
