// Migration 8: notification channels per organisation (webhook, SMTP, syslog) and the outbox that delivers
// them. Events are written to the outbox in the transaction that causes them, so a crash after the commit
// never loses one, and delivery is retried from the table.

import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../db.js';
import { columns } from './columns.js';

export function notifications(dialect: Dialect): Migration {
  const c = columns(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await c
        .id(db.schema.createTable('notify_channels'))
        .addColumn('org_id', c.ref, (col) => col.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('name', 'text', (col) => col.notNull())
        // JSON: the kind's settings (URL and secret, SMTP server and addresses, syslog host and format).
        .addColumn('config', 'text', (col) => col.notNull())
        // JSON: the event kinds the channel takes.
        .addColumn('events', 'text', (col) => col.notNull())
        .addColumn('enabled', 'integer', (col) => col.notNull())
        .addColumn('created_by', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('notify_channels_org')
        .on('notify_channels')
        .columns(['org_id', 'id'])
        .execute();
      await c
        .id(db.schema.createTable('notify_outbox'))
        .addColumn('org_id', c.ref, (col) => col.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('channel_id', c.ref, (col) =>
          col.notNull().references('notify_channels.id').onDelete('cascade'),
        )
        .addColumn('event', 'text', (col) => col.notNull())
        .addColumn('payload', 'text', (col) => col.notNull())
        // pending → sent, or failed after the last attempt.
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('attempts', 'integer', (col) => col.notNull())
        .addColumn('next_at', 'text', (col) => col.notNull())
        .addColumn('sent_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('notify_outbox_due')
        .on('notify_outbox')
        .columns(['state', 'next_at'])
        .execute();
      await db.schema
        .createIndex('notify_outbox_channel')
        .on('notify_outbox')
        .columns(['channel_id', 'id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['notify_outbox', 'notify_channels']) await db.schema.dropTable(t).execute();
    },
  };
}
