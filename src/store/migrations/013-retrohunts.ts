// Migration 13: retro-hunts (a feed or rule pack run again over what the fleet already holds), the bundles
// each one re-analyses with their progress, the hits it found, and Sigma rule packs stored on the server.

import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../db.js';
import { columns } from './columns.js';

export function retrohunts(dialect: Dialect): Migration {
  const c = columns(dialect);
  return {
    async up(db: Kysely<unknown>) {
      // Like indicator_feeds: NULL org_id is a pack an administrator shared with every organisation.
      await c
        .id(db.schema.createTable('rule_packs'))
        .addColumn('org_id', c.ref, (col) => col.references('organisations.id').onDelete('cascade'))
        .addColumn('name', 'text', (col) => col.notNull())
        // The pack as uploaded: one YAML file, several documents.
        .addColumn('content', 'text', (col) => col.notNull())
        .addColumn('sha256', 'text', (col) => col.notNull())
        .addColumn('size', c.ref, (col) => col.notNull())
        .addColumn('rule_count', 'integer', (col) => col.notNull())
        .addColumn('problem_count', 'integer', (col) => col.notNull())
        .addColumn('problems', 'text', (col) => col.notNull())
        .addColumn('enabled', 'integer', (col) => col.notNull())
        .addColumn('created_by', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('rule_packs_org').on('rule_packs').columns(['org_id', 'id']).execute();
      await c
        .id(db.schema.createTable('retrohunts'))
        // The one organisation it covers, or NULL for an administrator's hunt over several or all.
        .addColumn('org_id', c.ref, (col) => col.references('organisations.id').onDelete('cascade'))
        // The organisation ids covered as `,3,7,` (a tenant's found with one LIKE), or NULL for every one.
        .addColumn('orgs', 'text')
        // `feed` or `rules`, the id, and the name and SHA-256 it had when the hunt started (its version).
        .addColumn('trigger_kind', 'text', (col) => col.notNull())
        .addColumn('trigger_id', c.ref, (col) => col.notNull())
        .addColumn('trigger_name', 'text', (col) => col.notNull())
        .addColumn('trigger_sha256', 'text', (col) => col.notNull())
        .addColumn('since', 'text')
        .addColumn('until', 'text')
        // `index`: stored indicators only; `full`: that and every stored bundle re-analysed.
        .addColumn('mode', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('bundles_total', 'integer', (col) => col.notNull())
        .addColumn('started_by', 'text', (col) => col.notNull())
        .addColumn('started_at', 'text', (col) => col.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('error', 'text')
        .execute();
      await db.schema.createIndex('retrohunts_org').on('retrohunts').columns(['org_id', 'id']).execute();
      await db.schema
        .createTable('retrohunt_bundles')
        .addColumn('hunt_id', c.ref, (col) => col.notNull().references('retrohunts.id').onDelete('cascade'))
        .addColumn('bundle_id', c.ref, (col) => col.notNull().references('bundles.id').onDelete('cascade'))
        .addColumn('org_id', c.ref, (col) => col.notNull())
        .addColumn('server_id', c.ref, (col) => col.notNull())
        // queued → done or failed, once: a job run again after its commit changes nothing.
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('hits', 'integer', (col) => col.notNull())
        .addColumn('error', 'text')
        .addColumn('finished_at', 'text')
        .addPrimaryKeyConstraint('retrohunt_bundles_pk', ['hunt_id', 'bundle_id'])
        .execute();
      await db.schema
        .createIndex('retrohunt_bundles_status')
        .on('retrohunt_bundles')
        .columns(['hunt_id', 'status'])
        .execute();
      await c
        .id(db.schema.createTable('retrohunt_hits'))
        .addColumn('hunt_id', c.ref, (col) => col.notNull().references('retrohunts.id').onDelete('cascade'))
        .addColumn('org_id', c.ref, (col) => col.notNull())
        .addColumn('server_id', c.ref, (col) => col.notNull().references('servers.id').onDelete('cascade'))
        // SHA-256 of trigger kind, trigger name, server and rule id: one hit per server and rule or indicator,
        // whichever hunt, path, bundle or version of the feed finds it, so that its finding is made once.
        .addColumn('hit_key', 'text', (col) => col.notNull())
        .addColumn('rule_id', 'text', (col) => col.notNull())
        .addColumn('rule_title', 'text', (col) => col.notNull())
        .addColumn('rule_author', 'text', (col) => col.notNull())
        // `index`, `bundle`, or both joined by `+`.
        .addColumn('via', 'text', (col) => col.notNull())
        .addColumn('occurrences', 'integer', (col) => col.notNull())
        .addColumn('first_at', 'text')
        .addColumn('last_at', 'text')
        // The findings row this hit (or an earlier hunt's) made on the server.
        .addColumn('finding_row_id', c.ref)
        // 1 when this hunt made the finding; 0 when an earlier hunt had.
        .addColumn('is_new', 'integer', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('retrohunt_hits_key')
        .on('retrohunt_hits')
        .columns(['hunt_id', 'server_id', 'hit_key'])
        .unique()
        .execute();
      await db.schema
        .createIndex('retrohunt_hits_server')
        .on('retrohunt_hits')
        .columns(['server_id', 'hit_key'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['retrohunt_hits', 'retrohunt_bundles', 'retrohunts', 'rule_packs'])
        await db.schema.dropTable(t).execute();
    },
  };
}
