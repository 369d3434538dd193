// Migration 12: monitoring agents (`exhunt watch`): one row per installed agent with its last contact, lag
// and versions, and the idempotency keys of the findings agents sent, so a retry never stores one twice.

import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../db.js';
import { columns } from './columns.js';

export function agents(dialect: Dialect): Migration {
  const c = columns(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await c
        .id(db.schema.createTable('agents'))
        .addColumn('org_id', c.ref, (col) => col.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('agent_id', 'text', (col) => col.notNull())
        .addColumn('server_id', c.ref, (col) => col.notNull().references('servers.id').onDelete('cascade'))
        .addColumn('server_name', 'text', (col) => col.notNull())
        .addColumn('scan_id', c.ref)
        .addColumn('version', 'text', (col) => col.notNull())
        .addColumn('rules_version', 'text', (col) => col.notNull())
        .addColumn('indicators', 'integer', (col) => col.notNull())
        .addColumn('last_contact', 'text', (col) => col.notNull())
        .addColumn('lag_seconds', 'integer', (col) => col.notNull())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('silent_notified_at', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addUniqueConstraint('agents_org_agent', ['org_id', 'agent_id'])
        .execute();
      await db.schema.createIndex('agents_contact').on('agents').columns(['last_contact']).execute();
      await db.schema
        .createTable('agent_findings')
        .addColumn('org_id', c.ref, (col) => col.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('dedup_key', 'text', (col) => col.notNull())
        .addColumn('server_id', c.ref, (col) => col.notNull().references('servers.id').onDelete('cascade'))
        .addColumn('agent_id', 'text', (col) => col.notNull())
        .addColumn('seen_at', 'text', (col) => col.notNull())
        .addColumn('received_at', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('agent_findings_pk', ['org_id', 'dedup_key'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('agent_findings').execute();
      await db.schema.dropTable('agents').execute();
    },
  };
}
