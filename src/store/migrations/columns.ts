// The few column types that SQLite and PostgreSQL spell differently, so one migration set serves both.

import type { CreateTableBuilder } from 'kysely';
import type { Dialect } from '../db.js';

export interface Columns {
  /** Adds the surrogate key: SQLite's rowid alias, or a PostgreSQL identity column. */
  id<T extends string, C extends string>(tb: CreateTableBuilder<T, C>): CreateTableBuilder<T, C | 'id'>;
  /** The type of columns referring to an `id`. */
  ref: 'integer' | 'bigint';
  bytes: 'blob' | 'bytea';
}

export function columns(dialect: Dialect): Columns {
  if (dialect === 'sqlite')
    return {
      // AUTOINCREMENT so that ids are never reused after a delete: the audit log names them.
      id: (tb) => tb.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement().notNull()),
      ref: 'bigint',
      bytes: 'blob',
    };
  return {
    id: (tb) => tb.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity().notNull()),
    ref: 'bigint',
    bytes: 'bytea',
  };
}
