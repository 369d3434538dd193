// Organisations (the tenants): created by administrators, listed within a scope.

import type { Store } from './db.js';
import { audit } from './audit.js';
import type { Scope } from './scope.js';
import { orgFilter } from './scope.js';
import { isUniqueViolation, now, withTx } from './tx.js';

export interface OrganisationView {
  id: number;
  name: string;
  createdAt: string;
}

export class ConflictError extends Error {
  readonly statusCode = 409;
}

export async function createOrganisation(
  store: Store,
  name: string,
  actor: string,
): Promise<OrganisationView> {
  try {
    return await withTx(store, async (trx) => {
      const row = await trx
        .insertInto('organisations')
        .values({ name, created_at: now() })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, {
        orgId: row.id,
        actor,
        action: 'organisation.create',
        target: `organisation:${row.id}`,
        detail: { name },
      });
      return { id: row.id, name: row.name, createdAt: row.created_at };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new ConflictError(`organisation "${name}" exists`);
    throw e;
  }
}

/** By name, within a scope: a tenant can only ever find itself. */
export async function findOrganisation(
  store: Store,
  scope: Scope,
  name: string,
): Promise<OrganisationView | undefined> {
  const org = orgFilter(scope);
  const row = await store.db
    .selectFrom('organisations')
    .selectAll()
    .where('name', '=', name)
    .$if(org !== undefined, (q) => q.where('id', '=', org as number))
    .executeTakeFirst();
  return row && { id: row.id, name: row.name, createdAt: row.created_at };
}

export async function listOrganisations(store: Store, scope: Scope): Promise<OrganisationView[]> {
  const org = orgFilter(scope);
  const rows = await store.db
    .selectFrom('organisations')
    .selectAll()
    .$if(org !== undefined, (q) => q.where('id', '=', org as number))
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
}
