// A retro-hunt's hits on one server: one per rule or indicator, whichever path (the index query or a bundle's
// re-analysis) found it. The first hunt to find one makes it a finding of the server and tells the
// organisation's channels (`retrohunt.hit`); a rerun, another path or another bundle only updates the hit.

import { createHash } from 'node:crypto';
import type { Finding } from '../core/finding.js';
import type { Dialect } from './db.js';
import { findingRow } from './extract.js';
import { queueNotification } from './notifications.js';
import { insertFindings } from './scan-rows.js';
import type { TriggerRef } from './retrohunts.js';
import type { Tx } from './tx.js';
import { now } from './tx.js';

/** Finding ids of retro-hunt findings start with this: the stored report of their scan leaves them out. */
export const RETROHUNT_FINDING_PREFIX = 'retrohunt.';

export interface HitInput {
  /** The rule's or indicator's id as findings carry it. */
  ruleId: string;
  title: string;
  author: string;
  via: 'index' | 'bundle';
  occurrences: number;
  firstAt: string | null;
  lastAt: string | null;
  /** The finding to store when the hit is new (its id is replaced by the hit's). */
  finding: Finding;
  /** The scan the finding belongs to: the bundle's, or for the index path the server's latest. */
  scanId: number;
}

export interface ServerRef {
  id: number;
  orgId: number;
  name: string;
}

/**
 * One hit per trigger, server and rule, across hunts and versions of the trigger. A feed or pack is named
 * here by its name, not its id: a changed feed is uploaded again as a new feed under the same name, and its
 * indicators (rule ids from the values or STIX ids) are the same, so they find the finding already made.
 * Servers belong to one organisation, which sees only its own and the shared feeds, so a name never
 * reaches another tenant's findings.
 */
export function hitKey(trigger: Pick<TriggerRef, 'kind' | 'name'>, serverId: number, ruleId: string): string {
  return createHash('sha256')
    .update(`${trigger.kind}\0${trigger.name}\0${serverId}\0${ruleId}`)
    .digest('hex');
}

const mergeVia = (a: string, b: string) => [...new Set([...a.split('+'), ...b.split('+')])].sort().join('+');
const min = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);
const max = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);

/** Hits in notifications: a few, and how many more. */
const NOTIFY_HITS = 20;

/**
 * Records hits of one hunt on one server in the caller's transaction; returns how many were new findings.
 * The server's row is locked first, so that two bundles of one server never both make the same finding.
 */
export async function recordHits(
  trx: Tx,
  dialect: Dialect,
  hunt: { id: number; trigger: TriggerRef },
  server: ServerRef,
  hits: HitInput[],
): Promise<number> {
  if (hits.length === 0) return 0;
  await trx
    .updateTable('servers')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('id', '=', server.id)
    .execute();
  const made: HitInput[] = [];
  for (const h of hits) {
    const key = hitKey(hunt.trigger, server.id, h.ruleId);
    const mine = await trx
      .selectFrom('retrohunt_hits')
      .select(['id', 'via', 'occurrences', 'first_at', 'last_at'])
      .where('hunt_id', '=', hunt.id)
      .where('server_id', '=', server.id)
      .where('hit_key', '=', key)
      .executeTakeFirst();
    if (mine) {
      // Another bundle or path of this hunt: the most occurrences one of them saw (bundles of one server
      // often hold the same logs twice, so adding would count lines twice), and the widest times.
      await trx
        .updateTable('retrohunt_hits')
        .set({
          via: mergeVia(mine.via, h.via),
          occurrences: Math.max(mine.occurrences, h.occurrences),
          first_at: min(mine.first_at, h.firstAt),
          last_at: max(mine.last_at, h.lastAt),
        })
        .where('id', '=', mine.id)
        .execute();
      continue;
    }
    const earlier = await trx
      .selectFrom('retrohunt_hits')
      .select('finding_row_id')
      .where('server_id', '=', server.id)
      .where('hit_key', '=', key)
      .where('finding_row_id', 'is not', null)
      .executeTakeFirst();
    let findingRowId = earlier?.finding_row_id ?? null;
    if (findingRowId === null) {
      const f: Finding = {
        ...h.finding,
        id: `${RETROHUNT_FINDING_PREFIX}${key.slice(0, 24)}`,
        details: {
          ...h.finding.details,
          retrohunt: String(hunt.id),
          retrohuntTrigger: `${hunt.trigger.kind} ${hunt.trigger.id}: ${hunt.trigger.name}`,
          retrohuntVia: h.via,
          occurrences: String(h.occurrences),
        },
      };
      const ids = { org_id: server.orgId, server_id: server.id, scan_id: h.scanId };
      await insertFindings(trx, dialect, ids, [findingRow(f, h.firstAt ?? now())]);
      const row = await trx
        .selectFrom('findings')
        .select('id')
        .where('scan_id', '=', h.scanId)
        .where('finding_id', '=', f.id)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      findingRowId = row.id;
      made.push(h);
    }
    await trx
      .insertInto('retrohunt_hits')
      .values({
        hunt_id: hunt.id,
        org_id: server.orgId,
        server_id: server.id,
        hit_key: key,
        rule_id: h.ruleId,
        rule_title: h.title,
        rule_author: h.author,
        via: h.via,
        occurrences: h.occurrences,
        first_at: h.firstAt,
        last_at: h.lastAt,
        finding_row_id: findingRowId,
        is_new: earlier ? 0 : 1,
        created_at: now(),
      })
      .execute();
  }
  if (made.length > 0)
    await queueNotification(trx, server.orgId, 'retrohunt.hit', {
      retrohunt: {
        id: hunt.id,
        trigger: { kind: hunt.trigger.kind, id: hunt.trigger.id, name: hunt.trigger.name },
      },
      server: { id: server.id, name: server.name },
      hits: made.slice(0, NOTIFY_HITS).map((h) => ({
        ruleId: h.ruleId,
        title: h.title,
        author: h.author,
        firstAt: h.firstAt,
        lastAt: h.lastAt,
      })),
      moreHits: Math.max(0, made.length - NOTIFY_HITS),
    });
  return made.length;
}
