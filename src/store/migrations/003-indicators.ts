// Migration 3: indicators and who saw them, pre-aggregated per organisation and per server so that the
// campaign view reads a few index pages instead of grouping millions of findings.

import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../db.js';
import { columns } from './columns.js';

export function indicators(dialect: Dialect): Migration {
  const c = columns(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await c
        .id(db.schema.createTable('indicators'))
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('value', 'text', (col) => col.notNull())
        .addColumn('first_seen', 'text', (col) => col.notNull())
        .addColumn('last_seen', 'text', (col) => col.notNull())
        .addColumn('org_count', 'integer', (col) => col.notNull())
        .addUniqueConstraint('indicators_kind_value', ['kind', 'value'])
        .execute();
      await db.schema
        .createIndex('indicators_campaign')
        .on('indicators')
        .columns(['org_count', 'last_seen', 'id'])
        .execute();
      await db.schema
        .createTable('indicator_orgs')
        .addColumn('indicator_id', c.ref, (col) =>
          col.notNull().references('indicators.id').onDelete('cascade'),
        )
        .addColumn('org_id', c.ref, (col) => col.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('first_seen', 'text', (col) => col.notNull())
        .addColumn('last_seen', 'text', (col) => col.notNull())
        .addColumn('server_count', 'integer', (col) => col.notNull())
        .addColumn('sightings', 'integer', (col) => col.notNull())
        .addPrimaryKeyConstraint('indicator_orgs_pk', ['indicator_id', 'org_id'])
        .execute();
      // A campaign's most recent victims: the first few entries of one indicator in last-seen order.
      await db.schema
        .createIndex('indicator_orgs_recent')
        .on('indicator_orgs')
        .columns(['indicator_id', 'last_seen'])
        .execute();
      await db.schema
        .createIndex('indicator_orgs_campaign')
        .on('indicator_orgs')
        .columns(['org_id', 'server_count', 'last_seen', 'indicator_id'])
        .execute();
      await db.schema
        .createTable('indicator_servers')
        .addColumn('indicator_id', c.ref, (col) =>
          col.notNull().references('indicators.id').onDelete('cascade'),
        )
        .addColumn('server_id', c.ref, (col) => col.notNull().references('servers.id').onDelete('cascade'))
        .addColumn('org_id', c.ref, (col) => col.notNull())
        .addColumn('first_seen', 'text', (col) => col.notNull())
        .addColumn('last_seen', 'text', (col) => col.notNull())
        .addColumn('scans', 'integer', (col) => col.notNull())
        // Server first: a new server's rows append to the key instead of landing all over it.
        .addPrimaryKeyConstraint('indicator_servers_pk', ['server_id', 'indicator_id'])
        .execute();
      await db.schema
        .createIndex('indicator_servers_recent')
        .on('indicator_servers')
        .columns(['indicator_id', 'org_id', 'last_seen'])
        .execute();
      await db.schema
        .createTable('indicator_rules')
        .addColumn('indicator_id', c.ref, (col) =>
          col.notNull().references('indicators.id').onDelete('cascade'),
        )
        .addColumn('org_id', c.ref, (col) => col.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('rule_id', 'text', (col) => col.notNull())
        .addColumn('stage', 'text', (col) => col.notNull())
        .addColumn('rule_title', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('indicator_rules_pk', ['indicator_id', 'org_id', 'rule_id', 'stage'])
        .execute();
      // The same across organisations, for the administrators' view: a shared scanner's rules are a few rows
      // here instead of a few per tenant.
      await db.schema
        .createTable('indicator_activity')
        .addColumn('indicator_id', c.ref, (col) =>
          col.notNull().references('indicators.id').onDelete('cascade'),
        )
        .addColumn('rule_id', 'text', (col) => col.notNull())
        .addColumn('stage', 'text', (col) => col.notNull())
        .addColumn('rule_title', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('indicator_activity_pk', ['indicator_id', 'rule_id', 'stage'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of [
        'indicator_activity',
        'indicator_rules',
        'indicator_servers',
        'indicator_orgs',
        'indicators',
      ])
        await db.schema.dropTable(t).execute();
    },
  };
}
