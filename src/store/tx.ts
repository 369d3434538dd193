// Transactions that retry on PostgreSQL's deadlock and serialization errors, and unique-key detection.

import type { Kysely, Transaction } from 'kysely';
import type { Store } from './db.js';
import type { Database } from './schema.js';

export type Tx = Transaction<Database>;
export type Db = Kysely<Database>;

const RETRYABLE = new Set(['40P01', '40001']);

/**
 * Ingests touch shared indicator rows; two transactions can lock them in different orders. PostgreSQL
 * then aborts one, and running it again is the documented remedy. SQLite serialises writers instead.
 */
export async function withTx<T>(store: Store, fn: (trx: Tx) => Promise<T>, tries = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.db.transaction().execute(fn);
    } catch (e) {
      if (attempt >= tries || !RETRYABLE.has(errorCode(e))) throw e;
    }
  }
}

function errorCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
}

/** A unique or primary key was violated (pg 23505; SQLite SQLITE_CONSTRAINT_UNIQUE or _PRIMARYKEY). */
export function isUniqueViolation(e: unknown): boolean {
  const code = errorCode(e);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function now(): string {
  return new Date().toISOString();
}

/**
 * Rows per multi-row INSERT: SQLite allows 32,766 bound values and PostgreSQL 65,535, so the batch shrinks
 * with the width of the row.
 */
export function chunk<T>(rows: T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(30000 / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
