// Administration: organisations, users, API tokens, and the audit log.

import type { Role } from '../../store/index.js';
import {
  actorOf,
  createOrganisation,
  createToken,
  createUser,
  listAudit,
  listOrganisations,
  listTokens,
  listUsers,
  revokeToken,
  scopeOf,
} from '../../store/index.js';
import { generatePassword, hashPassword, HttpError, readScope, ROLES, writeScope } from '../auth.js';
import type { RouteDef } from '../route.js';
import { idParams, orgParam, paging, query, route } from '../route.js';

const name = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f]+$' } as const;
const role = { type: 'string', enum: ROLES } as const;

/** Administrators have no organisation; everyone else has exactly one, named in the request. */
async function orgFor(
  call: Parameters<RouteDef['handler']>[0],
  r: Role,
  org: string | undefined,
): Promise<number | null> {
  if (r === 'administrator') {
    if (org !== undefined) throw new HttpError(400, 'administrators span organisations: leave out org');
    return null;
  }
  return (await writeScope(call.ctx.store, call.principal, org)).orgId;
}

export const adminRoutes: RouteDef[] = [
  route({
    method: 'GET',
    url: '/organisations',
    summary: 'Organisations: all for administrators, your own otherwise',
    tag: 'admin',
    role: 'viewer',
    response: { status: 200, description: '`{ items }`' },
    async handler({ ctx, principal }) {
      return { items: await listOrganisations(ctx.store, scopeOf(principal)) };
    },
  }),
  route({
    method: 'POST',
    url: '/organisations',
    summary: 'Create an organisation (a tenant)',
    tag: 'admin',
    role: 'administrator',
    body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name } },
    response: { status: 201, description: 'the organisation' },
    async handler({ ctx, principal, body }) {
      return createOrganisation(ctx.store, body.name, actorOf(principal));
    },
  }),
  route({
    method: 'GET',
    url: '/users',
    summary: 'Users (no password hashes)',
    tag: 'admin',
    role: 'administrator',
    query: query({ org: orgParam }),
    response: { status: 200, description: '`{ items }`' },
    async handler({ ctx, principal, query: q }) {
      const scope = await readScope(ctx.store, principal, q.org);
      return { items: await listUsers(ctx.store, scope) };
    },
  }),
  route({
    method: 'POST',
    url: '/users',
    summary: 'Create a user; without a password, one is generated and returned once',
    tag: 'admin',
    role: 'administrator',
    body: {
      type: 'object',
      required: ['username', 'role'],
      additionalProperties: false,
      properties: {
        username: name,
        role,
        org: orgParam,
        password: { type: 'string', minLength: 12, maxLength: 1000 },
      },
    },
    response: { status: 201, description: 'the user, and the generated password if one was made' },
    async handler(call) {
      const b = call.body;
      const orgId = await orgFor(call, b.role, b.org);
      const password = b.password ?? generatePassword();
      const user = await createUser(
        call.ctx.store,
        { username: b.username, role: b.role, orgId, passwordHash: await hashPassword(password) },
        actorOf(call.principal),
      );
      return b.password ? user : { ...user, password };
    },
  }),
  route({
    method: 'GET',
    url: '/tokens',
    summary: 'API tokens (names and scopes; the secrets are not kept)',
    tag: 'admin',
    role: 'administrator',
    query: query({ org: orgParam }),
    response: { status: 200, description: '`{ items }`' },
    async handler({ ctx, principal, query: q }) {
      const scope = await readScope(ctx.store, principal, q.org);
      return { items: await listTokens(ctx.store, scope) };
    },
  }),
  route({
    method: 'POST',
    url: '/tokens',
    summary: 'Create an API token scoped to an organisation and role; the secret is shown once',
    tag: 'admin',
    role: 'administrator',
    body: {
      type: 'object',
      required: ['name', 'role'],
      additionalProperties: false,
      properties: { name, role, org: orgParam },
    },
    response: { status: 201, description: '`{ token, ...view }`' },
    async handler(call) {
      const b = call.body;
      const orgId = await orgFor(call, b.role, b.org);
      const t = await createToken(
        call.ctx.store,
        { name: b.name, role: b.role, orgId },
        actorOf(call.principal),
      );
      return { token: t.token, ...t.view };
    },
  }),
  route({
    method: 'DELETE',
    url: '/tokens/:id',
    summary: 'Revoke an API token',
    tag: 'admin',
    role: 'administrator',
    params: idParams,
    response: { status: 204, description: 'revoked' },
    async handler({ ctx, principal, params }) {
      if (!(await revokeToken(ctx.store, scopeOf(principal), params.id, actorOf(principal))))
        throw new HttpError(404, 'no such active token');
      return null;
    },
  }),
  route({
    method: 'GET',
    url: '/audit',
    summary: 'The audit log, newest first: every change and every download of evidence',
    tag: 'admin',
    role: 'analyst',
    query: query({ ...paging, org: orgParam, action: { type: 'string' } }),
    response: { status: 200, description: '`{ items, next }`' },
    async handler({ ctx, principal, query: q }) {
      const scope = await readScope(ctx.store, principal, q.org);
      return listAudit(ctx.store, scope, q);
    },
  }),
];
