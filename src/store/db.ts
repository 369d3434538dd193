// Opens the fleet database: embedded SQLite in a data folder by default, PostgreSQL from a URL at scale.

import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { DatabaseConnection, Driver } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { chooseDriver, openRawSqlite } from './sqlite-driver.js';
import type { SqliteDriver } from './sqlite-driver.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the database is (and, for SQLite, which driver), without credentials, for messages. */
  where: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `postgres://…`; when absent, SQLite in `dataDir`. */
  database?: string;
  dataDir?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** SQLite only: which driver (default: EXHUNT_SQLITE_DRIVER, else better-sqlite3 when it loads). */
  sqliteDriver?: SqliteDriver;
}

export const SQLITE_FILE = 'exhunt.sqlite';

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export async function openStore(opts: OpenOptions): Promise<Store> {
  if (opts.database) {
    if (!isPostgresUrl(opts.database)) throw new Error(`--database must be a postgres:// URL`);
    return openPostgres(opts.database, opts.poolSize ?? 10);
  }
  if (!opts.dataDir) throw new Error('either a data folder or a postgres:// URL is needed');
  return openSqlite(path.join(opts.dataDir, SQLITE_FILE), opts.sqliteDriver ?? chooseDriver());
}

/**
 * Kysely begins SQLite transactions with a plain `BEGIN`, which takes the write lock only at the first
 * write; two processes (the server and a worker) that both read first then deadlock with SQLITE_BUSY.
 * `BEGIN IMMEDIATE` takes the write lock up front, so the busy timeout simply waits its turn.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (conn: DatabaseConnection) => {
      await conn.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

function openSqlite(file: string, driver: SqliteDriver): Store {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Created private before SQLite opens it; SQLite gives its -wal and -shm files the database file's mode.
  closeSync(openSync(file, 'a', 0o600));
  const raw = openRawSqlite(file, driver);
  raw.exec('PRAGMA journal_mode = WAL');
  raw.exec('PRAGMA synchronous = NORMAL');
  raw.exec('PRAGMA foreign_keys = ON');
  raw.exec('PRAGMA busy_timeout = 10000');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: raw.database }) });
  return { db, dialect: 'sqlite', where: `${file}, ${driver}`, close: () => db.destroy() };
}

/** int8 (counts, ids) comes back from pg as a string; ids and counts here stay far below 2^53. */
const INT8_OID = 20;

function openPostgres(url: string, max: number): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID && format !== 'binary'
          ? (v: string) => Number(v)
          : (pg.types.getTypeParser(oid, format ?? 'text') as (
              v: string,
            ) => unknown)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', where: redact(url), close: () => db.destroy() };
}

export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}
