// Migrations on both databases: the same tables, columns, nullability and indexes, and fully reversible.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Store } from './db.js';
import {
  appliedMigrations,
  migrateToLatest,
  migrateToZero,
  migrationLevel,
  NewerDatabaseError,
} from './migrations/index.js';
import { backends } from './testing.js';
import type { Fixture } from './testing.js';

/** Column types named per database, reduced to what both must agree on. */
function family(t: string): string {
  const x = t.toLowerCase();
  if (/int/.test(x)) return 'integer';
  if (/text|char/.test(x)) return 'text';
  if (/blob|bytea/.test(x)) return 'bytes';
  return x;
}

async function describeSchema(store: Store): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of await store.db.introspection.getTables())
    out[t.name] = t.columns
      .map((c) => `${c.name} ${family(c.dataType)}${c.isNullable ? '' : ' not null'}`)
      .sort();
  const indexes =
    store.dialect === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'index' and name not like 'sqlite_%'`.execute(store.db)
      : await sql<{
          name: string;
        }>`select indexname as name from pg_indexes i where schemaname = current_schema()
          and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(store.db);
  out['(indexes)'] = indexes.rows.map((r) => r.name).sort();
  return out;
}

const schemas = new Map<string, Record<string, string[]>>();
const list = await backends();

for (const b of list)
  describe(`migrations on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    before(async () => {
      fx = await b.create({ migrate: false });
    });
    after(() => fx.dispose());

    test('migrate to latest creates every table; running it again changes nothing', async () => {
      await migrateToLatest(fx.store);
      const first = await describeSchema(fx.store);
      await migrateToLatest(fx.store);
      assert.deepEqual(await describeSchema(fx.store), first);
      for (const t of [
        'organisations',
        'users',
        'sessions',
        'api_tokens',
        'servers',
        'scans',
        'findings',
        'indicators',
        'jobs',
        'audit_log',
      ])
        assert.ok(first[t], `table ${t}`);
      assert.ok(first.findings?.includes('sort_time text not null'));
      assert.ok(first['(indexes)']?.includes('findings_org'));
      schemas.set(b.name, first);
    });

    test('every migration reverses, and the schema comes back the same', async () => {
      const before = await describeSchema(fx.store);
      await migrateToZero(fx.store);
      const empty = await describeSchema(fx.store);
      assert.deepEqual(Object.keys(empty), ['(indexes)']);
      assert.deepEqual(empty['(indexes)'], []);
      await migrateToLatest(fx.store);
      assert.deepEqual(await describeSchema(fx.store), before);
    });

    test('a database holding a migration this build lacks is refused before anything changes', async () => {
      const level = migrationLevel();
      assert.deepEqual((await appliedMigrations(fx.store)).at(-1), level);
      const future = `${String(Number(level.slice(0, 3)) + 1).padStart(3, '0')}-from-a-newer-exhunt`;
      await sql`insert into kysely_migration (name, timestamp) values (${future}, ${new Date().toISOString()})`.execute(
        fx.store.db,
      );
      const before = await describeSchema(fx.store);
      await assert.rejects(migrateToLatest(fx.store, '0.1.0'), (e: Error) => {
        assert.ok(e instanceof NewerDatabaseError, String(e));
        assert.match(e.message, new RegExp(`migration\\(s\\) ${future}\\b`));
        assert.match(e.message, new RegExp(`exhunt 0\\.1\\.0 knows up to ${level}`));
        assert.match(e.message, /never downgrades/);
        return true;
      });
      assert.deepEqual(await describeSchema(fx.store), before);
      await sql`delete from kysely_migration where name = ${future}`.execute(fx.store.db);
      await migrateToLatest(fx.store);
    });
  });

const pgSkip = list.find((b) => b.dialect === 'postgres')?.skip ?? 'no PostgreSQL backend';
const sqliteRuns = list.filter((b) => b.dialect === 'sqlite' && !b.skip);
test(
  'SQLite (each driver that loads) and PostgreSQL get the same schema',
  { skip: pgSkip || (sqliteRuns.length === 0 && 'no SQLite driver loads here') },
  () => {
    const pgSchema = schemas.get('postgres');
    assert.ok(pgSchema, 'the PostgreSQL schema was read');
    for (const b of sqliteRuns) {
      const s = schemas.get(b.name);
      assert.ok(s, `the schema on ${b.name} was read`);
      assert.deepEqual(s, pgSchema, b.name);
    }
  },
);
