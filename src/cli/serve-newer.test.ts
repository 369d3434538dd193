// `exhunt serve`, `worker` and `tokens` on a database a newer exhunt migrated: they refuse with a message
// that names the unknown migration and what to do, and leave the database as it was.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { appliedMigrations, migrationLevel } from '../store/index.js';
import { backends } from '../store/testing.js';
import { main } from './main.js';
import { runCaptured } from './testing.js';

for (const b of await backends())
  describe(`a database from a newer exhunt on ${b.name}`, { skip: b.skip }, () => {
    test(
      'serve, worker and tokens refuse it, name the migration and say what to do',
      { timeout: 60_000 },
      async () => {
        const fx = await b.create();
        const saved = process.env.EXHUNT_SQLITE_DRIVER;
        try {
          const future = '999-from-a-newer-exhunt';
          await sql`insert into kysely_migration (name, timestamp) values (${future}, ${new Date().toISOString()})`.execute(
            fx.store.db,
          );
          const before = await appliedMigrations(fx.store);
          Object.assign(process.env, fx.env);
          const where = fx.database ? ['--database', fx.database] : ['--data', fx.dataDir];
          for (const argv of [
            ['serve', ...where, '--listen', '127.0.0.1:0', '--workers', '0'],
            ...(fx.database ? [['worker', ...where, '--threads', '0']] : []),
            ['tokens', 'create', ...where, '--role', 'administrator'],
          ]) {
            const r = await runCaptured(main, argv);
            assert.equal(r.code, 2, `${argv[0]}: ${r.err}`);
            assert.equal(r.out, '', argv[0]);
            assert.match(
              r.err,
              new RegExp(
                `^exhunt ${argv[0]}: the database \\(.+\\) was migrated by a newer exhunt: it has migration\\(s\\) ${future}, this exhunt \\S+ knows up to ${migrationLevel()}\\.`,
              ),
            );
            assert.match(
              r.err,
              /Run the newer exhunt \(or restore the backup taken before upgrading\); exhunt never downgrades a database\.\n$/,
            );
          }
          assert.deepEqual(await appliedMigrations(fx.store), before);
        } finally {
          if (saved === undefined) delete process.env.EXHUNT_SQLITE_DRIVER;
          else process.env.EXHUNT_SQLITE_DRIVER = saved;
          await fx.dispose();
        }
      },
    );
  });
