// Migration 2: servers, uploaded bundles (and their bytes, for workers on other machines), scans, findings,
// webshells and remediation items.

import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../db.js';
import { columns } from './columns.js';

export function scans(dialect: Dialect): Migration {
  const c = columns(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await c
        .id(db.schema.createTable('servers'))
        .addColumn('org_id', c.ref, (col) => col.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('latest_scan_id', c.ref)
        .addColumn('latest_verdict', 'text')
        .addColumn('latest_at', 'text')
        .addColumn('build', 'text')
        .addColumn('exposure', 'text')
        .addUniqueConstraint('servers_org_name', ['org_id', 'name'])
        .execute();
      await db.schema
        .createIndex('servers_verdict')
        .on('servers')
        .columns(['org_id', 'latest_verdict'])
        .execute();
      await c
        .id(db.schema.createTable('bundles'))
        .addColumn('org_id', c.ref, (col) => col.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('server_id', c.ref, (col) => col.notNull().references('servers.id').onDelete('cascade'))
        .addColumn('sha256', 'text', (col) => col.notNull())
        .addColumn('size', c.ref, (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('error', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('scan_id', c.ref)
        // The same bundle uploaded twice by one organisation is one bundle, hence one scan.
        .addUniqueConstraint('bundles_org_sha', ['org_id', 'sha256'])
        .execute();
      await db.schema
        .createTable('bundle_chunks')
        .addColumn('bundle_id', c.ref, (col) => col.notNull().references('bundles.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (col) => col.notNull())
        .addColumn('data', c.bytes, (col) => col.notNull())
        .addPrimaryKeyConstraint('bundle_chunks_pk', ['bundle_id', 'seq'])
        .execute();
      await c
        .id(db.schema.createTable('scans'))
        .addColumn('org_id', c.ref, (col) => col.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('server_id', c.ref, (col) => col.notNull().references('servers.id').onDelete('cascade'))
        .addColumn('bundle_id', c.ref, (col) => col.unique().references('bundles.id').onDelete('set null'))
        .addColumn('report_sha256', 'text', (col) => col.notNull())
        .addColumn('verdict', 'text', (col) => col.notNull())
        .addColumn('explanation', 'text', (col) => col.notNull())
        .addColumn('started_at', 'text', (col) => col.notNull())
        .addColumn('finished_at', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('tool_version', 'text', (col) => col.notNull())
        .addColumn('findings_count', 'integer', (col) => col.notNull())
        .addColumn('meta', 'text', (col) => col.notNull())
        // The same report uploaded twice for one server is one scan.
        .addUniqueConstraint('scans_server_report', ['server_id', 'report_sha256'])
        .execute();
      await db.schema.createIndex('scans_org').on('scans').columns(['org_id', 'finished_at', 'id']).execute();
      await db.schema
        .createIndex('scans_server')
        .on('scans')
        .columns(['server_id', 'finished_at', 'id'])
        .execute();
      await c
        .id(db.schema.createTable('findings'))
        .addColumn('org_id', c.ref, (col) => col.notNull())
        .addColumn('server_id', c.ref, (col) => col.notNull())
        .addColumn('scan_id', c.ref, (col) => col.notNull().references('scans.id').onDelete('cascade'))
        .addColumn('finding_id', 'text', (col) => col.notNull())
        .addColumn('rule_id', 'text', (col) => col.notNull())
        .addColumn('severity', 'text', (col) => col.notNull())
        .addColumn('stage', 'text', (col) => col.notNull())
        .addColumn('outcome', 'text', (col) => col.notNull())
        .addColumn('sort_time', 'text', (col) => col.notNull())
        .addColumn('source_ip', 'text')
        .addColumn('data', 'text', (col) => col.notNull())
        .execute();
      // Listing is newest upload first within a tenant, a server or a scan (administrators: the primary key).
      // Every key ends in the id, so a report's rows land at the right edge of each index: ordering by the
      // findings' own times instead would scatter each report over the whole index and slow ingest at scale.
      for (const [name, cols] of [
        ['findings_org', ['org_id', 'id']],
        ['findings_server', ['server_id', 'id']],
        ['findings_scan', ['scan_id', 'id']],
      ] as const)
        await db.schema
          .createIndex(name)
          .on('findings')
          .columns([...cols])
          .execute();
      await c
        .id(db.schema.createTable('webshells'))
        .addColumn('org_id', c.ref, (col) => col.notNull())
        .addColumn('server_id', c.ref, (col) => col.notNull())
        .addColumn('scan_id', c.ref, (col) => col.notNull().references('scans.id').onDelete('cascade'))
        .addColumn('path', 'text', (col) => col.notNull())
        .addColumn('sha256', 'text', (col) => col.notNull())
        .addColumn('size', c.ref, (col) => col.notNull())
        .addColumn('data', 'text', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('webshells_org').on('webshells').columns(['org_id', 'id']).execute();
      await db.schema.createIndex('webshells_scan').on('webshells').column('scan_id').execute();
      await c
        .id(db.schema.createTable('remediation_items'))
        .addColumn('org_id', c.ref, (col) => col.notNull())
        .addColumn('server_id', c.ref, (col) => col.notNull().references('servers.id').onDelete('cascade'))
        .addColumn('scan_id', c.ref, (col) => col.notNull())
        .addColumn('item_key', 'text', (col) => col.notNull())
        .addColumn('title', 'text', (col) => col.notNull())
        .addColumn('data', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('updated_at', 'text', (col) => col.notNull())
        .addColumn('updated_by', 'text')
        // One item per step and server: a later scan refreshes its text and keeps its status.
        .addUniqueConstraint('remediation_server_key', ['server_id', 'item_key'])
        .execute();
      await db.schema
        .createIndex('remediation_org')
        .on('remediation_items')
        .columns(['org_id', 'id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of [
        'remediation_items',
        'webshells',
        'findings',
        'scans',
        'bundle_chunks',
        'bundles',
        'servers',
      ])
        await db.schema.dropTable(t).execute();
    },
  };
}
