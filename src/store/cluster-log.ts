// The ingest log the incremental clustering reads: one row per ingest that recorded sessions or indicators,
// numbered in commit order. The number comes from the one-row clock, updated as the ingest's last statement:
// its row lock makes concurrent ingests take numbers in the order they commit, so a reader that has applied
// every change up to N can never later see a committed change numbered N or less. The lock is held only
// from that statement to the commit.

import type { Db, Tx } from './tx.js';
import { now } from './tx.js';

export interface ClusterChange {
  seq: number;
  orgId: number;
  serverId: number;
  /** The indicators the ingest recorded: their organisation counts may have grown. */
  indicators: number[];
}

/** Call last in the ingest's transaction. */
export async function logClusterChange(
  trx: Tx,
  orgId: number,
  serverId: number,
  indicators: Iterable<number>,
): Promise<number> {
  const { seq } = await trx
    .updateTable('cluster_clock')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning('seq')
    .executeTakeFirstOrThrow();
  const n = Number(seq);
  await trx
    .insertInto('cluster_changes')
    .values({
      seq: n,
      org_id: orgId,
      server_id: serverId,
      indicators: JSON.stringify([...new Set(indicators)].sort((a, b) => a - b)),
      created_at: now(),
    })
    .execute();
  return n;
}

/** The newest committed change's number (0 before the first). */
export async function latestChange(db: Db | Tx): Promise<number> {
  const row = await db
    .selectFrom('cluster_changes')
    .select((eb) => eb.fn.max('seq').as('v'))
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

/** Changes after `seq` up to `upTo`, in order (every organisation's: another tenant's ingest can make an
 * indicator widespread noise). */
export async function changesAfter(db: Db | Tx, seq: number, upTo: number): Promise<ClusterChange[]> {
  const rows = await db
    .selectFrom('cluster_changes')
    .select(['seq', 'org_id', 'server_id', 'indicators'])
    .where('seq', '>', seq)
    .where('seq', '<=', upTo)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    orgId: Number(r.org_id),
    serverId: Number(r.server_id),
    indicators: JSON.parse(r.indicators) as number[],
  }));
}
