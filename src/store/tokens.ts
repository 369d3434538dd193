// API tokens: a random secret shown once, stored as a hash, scoped to one organisation and role.

import type { Store } from './db.js';
import { audit } from './audit.js';
import type { Role } from './schema.js';
import type { Principal, Scope } from './scope.js';
import { orgFilter } from './scope.js';
import { hashSecret, newSecret } from './secrets.js';
import { now, withTx } from './tx.js';
import type { TokenView } from '../core/views.js';
export type { TokenView } from '../core/views.js';

export const TOKEN_PREFIX = 'exh_';

export async function createToken(
  store: Store,
  t: { name: string; role: Role; orgId: number | null },
  actor: string,
): Promise<{ token: string; view: TokenView }> {
  if ((t.role === 'administrator') !== (t.orgId === null))
    throw new Error('administrator tokens span organisations; analyst and viewer tokens need one');
  const token = newSecret(TOKEN_PREFIX);
  const row = await withTx(store, async (trx) => {
    const r = await trx
      .insertInto('api_tokens')
      .values({
        org_id: t.orgId,
        role: t.role,
        name: t.name,
        token_hash: hashSecret(token),
        created_at: now(),
        revoked_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, {
      orgId: t.orgId,
      actor,
      action: 'token.create',
      target: `token:${r.id}`,
      detail: { name: t.name, role: t.role },
    });
    return r;
  });
  return { token, view: viewOf(row) };
}

function viewOf(r: {
  id: number;
  name: string;
  role: Role;
  org_id: number | null;
  created_at: string;
  revoked_at: string | null;
}): TokenView {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    organisationId: r.org_id,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

export async function tokenPrincipal(store: Store, token: string): Promise<Principal | undefined> {
  const r = await store.db
    .selectFrom('api_tokens as t')
    .leftJoin('organisations as o', 'o.id', 't.org_id')
    .select(['t.id', 't.name', 't.role', 't.org_id', 'o.name as org_name'])
    .where('t.token_hash', '=', hashSecret(token))
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
  return r && { kind: 'token', id: r.id, name: r.name, role: r.role, orgId: r.org_id, orgName: r.org_name };
}

export async function listTokens(store: Store, scope: Scope): Promise<TokenView[]> {
  const org = orgFilter(scope);
  const rows = await store.db
    .selectFrom('api_tokens')
    .selectAll()
    .$if(org !== undefined, (q) => q.where('org_id', '=', org as number))
    .orderBy('id')
    .execute();
  return rows.map(viewOf);
}

export async function revokeToken(store: Store, scope: Scope, id: number, actor: string): Promise<boolean> {
  const org = orgFilter(scope);
  return withTx(store, async (trx) => {
    const r = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: now() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .$if(org !== undefined, (q) => q.where('org_id', '=', org as number))
      .returning(['org_id'])
      .executeTakeFirst();
    if (r) await audit(trx, { orgId: r.org_id, actor, action: 'token.revoke', target: `token:${id}` });
    return !!r;
  });
}
