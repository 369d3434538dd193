// The rows of one scan that come in bulk: findings (per database, the fastest way in) and remediation items.

import { sql } from 'kysely';
import type { Dialect } from './db.js';
import type { FindingRowData } from './extract.js';
import { extractRemediation } from './remediation.js';
import type { Tx } from './tx.js';
import { chunk, now } from './tx.js';

export async function upsertRemediation(
  trx: Tx,
  ids: { org_id: number; server_id: number; scan_id: number },
  section: unknown,
): Promise<void> {
  const items = extractRemediation(section);
  const at = now();
  for (const part of chunk(items, 9))
    await trx
      .insertInto('remediation_items')
      .values(
        part.map((i) => ({
          ...ids,
          item_key: i.key,
          title: i.title,
          data: JSON.stringify(i.data),
          status: 'open' as const,
          updated_at: at,
          updated_by: null,
        })),
      )
      // A later scan refreshes the step's text and keeps the status someone set.
      .onConflict((oc) =>
        oc.columns(['server_id', 'item_key']).doUpdateSet({
          title: sql<string>`excluded.title`,
          data: sql<string>`excluded.data`,
          scan_id: sql<number>`excluded.scan_id`,
        }),
      )
      .execute();
}

/**
 * On PostgreSQL the rows go as one JSON parameter through json_to_recordset(): one parameter instead of
 * eleven per row, which parses and plans in a fraction of the time. SQLite takes multi-row VALUES.
 */
export async function insertFindings(
  trx: Tx,
  dialect: Dialect,
  ids: { org_id: number; server_id: number; scan_id: number },
  rows: FindingRowData[],
): Promise<void> {
  if (rows.length === 0) return;
  if (dialect === 'sqlite') {
    for (const part of chunk(rows, 11))
      await trx
        .insertInto('findings')
        .values(part.map((r) => ({ ...ids, ...r })))
        .execute();
    return;
  }
  // One JSON parameter: serialised natively here and parsed in C there (pg's array escaping is slow JS).
  await sql`INSERT INTO findings (org_id, server_id, scan_id, finding_id, rule_id, severity, stage, outcome, sort_time, source_ip, data)
    SELECT ${ids.org_id}::bigint, ${ids.server_id}::bigint, ${ids.scan_id}::bigint,
      finding_id, rule_id, severity, stage, outcome, sort_time, source_ip, data
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS x(finding_id text, rule_id text, severity text,
      stage text, outcome text, sort_time text, source_ip text, data text)`.execute(trx);
}
