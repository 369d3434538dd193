// Health and browser sign-in: sessions are a random cookie whose hash is stored in the database.

import { toolVersion } from '../../engine/scan.js';
import type { Principal } from '../../store/index.js';
import { changePassword, createSession, deleteSession, findLogin, ping } from '../../store/index.js';
import { cookieValue, DUMMY_HASH, hashPassword, HttpError, SESSION_COOKIE, verifyPassword } from '../auth.js';
import type { Call, RouteDef } from '../route.js';
import { route } from '../route.js';
import type { Reserved } from '../throttle.js';

const SESSION_TTL_MS = 12 * 3600 * 1000;

function me(p: Principal) {
  return { kind: p.kind, id: p.id, name: p.name, role: p.role, organisation: p.orgName };
}

function cookie(call: Call, value: string, maxAgeSeconds: number): string {
  const secure = call.ctx.secureCookies || call.req.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

/**
 * Reserves a password attempt for these keys (counted as a failure until it succeeds), or refuses with 429
 * and Retry-After.
 */
function reserve(call: Call, keys: string[]): Reserved {
  const a = call.ctx.signIns.begin(keys);
  if (a.ok) return a;
  const seconds = Math.ceil(a.waitMs / 1000);
  throw new HttpError(429, `too many failed attempts; try again in ${seconds} s`, seconds);
}

/** Runs the verification; when it could not run at all (503), the reserved attempt is given back. */
async function checked(attempt: Reserved, verify: () => Promise<boolean>): Promise<boolean> {
  try {
    return await verify();
  } catch (e) {
    attempt.done('unchecked');
    throw e;
  }
}

export const systemRoutes: RouteDef[] = [
  route({
    method: 'GET',
    url: '/health',
    summary: 'Whether the server and its database answer',
    tag: 'system',
    role: 'public',
    response: { status: 200, description: '`{ ok, database, version }`' },
    async handler({ ctx }) {
      await ping(ctx.store);
      return { ok: true, database: ctx.store.dialect, version: toolVersion() };
    },
  }),
  route({
    method: 'POST',
    url: '/session',
    summary: 'Sign in with a username and password; sets the session cookie',
    tag: 'session',
    role: 'public',
    body: {
      type: 'object',
      required: ['username', 'password'],
      additionalProperties: false,
      properties: {
        username: { type: 'string', maxLength: 200 },
        password: { type: 'string', maxLength: 1000 },
      },
    },
    response: { status: 200, description: 'who you are now signed in as' },
    async handler(call) {
      const { username, password } = call.body;
      const keys = [`user:${username.toLowerCase()}`, `addr:${call.req.ip}`];
      const attempt = reserve(call, keys);
      const login = await findLogin(call.ctx.store, username);
      const ok = await checked(attempt, () => verifyPassword(password, login?.passwordHash ?? DUMMY_HASH));
      attempt.done(Boolean(login && ok));
      if (!login || !ok) throw new HttpError(401, 'wrong username or password');
      const s = await createSession(call.ctx.store, login.principal, SESSION_TTL_MS);
      call.reply.header('set-cookie', cookie(call, s.token, SESSION_TTL_MS / 1000));
      return { ...me(login.principal), expiresAt: s.expiresAt };
    },
  }),
  route({
    method: 'GET',
    url: '/session',
    summary: 'Who the caller is: user or token, role and organisation',
    tag: 'session',
    role: 'viewer',
    response: { status: 200, description: 'the principal' },
    handler: ({ principal }) => Promise.resolve(me(principal)),
  }),
  route({
    method: 'DELETE',
    url: '/session',
    summary: 'Sign out: the session is deleted from the database',
    tag: 'session',
    role: 'viewer',
    response: { status: 204, description: 'signed out' },
    async handler(call) {
      const token = cookieValue(call.req, SESSION_COOKIE);
      if (token) await deleteSession(call.ctx.store, call.principal, token);
      call.reply.header('set-cookie', cookie(call, '', 0));
      return null;
    },
  }),
  route({
    method: 'POST',
    url: '/session/password',
    summary: "Change the signed-in user's password; the user's other sessions end",
    tag: 'session',
    role: 'viewer',
    body: {
      type: 'object',
      required: ['current', 'password'],
      additionalProperties: false,
      properties: {
        current: { type: 'string', maxLength: 1000 },
        password: { type: 'string', minLength: 12, maxLength: 1000 },
      },
    },
    response: { status: 200, description: '`{ sessionsEnded }`' },
    async handler(call) {
      const p = call.principal;
      if (p.kind !== 'user') throw new HttpError(400, 'API tokens have no password; sign in as a user');
      const { current, password } = call.body;
      // Guessing the current password through this route is throttled like signing in.
      const keys = [`user:${p.name.toLowerCase()}`, `addr:${call.req.ip}`];
      const attempt = reserve(call, keys);
      const login = await findLogin(call.ctx.store, p.name);
      const ok = Boolean(
        login && (await checked(attempt, () => verifyPassword(current, login.passwordHash))),
      );
      attempt.done(ok);
      if (!ok) throw new HttpError(403, 'the current password is wrong');
      const ended = await changePassword(
        call.ctx.store,
        p,
        await hashPassword(password),
        cookieValue(call.req, SESSION_COOKIE),
      );
      return { sessionsEnded: ended };
    },
  }),
];
