// Whether the database answers: the health check's one query, kept here with every other query.

import { sql } from 'kysely';
import type { Store } from './db.js';

export async function ping(store: Store): Promise<void> {
  await sql`select 1`.execute(store.db);
}
