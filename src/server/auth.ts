// Authentication: scrypt password hashes, bearer tokens and session cookies → the request's principal, and
// the role and tenant checks every route goes through.

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpError } from './http-error.js';
import type { OrgScope, Principal, Role, Scope, Store } from '../store/index.js';
import {
  ALL,
  findOrganisation,
  orgScope,
  scopeOf,
  sessionPrincipal,
  tokenPrincipal,
} from '../store/index.js';

export const SESSION_COOKIE = 'exhunt_session';
/** Cookie-authenticated changes must carry this header: a cross-site form cannot set it. */
const CSRF_HEADER = 'x-requested-with';

const RANK: Record<Role, number> = { viewer: 1, analyst: 2, administrator: 3 };
export const ROLES: Role[] = ['administrator', 'analyst', 'viewer'];

export { HttpError } from './http-error.js';

// scrypt N=2^15, r=8, p=1: 32 MiB and tens of milliseconds per guess; the parameters travel in the hash.
const N = 32768;
const R = 8;
const P = 1;
const KEYLEN = 32;

/**
 * scrypt runs on libuv's thread pool (four threads, shared with file I/O). A burst of sign-ins must neither
 * take all of it nor queue without end, so at most `running` derivations run at once, `queued` more wait,
 * and the rest are refused at once with a 503 and Retry-After: an attacker's burst costs them, not the
 * server, and a real user waits at most for a short queue.
 */
export class ScryptPool {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** Derivations started since the pool was made (the tests count them). */
  started = 0;

  constructor(
    readonly running = 2,
    readonly queued = 16,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.running) {
      if (this.waiting.length >= this.queued)
        throw new HttpError(503, 'too many sign-ins are being checked; try again in a second', 1);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.active++;
    this.started++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, so the count never drops below what runs.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export const scryptPool = new ScryptPool();

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  // Parameters come from the stored hash; out-of-range ones make scrypt throw, which is a failed check.
  return scryptPool.run(
    () =>
      new Promise((resolve, reject) =>
        scrypt(password, salt, KEYLEN, { N: n, r, p, maxmem: 256 * n * r }, (e, key) =>
          e ? reject(e) : resolve(key),
        ),
      ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !key) return false;
  const want = Buffer.from(key, 'base64');
  const got = await derive(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Spent on unknown usernames too, so that response time does not tell which usernames exist. */
export const DUMMY_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEYLEN).toString('base64')}`;

export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export function cookieValue(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The principal behind a request: a bearer token first, else the session cookie; 401 when neither holds. */
export async function authenticate(store: Store, req: FastifyRequest): Promise<Principal> {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    const p = m?.[1] ? await tokenPrincipal(store, m[1]) : undefined;
    if (!p) throw new HttpError(401, 'invalid or revoked API token');
    return p;
  }
  const session = cookieValue(req, SESSION_COOKIE);
  const p = session ? await sessionPrincipal(store, session) : undefined;
  if (!p)
    throw new HttpError(401, 'sign in (POST /api/v1/session) or send an API token (Authorization: Bearer)');
  const safe = req.method === 'GET' || req.method === 'HEAD';
  if (!safe && req.headers[CSRF_HEADER] === undefined)
    throw new HttpError(403, `requests signed in by cookie must send the ${CSRF_HEADER} header`);
  return p;
}

export function requireRole(p: Principal, role: Role): void {
  if (RANK[p.role] < RANK[role]) throw new HttpError(403, `this needs the ${role} role; you are ${p.role}`);
}

/**
 * The scope of a read. An administrator may narrow it to one organisation by name; anyone else may name
 * only their own organisation (naming another is refused, never honoured).
 */
export async function readScope(store: Store, p: Principal, org: string | undefined): Promise<Scope> {
  const own = scopeOf(p);
  if (org === undefined) return own;
  const found = await findOrganisation(store, own, org);
  if (!found)
    throw new HttpError(
      own.all ? 404 : 403,
      own.all ? `no organisation "${org}"` : `you act for "${p.orgName}" only`,
    );
  return orgScope(found.id);
}

/** The organisation a write lands in: the principal's own, or for administrators the one they name. */
export async function writeScope(store: Store, p: Principal, org: string | undefined): Promise<OrgScope> {
  if (p.role !== 'administrator') {
    const own = scopeOf(p);
    if (own.all) throw new HttpError(403, 'no organisation');
    if (org !== undefined && org !== p.orgName) throw new HttpError(403, `you act for "${p.orgName}" only`);
    return own;
  }
  if (org === undefined) throw new HttpError(400, 'administrators must name the organisation (org)');
  const found = await findOrganisation(store, ALL, org);
  if (!found) throw new HttpError(404, `no organisation "${org}"`);
  return orgScope(found.id);
}
