// Remediation items: read from `report.remediation` when a report has one, tracked with a status per server.

import { createHash } from 'node:crypto';
import type { Store } from './db.js';
import { decodeCursor, limitOf, pageOf } from './page.js';
import type { Page, PageArgs } from './page.js';
import type { RemediationStatus } from './schema.js';
import type { Scope } from './scope.js';
import { orgFilter } from './scope.js';
import { audit } from './audit.js';
import { DEFAULT_TRIAGE, recomputeTriage } from './triage.js';
import type { TriageSettings } from './triage.js';
import { now, withTx } from './tx.js';
import type { RemediationView } from '../core/views.js';
export type { RemediationView } from '../core/views.js';

export const REMEDIATION_STATUSES: RemediationStatus[] = ['open', 'in-progress', 'done', 'wont-fix'];

interface RemediationItem {
  key: string;
  title: string;
  data: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/**
 * The report's remediation section is written by another part of exhunt and may change shape; this reads
 * an array of steps, or an object holding one (`items`, `steps`, `actions`), and keys each step by its id
 * or its title so that a later scan of the same server updates the step instead of duplicating it.
 */
export function extractRemediation(section: unknown): RemediationItem[] {
  let list: unknown = section;
  if (list && typeof list === 'object' && !Array.isArray(list)) {
    const o = list as Record<string, unknown>;
    list = ['items', 'steps', 'actions', 'tasks'].map((k) => o[k]).find(Array.isArray);
  }
  if (!Array.isArray(list)) return [];
  const out = new Map<string, RemediationItem>();
  for (const item of list) {
    const o: Record<string, unknown> =
      item && typeof item === 'object' ? (item as Record<string, unknown>) : { title: item };
    const title =
      str(o.title) ?? str(o.action) ?? str(o.summary) ?? str(o.text) ?? str(o.description) ?? str(o.id);
    if (!title) continue;
    const id = str(o.id) ?? str(o.key) ?? str(o.code);
    const key = id ?? createHash('sha256').update(title).digest('hex').slice(0, 32);
    out.set(key, { key, title: title.slice(0, 1000), data: item });
  }
  return [...out.values()];
}

interface RemediationFilter extends PageArgs {
  serverId?: number;
  status?: RemediationStatus;
}

export async function listRemediation(
  store: Store,
  scope: Scope,
  f: RemediationFilter,
): Promise<Page<RemediationView>> {
  const limit = limitOf(f);
  const after = decodeCursor(f.cursor, ['n']);
  const org = orgFilter(scope);
  const rows = await store.db
    .selectFrom('remediation_items as r')
    .innerJoin('servers as s', 's.id', 'r.server_id')
    .selectAll('r')
    .select('s.name as server')
    .$if(org !== undefined, (q) => q.where('r.org_id', '=', org as number))
    .$if(f.serverId !== undefined, (q) => q.where('r.server_id', '=', f.serverId as number))
    .$if(f.status !== undefined, (q) => q.where('r.status', '=', f.status as RemediationStatus))
    .$if(after !== undefined, (q) => q.where('r.id', '>', after?.[0] as number))
    .orderBy('r.id')
    .limit(limit + 1)
    .execute();
  return pageOf(
    rows,
    limit,
    (r) => [r.id],
    (r) => ({
      id: r.id,
      serverId: r.server_id,
      server: r.server,
      scanId: r.scan_id,
      key: r.item_key,
      title: r.title,
      detail: JSON.parse(r.data) as RemediationView['detail'],
      status: r.status,
      updatedAt: r.updated_at,
      updatedBy: r.updated_by,
    }),
  );
}

/** Sets an item's status; false when the item is not in the scope (another tenant's looks absent). */
export async function setRemediationStatus(
  store: Store,
  scope: Scope,
  id: number,
  status: RemediationStatus,
  actor: string,
  triage: TriageSettings = DEFAULT_TRIAGE,
): Promise<boolean> {
  const org = orgFilter(scope);
  return withTx(store, async (trx) => {
    const row = await trx
      .updateTable('remediation_items')
      .set({ status, updated_at: now(), updated_by: actor })
      .where('id', '=', id)
      .$if(org !== undefined, (q) => q.where('org_id', '=', org as number))
      .returning(['org_id', 'title', 'server_id'])
      .executeTakeFirst();
    if (!row) return false;
    // Open steps weigh in the server's triage score: it changes with them, in the same transaction.
    await recomputeTriage(trx, [row.server_id], triage, now());
    await audit(trx, {
      orgId: row.org_id,
      actor,
      action: 'remediation.status',
      target: `remediation:${id}`,
      detail: { status },
    });
    return true;
  });
}
