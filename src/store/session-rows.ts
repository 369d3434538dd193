// Ingest of a report's sessions as groups of indicators (server_sessions, server_session_indicators).

import { sql } from 'kysely';
import type { SessionUse } from './extract-sessions.js';
import { earlier, later } from './indicators.js';
import type { CountedBefore } from './indicators.js';
import type { Tx } from './tx.js';
import { chunk } from './tx.js';

const longer = (col: 'stages' | 'cves') =>
  sql<string>`CASE WHEN length(${sql.ref(`excluded.${col}`)}) > length(${sql.ref(`server_sessions.${col}`)}) THEN ${sql.ref(`excluded.${col}`)} ELSE ${sql.ref(`server_sessions.${col}`)} END`;

/** Rows of this server only, which ingest has locked: no other tenant's ingest waits on them. */
export async function recordSessions(
  trx: Tx,
  orgId: number,
  serverId: number,
  sessions: SessionUse[],
  idOf: ReadonlyMap<string, number>,
  countedBefore?: CountedBefore<string>,
): Promise<void> {
  if (sessions.length === 0) return;
  const again = countedBefore ? await countedBefore(sessions.map((s) => s.key)) : new Set<string>();
  for (const part of chunk(sessions, 9))
    await trx
      .insertInto('server_sessions')
      .values(
        part.map((s) => ({
          server_id: serverId,
          session_key: s.key,
          org_id: orgId,
          first_seen: s.first,
          last_seen: s.last,
          stages: s.stages.join(','),
          cves: s.cves.join(','),
          scans: again.has(s.key) ? 0 : 1,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['server_id', 'session_key']).doUpdateSet({
          first_seen: earlier('server_sessions.first_seen'),
          last_seen: later('server_sessions.last_seen'),
          scans: sql<number>`server_sessions.scans + excluded.scans`,
          // A later scan may see the same session reach further: keep the longer list.
          stages: longer('stages'),
          cves: longer('cves'),
        }),
      )
      .execute();
  const items = sessions.flatMap((s) =>
    s.indicators
      .map((k) => idOf.get(k))
      .filter((id): id is number => id !== undefined)
      .map((id) => ({ server_id: serverId, session_key: s.key, indicator_id: id, org_id: orgId })),
  );
  for (const part of chunk(items, 4))
    await trx
      .insertInto('server_session_indicators')
      .values(part)
      .onConflict((oc) => oc.columns(['server_id', 'session_key', 'indicator_id']).doNothing())
      .execute();
}
