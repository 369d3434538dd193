// Tenant scopes: every repository function takes one, and only the authenticated principal makes one.

import type { Role } from './schema.js';

/**
 * `all` is what administrators see (every organisation); `org` is one tenant. There is deliberately no way
 * to build a scope from a request parameter: the server derives it from the principal (see server/auth.ts).
 */
export type Scope = { readonly all: true } | { readonly all: false; readonly orgId: number };

/** Writes always land in one organisation, even when an administrator makes them. */
export interface OrgScope {
  readonly orgId: number;
}

export const ALL: Scope = { all: true };

export function orgScope(orgId: number): Scope & OrgScope {
  return { all: false, orgId };
}

/** The organisation a scoped query must filter on, or undefined for administrators. */
export function orgFilter(scope: Scope): number | undefined {
  return scope.all ? undefined : scope.orgId;
}

/** Who is asking: a signed-in user or an API token, with the role and tenant they act in. */
export interface Principal {
  kind: 'user' | 'token';
  id: number;
  name: string;
  role: Role;
  /** Null exactly for administrators. */
  orgId: number | null;
  orgName: string | null;
}

/** The only way to a scope: administrators see every organisation, everyone else their own. */
export function scopeOf(p: Principal): Scope {
  if (p.role === 'administrator') return ALL;
  if (p.orgId === null) throw new Error(`${p.kind} ${p.id} has no organisation`);
  return orgScope(p.orgId);
}

/** How the audit log names a principal. */
export function actorOf(p: Principal): string {
  return `${p.kind}:${p.id}:${p.name}`;
}
