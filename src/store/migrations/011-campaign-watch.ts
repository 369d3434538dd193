// Migration 11: what incremental clustering, campaign notifications and per-organisation overdue deadlines
// keep. `cluster_changes` is a log of ingests in commit order (a sequence taken from the one-row
// `cluster_clock` just before commit, so a reader that has applied every change up to N never misses one
// committed later with a smaller number); `campaign_watch` is how far each organisation's campaign
// notifications have read that log, `campaign_notices` which servers each cluster was announced with;
// `organisations.overdue_days` the organisation's own remediation deadlines (JSON, null: the defaults).

import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../db.js';
import { columns } from './columns.js';

export function campaignWatch(dialect: Dialect): Migration {
  const c = columns(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('cluster_clock')
        .addColumn('id', 'integer', (col) => col.primaryKey().notNull())
        .addColumn('seq', c.ref, (col) => col.notNull())
        .execute();
      await sql`INSERT INTO cluster_clock (id, seq) VALUES (1, 0)`.execute(db);
      await db.schema
        .createTable('cluster_changes')
        .addColumn('seq', c.ref, (col) => col.primaryKey().notNull())
        .addColumn('org_id', c.ref, (col) => col.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('server_id', c.ref, (col) => col.notNull().references('servers.id').onDelete('cascade'))
        // JSON: the ids of the indicators the ingest recorded (their organisation counts may have grown).
        .addColumn('indicators', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('cluster_changes_org')
        .on('cluster_changes')
        .columns(['org_id', 'seq'])
        .execute();
      await db.schema
        .createTable('campaign_watch')
        .addColumn('org_id', c.ref, (col) =>
          col.primaryKey().notNull().references('organisations.id').onDelete('cascade'),
        )
        .addColumn('seq', c.ref, (col) => col.notNull())
        // 1: the next pass records the clusters as they stand without announcing them (an upgraded fleet
        // must not announce every campaign it already holds).
        .addColumn('baseline', 'integer', (col) => col.notNull())
        .execute();
      await sql`INSERT INTO campaign_watch (org_id, seq, baseline) SELECT id, 0, 1 FROM organisations`.execute(
        db,
      );
      await db.schema
        .createTable('campaign_notices')
        .addColumn('org_id', c.ref, (col) => col.notNull().references('organisations.id').onDelete('cascade'))
        // The cluster's id when last announced; moved to the current id after a merge.
        .addColumn('cluster_id', c.ref, (col) => col.notNull())
        .addColumn('server_id', c.ref, (col) => col.notNull().references('servers.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('campaign_notices_pk', ['org_id', 'cluster_id', 'server_id'])
        .execute();
      await db.schema.alterTable('organisations').addColumn('overdue_days', 'text').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('organisations').dropColumn('overdue_days').execute();
      for (const t of ['campaign_notices', 'campaign_watch', 'cluster_changes', 'cluster_clock'])
        await db.schema.dropTable(t).execute();
    },
  };
}
