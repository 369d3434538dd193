// The audit log: every change and every download of evidence, written in the transaction that makes it.

import type { Store } from './db.js';
import { decodeCursor, limitOf, pageOf } from './page.js';
import type { Page, PageArgs } from './page.js';
import type { Scope } from './scope.js';
import { orgFilter } from './scope.js';
import type { Db, Tx } from './tx.js';
import { now } from './tx.js';
import type { AuditView } from '../core/views.js';
export type { AuditView } from '../core/views.js';

interface AuditEntry {
  orgId: number | null;
  actor: string;
  action: string;
  target: string;
  detail?: Record<string, unknown>;
}

export async function audit(db: Db | Tx, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      org_id: e.orgId,
      at: now(),
      actor: e.actor,
      action: e.action,
      target: e.target,
      detail: e.detail ? JSON.stringify(e.detail) : null,
    })
    .execute();
}

interface AuditFilter extends PageArgs {
  action?: string;
}

/** Newest first. A tenant sees its own entries; entries with no organisation are administrators' only. */
export async function listAudit(store: Store, scope: Scope, f: AuditFilter): Promise<Page<AuditView>> {
  const limit = limitOf(f);
  const after = decodeCursor(f.cursor, ['n']);
  const org = orgFilter(scope);
  const rows = await store.db
    .selectFrom('audit_log')
    .selectAll()
    .$if(org !== undefined, (q) => q.where('org_id', '=', org as number))
    .$if(f.action !== undefined, (q) => q.where('action', '=', f.action as string))
    .$if(after !== undefined, (q) => q.where('id', '<', after?.[0] as number))
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  return pageOf(
    rows,
    limit,
    (r) => [r.id],
    (r) => ({
      id: r.id,
      organisationId: r.org_id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      target: r.target,
      detail: r.detail ? (JSON.parse(r.detail) as unknown) : null,
    }),
  );
}
