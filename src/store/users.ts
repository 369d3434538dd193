// Users (password hashes only) and their browser sessions, which live in the database.

import type { Store } from './db.js';
import { audit } from './audit.js';
import { ConflictError } from './orgs.js';
import type { Role } from './schema.js';
import type { Principal, Scope } from './scope.js';
import { orgFilter } from './scope.js';
import { hashSecret, newSecret } from './secrets.js';
import { isUniqueViolation, now, withTx } from './tx.js';
import type { UserView } from '../core/views.js';
export type { UserView } from '../core/views.js';

interface NewUser {
  username: string;
  passwordHash: string;
  role: Role;
  /** Null for administrators. */
  orgId: number | null;
}

export async function createUser(store: Store, u: NewUser, actor: string): Promise<UserView> {
  if ((u.role === 'administrator') !== (u.orgId === null))
    throw new Error('administrators have no organisation; analysts and viewers have one');
  try {
    return await withTx(store, async (trx) => {
      const row = await trx
        .insertInto('users')
        .values({
          org_id: u.orgId,
          username: u.username,
          password_hash: u.passwordHash,
          role: u.role,
          created_at: now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, {
        orgId: u.orgId,
        actor,
        action: 'user.create',
        target: `user:${row.id}`,
        detail: { username: u.username, role: u.role },
      });
      return {
        id: row.id,
        username: row.username,
        role: row.role,
        organisationId: row.org_id,
        createdAt: row.created_at,
      };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new ConflictError(`user "${u.username}" exists`);
    throw e;
  }
}

export async function countUsers(store: Store): Promise<number> {
  const r = await store.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listUsers(store: Store, scope: Scope): Promise<UserView[]> {
  const org = orgFilter(scope);
  const rows = await store.db
    .selectFrom('users')
    .selectAll()
    .$if(org !== undefined, (q) => q.where('org_id', '=', org as number))
    .orderBy('username')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    role: r.role,
    organisationId: r.org_id,
    createdAt: r.created_at,
  }));
}

/** For sign-in only: the stored hash and what the user would act as. */
export async function findLogin(
  store: Store,
  username: string,
): Promise<{ passwordHash: string; principal: Principal } | undefined> {
  const r = await store.db
    .selectFrom('users as u')
    .leftJoin('organisations as o', 'o.id', 'u.org_id')
    .select(['u.id', 'u.username', 'u.role', 'u.org_id', 'u.password_hash', 'o.name as org_name'])
    .where('u.username', '=', username)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    passwordHash: r.password_hash,
    principal: {
      kind: 'user',
      id: r.id,
      name: r.username,
      role: r.role,
      orgId: r.org_id,
      orgName: r.org_name,
    },
  };
}

const SESSION_PREFIX = 'exs_';

export async function createSession(
  store: Store,
  p: Principal,
  ttlMs: number,
): Promise<{ token: string; expiresAt: string }> {
  const token = newSecret(SESSION_PREFIX);
  const expiresAt = new Date(Date.now() + ttlMs).toISOString();
  await withTx(store, async (trx) => {
    await trx
      .insertInto('sessions')
      .values({ token_hash: hashSecret(token), user_id: p.id, created_at: now(), expires_at: expiresAt })
      .execute();
    await trx.deleteFrom('sessions').where('expires_at', '<', now()).execute();
    await audit(trx, {
      orgId: p.orgId,
      actor: `user:${p.id}:${p.name}`,
      action: 'session.create',
      target: `user:${p.id}`,
    });
  });
  return { token, expiresAt };
}

export async function sessionPrincipal(store: Store, token: string): Promise<Principal | undefined> {
  const r = await store.db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('organisations as o', 'o.id', 'u.org_id')
    .select(['u.id', 'u.username', 'u.role', 'u.org_id', 'o.name as org_name'])
    .where('s.token_hash', '=', hashSecret(token))
    .where('s.expires_at', '>', now())
    .executeTakeFirst();
  return (
    r && { kind: 'user', id: r.id, name: r.username, role: r.role, orgId: r.org_id, orgName: r.org_name }
  );
}

export async function deleteSession(store: Store, p: Principal, token: string): Promise<void> {
  await withTx(store, async (trx) => {
    const gone = await trx
      .deleteFrom('sessions')
      .where('token_hash', '=', hashSecret(token))
      .executeTakeFirst();
    if (Number(gone.numDeletedRows) > 0)
      await audit(trx, {
        orgId: p.orgId,
        actor: `user:${p.id}:${p.name}`,
        action: 'session.delete',
        target: `user:${p.id}`,
      });
  });
}

/**
 * A user's new password: every other session of the user ends (a stolen one among them), the one in
 * `keepToken` goes on. Returns how many sessions ended.
 */
export async function changePassword(
  store: Store,
  p: Principal,
  passwordHash: string,
  keepToken: string | undefined,
): Promise<number> {
  if (p.kind !== 'user') throw new Error('only users have passwords');
  return withTx(store, async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', p.id).execute();
    const ended = await trx
      .deleteFrom('sessions')
      .where('user_id', '=', p.id)
      .$if(keepToken !== undefined, (q) => q.where('token_hash', '!=', hashSecret(keepToken as string)))
      .executeTakeFirst();
    const n = Number(ended.numDeletedRows);
    await audit(trx, {
      orgId: p.orgId,
      actor: `user:${p.id}:${p.name}`,
      action: 'user.password',
      target: `user:${p.id}`,
      detail: { sessionsEnded: n },
    });
    return n;
  });
}
