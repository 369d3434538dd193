// The SQLite driver choice: better-sqlite3 when it loads, else node:sqlite, or the one EXHUNT_SQLITE_DRIVER
// names; and node:sqlite behind Kysely's interface giving what better-sqlite3 gives (Buffers, row counts).

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { chooseDriver, driverProblem, openRawSqlite, SQLITE_DRIVERS } from './sqlite-driver.js';

const loads = SQLITE_DRIVERS.filter((d) => !driverProblem(d));

test(
  'the automatic choice is the first driver that loads here',
  { skip: loads.length === 0 && 'no SQLite driver loads here' },
  () => {
    assert.equal(chooseDriver('auto'), loads[0]);
    assert.equal(chooseDriver(''), loads[0]);
    for (const d of loads) assert.equal(chooseDriver(d), d);
  },
);

test('a driver that cannot load, or an unknown name, is refused with the reason', () => {
  assert.throws(
    () => chooseDriver('sqlite3'),
    /EXHUNT_SQLITE_DRIVER must be auto, better-sqlite3 or node:sqlite, not "sqlite3"/,
  );
  for (const d of SQLITE_DRIVERS) {
    const problem = driverProblem(d);
    if (problem) assert.throws(() => chooseDriver(d), { message: problem });
  }
});

for (const driver of SQLITE_DRIVERS)
  test(
    `${driver}: rows, blobs as Buffers, changes and last ids through Kysely's interface`,
    { skip: driverProblem(driver) || false },
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-sqlite-driver-'));
      const raw = openRawSqlite(path.join(dir, 'x.sqlite'), driver);
      try {
        raw.exec('create table t (id integer primary key, name text, data blob)');
        const insert = raw.database.prepare('insert into t (name, data) values (?, ?) returning id');
        assert.equal(insert.reader, true);
        assert.deepEqual({ ...(insert.all(['a', Buffer.from([0, 1, 255])])[0] as object) }, { id: 1 });
        const plain = raw.database.prepare('insert into t (name, data) values (?, ?)');
        assert.equal(plain.reader, false);
        const r = plain.run(['b', null]);
        assert.equal(Number(r.changes), 1);
        assert.equal(Number(r.lastInsertRowid), 2);
        const rows = raw.database.prepare('select name, data from t order by id').all([]) as {
          name: string;
          data: unknown;
        }[];
        assert.equal(rows[0]?.name, 'a');
        assert.ok(Buffer.isBuffer(rows[0]?.data), 'a blob comes back as a Buffer');
        assert.deepEqual([...(rows[0]?.data ?? [])], [0, 1, 255]);
        assert.equal(rows[1]?.data, null);
        const names = [...raw.database.prepare('select name from t where id > ?').iterate([0])].map(
          (x) => (x as { name: string }).name,
        );
        assert.deepEqual(names, ['a', 'b']);
      } finally {
        raw.database.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
