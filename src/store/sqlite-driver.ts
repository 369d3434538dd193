// The embedded database's driver: better-sqlite3 (a native module) when it loads, else Node's built-in
// node:sqlite (Node 22.5 and later), so the fleet server runs where no matching native binary exists.
// Both are put behind Kysely's SqliteDatabase interface; EXHUNT_SQLITE_DRIVER forces one of them.

import { createRequire } from 'node:module';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export type SqliteDriver = 'better-sqlite3' | 'node:sqlite';
export const SQLITE_DRIVERS: readonly SqliteDriver[] = ['better-sqlite3', 'node:sqlite'];

/** What the rest of the store needs of an open SQLite file: Kysely's interface plus PRAGMAs. */
export interface RawSqlite {
  database: SqliteDatabase;
  driver: SqliteDriver;
  exec(sql: string): void;
}

const require = createRequire(import.meta.url);

/** The minimal shape of node:sqlite we use (typed here: @types/node 20 does not describe it). */
interface NodeStatement {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...params: unknown[]): IterableIterator<unknown>;
  columns?(): unknown[];
}
interface NodeDatabase {
  prepare(sql: string): NodeStatement;
  exec(sql: string): void;
  close(): void;
}
type NodeSqlite = { DatabaseSync: new (file: string) => NodeDatabase };

let nodeSqlite: NodeSqlite | Error | undefined;

/**
 * Loads node:sqlite once. Node 22/24 print an ExperimentalWarning on first load; that one warning is held
 * back (the server says which driver it uses), every other warning still goes out.
 */
function loadNodeSqlite(): NodeSqlite | Error {
  if (nodeSqlite) return nodeSqlite;
  const emit = process.emitWarning;
  process.emitWarning = (w: string | Error, ...rest: unknown[]) => {
    const text = typeof w === 'string' ? w : w.message;
    if (/SQLite is an experimental feature/i.test(text)) return;
    (emit as (...a: unknown[]) => void).call(process, w, ...rest);
  };
  try {
    nodeSqlite = require('node:sqlite') as NodeSqlite;
  } catch (e) {
    nodeSqlite = new Error(
      `node:sqlite is not available in Node ${process.versions.node} (it needs 22.5 or later; 22.5-22.12 only with --experimental-sqlite): ${(e as Error).message}`,
    );
  } finally {
    process.emitWarning = emit;
  }
  return nodeSqlite;
}

type BetterCtor = new (
  file: string,
  options?: { nativeBinding?: string },
) => {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  close(): void;
};
let better: BetterCtor | Error | undefined;

/**
 * Where better-sqlite3's compiled module is, when not in its package: EXHUNT_BETTER_SQLITE3_BINDING names a
 * `better_sqlite3.node` built for this Node's ABI (CI runs other Node lines this way, see .ci/node-lines).
 */
function betterOptions(): { nativeBinding?: string } {
  const binding = process.env.EXHUNT_BETTER_SQLITE3_BINDING;
  return binding ? { nativeBinding: binding } : {};
}

/** better-sqlite3 loads its binary at the first `new Database()`: try it on a memory database, once. */
function loadBetter(): BetterCtor | Error {
  if (better) return better;
  try {
    const Ctor = require('better-sqlite3') as BetterCtor;
    new Ctor(':memory:', betterOptions()).close();
    better = Ctor;
  } catch (e) {
    better = new Error(
      `better-sqlite3 does not load here: ${(e as Error).message.replace(/\s*\n\s*/g, ' ')}`,
    );
  }
  return better;
}

/** Whether a driver can be used in this process, or why not. */
export function driverProblem(d: SqliteDriver): string | false {
  const m = d === 'better-sqlite3' ? loadBetter() : loadNodeSqlite();
  return m instanceof Error ? m.message : false;
}

/** The driver asked for (`EXHUNT_SQLITE_DRIVER`, or an option), else the first that loads. */
export function chooseDriver(wanted = process.env.EXHUNT_SQLITE_DRIVER): SqliteDriver {
  if (wanted && wanted !== 'auto') {
    if (!(SQLITE_DRIVERS as readonly string[]).includes(wanted))
      throw new Error(`EXHUNT_SQLITE_DRIVER must be auto, better-sqlite3 or node:sqlite, not "${wanted}"`);
    const problem = driverProblem(wanted as SqliteDriver);
    if (problem) throw new Error(problem);
    return wanted as SqliteDriver;
  }
  const betterProblem = driverProblem('better-sqlite3');
  if (!betterProblem) return 'better-sqlite3';
  const nodeProblem = driverProblem('node:sqlite');
  if (!nodeProblem) return 'node:sqlite';
  throw new Error(`no SQLite driver: ${betterProblem}; ${nodeProblem}`);
}

export function openRawSqlite(file: string, driver: SqliteDriver): RawSqlite {
  if (driver === 'better-sqlite3') {
    const Ctor = loadBetter();
    if (Ctor instanceof Error) throw Ctor;
    const db = new Ctor(file, betterOptions());
    return { database: db, driver, exec: (sql) => db.exec(sql) };
  }
  const mod = loadNodeSqlite();
  if (mod instanceof Error) throw mod;
  const db = new mod.DatabaseSync(file);
  return { database: adaptNodeDatabase(db), driver, exec: (sql) => db.exec(sql) };
}

/** node:sqlite gives blobs as Uint8Array; the store (like better-sqlite3) hands out Buffers. */
function withBuffers(row: unknown): unknown {
  if (row === null || typeof row !== 'object') return row;
  const r = row as Record<string, unknown>;
  for (const k in r) {
    const v = r[k];
    if (v instanceof Uint8Array && !Buffer.isBuffer(v)) r[k] = Buffer.from(v.buffer, v.byteOffset, v.length);
  }
  return r;
}

/** Statements that give rows: those with result columns (node:sqlite has no `reader` flag). */
function isReader(stmt: NodeStatement, sql: string): boolean {
  if (typeof stmt.columns === 'function') return stmt.columns().length > 0;
  return /^\s*(select|with|pragma|values)\b|\breturning\b/i.test(sql);
}

/** node:sqlite's synchronous database behind Kysely's SqliteDatabase (the shape better-sqlite3 has). */
export function adaptNodeDatabase(db: NodeDatabase): SqliteDatabase {
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      const stmt = db.prepare(sql);
      return {
        reader: isReader(stmt, sql),
        all: (params) => stmt.all(...params).map(withBuffers),
        run: (params) => {
          const { changes, lastInsertRowid } = stmt.run(...params);
          return { changes, lastInsertRowid };
        },
        *iterate(params) {
          for (const row of stmt.iterate(...params)) yield withBuffers(row);
        },
      };
    },
  };
}
