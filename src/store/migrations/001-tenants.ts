// Migration 1: organisations (the tenants), users, browser sessions, API tokens and the audit log.

import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../db.js';
import { columns } from './columns.js';

export function tenants(dialect: Dialect): Migration {
  const c = columns(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await c
        .id(db.schema.createTable('organisations'))
        .addColumn('name', 'text', (col) => col.notNull().unique())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await c
        .id(db.schema.createTable('users'))
        .addColumn('org_id', c.ref, (col) => col.references('organisations.id').onDelete('cascade'))
        .addColumn('username', 'text', (col) => col.notNull().unique())
        .addColumn('password_hash', 'text', (col) => col.notNull())
        .addColumn('role', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('token_hash', 'text', (col) => col.primaryKey().notNull())
        .addColumn('user_id', c.ref, (col) => col.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
      await c
        .id(db.schema.createTable('api_tokens'))
        .addColumn('org_id', c.ref, (col) => col.references('organisations.id').onDelete('cascade'))
        .addColumn('role', 'text', (col) => col.notNull())
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('token_hash', 'text', (col) => col.notNull().unique())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      // No foreign key to organisations: the trail of what happened must outlive what it is about.
      await c
        .id(db.schema.createTable('audit_log'))
        .addColumn('org_id', c.ref)
        .addColumn('at', 'text', (col) => col.notNull())
        .addColumn('actor', 'text', (col) => col.notNull())
        .addColumn('action', 'text', (col) => col.notNull())
        .addColumn('target', 'text', (col) => col.notNull())
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('audit_org').on('audit_log').columns(['org_id', 'id']).execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['audit_log', 'api_tokens', 'sessions', 'users', 'organisations'])
        await db.schema.dropTable(t).execute();
    },
  };
}
