// The route table's shape: one definition per endpoint feeds Fastify (validation, auth) and the OpenAPI
// document, so the two cannot drift apart.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, Role, Store, TriageSettings } from '../store/index.js';
import { authenticate, HttpError, requireRole } from './auth.js';
import type { BundleStorage } from './bundles/storage.js';
import type { FeedCache } from './intel/cache.js';
import type { SignInThrottle } from './throttle.js';
import type { BodyPool } from './body/pool.js';
import type { JobQueue } from './jobs/queue.js';

export type Schema = Record<string, unknown>;

export interface AppContext {
  store: Store;
  queue: JobQueue;
  storage: BundleStorage;
  /** Uploads are streamed here before they are hashed and stored. */
  uploadDir: string;
  maxBundleBytes: number;
  maxReportBytes: number;
  maxFeedBytes: number;
  secureCookies: boolean;
  /** Parsed indicator feeds, for the STIX export (workers keep their own). */
  feeds: FeedCache;
  /** Failed sign-ins per username and client address. */
  signIns: SignInThrottle;
  /** The triage score's activity window (`exhunt serve --active-days`). */
  triage: TriageSettings;
  /** Large bodies are parsed here, off the event loop. */
  bodies: BodyPool;
}

export interface Call {
  req: FastifyRequest;
  reply: FastifyReply;
  ctx: AppContext;
  /** Set on every route but the public ones. */
  principal: Principal;
  params: Record<string, string | number>;
  query: Record<string, string | number | undefined>;
}

export interface RouteDef {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Below /api/v1, Fastify syntax (`/scans/:id`). */
  url: string;
  summary: string;
  tag: string;
  /** The least role allowed, or `public`. */
  role: Role | 'public';
  params?: Schema;
  query?: Schema;
  /** A JSON body's schema, or the content types of a streamed one. */
  body?: Schema;
  rawBody?: { contentTypes: string[]; description: string };
  /** Success status and what it returns (a JSON Schema of the body, where one is written). */
  response: { status: number; description: string; contentType?: string; schema?: Schema };
  bodyLimit?: (ctx: AppContext) => number;
  /**
   * The JSON body is evidence (a scan report): NUL bytes in it are kept and escaped when stored (see
   * store/nul.ts) instead of being refused with 400 as in every other body.
   */
  evidenceBody?: boolean;
  /** A JSON body is handed to the handler as its bytes (a feed, stored as sent). */
  rawJson?: boolean;
  handler(call: Call): Promise<unknown>;
}

export const API_PREFIX = '/api/v1';
/** The body limit of routes that state none: sign-in, settings, names. */
export const SMALL_BODY_BYTES = 64 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function registerRoutes(app: FastifyInstance, ctx: AppContext, routes: RouteDef[]): void {
  for (const def of routes) {
    const schema: Schema = {};
    if (def.params) schema.params = def.params;
    if (def.query) schema.querystring = def.query;
    if (def.body) schema.body = def.body;
    app.route({
      method: def.method,
      url: API_PREFIX + def.url,
      schema,
      // Small JSON bodies unless the route says otherwise (Fastify's default is 1 MiB).
      bodyLimit: def.bodyLimit ? def.bodyLimit(ctx) : SMALL_BODY_BYTES,
      // What the JSON body parser (app.ts) makes of the body: a prepared report, the bytes, or parsed JSON.
      config: { jsonBody: def.evidenceBody ? 'report' : def.rawJson ? 'raw' : 'json' },
      // Before the body is read: an unauthenticated caller never gets to stream gigabytes in.
      onRequest: async (req) => {
        if (def.role === 'public') return;
        const p = await authenticate(ctx.store, req);
        requireRole(p, def.role);
        req.principal = p;
      },
      // PostgreSQL's text refuses NUL with an error: a NUL in a path or query parameter, or in a JSON body
      // that is not evidence, is the caller's mistake (400) and never reaches the database.
      preValidation: async (req) => {
        const where = nulIn(req.params, 'path') ?? nulIn(req.query, 'query');
        const body = def.evidenceBody || isStream(req.body) ? undefined : nulIn(req.body, 'body');
        if (where ?? body) throw new HttpError(400, `NUL byte in ${where ?? body}`);
      },
      // Ajv coerces `Infinity` and `1e400` to numbers and then skips minimum and maximum for them: a number
      // that is not finite after validation is refused here (it was a 500 from PostgreSQL).
      preHandler: async (req) => {
        for (const [what, bag] of [
          ['path', req.params],
          ['query', req.query],
        ] as const)
          for (const [k, v] of Object.entries((bag ?? {}) as Record<string, unknown>))
            if (typeof v === 'number' && !Number.isFinite(v))
              throw new HttpError(400, `${what} parameter ${k} must be a finite number`);
      },
      handler: async (req, reply) => {
        // The documented status; a handler may still choose another (200 for an upload already stored).
        reply.code(def.response.status);
        return def.handler({
          req,
          reply,
          ctx,
          principal: req.principal as Principal,
          params: (req.params ?? {}) as Call['params'],
          query: (req.query ?? {}) as Call['query'],
        });
      },
    });
  }
}

function isStream(v: unknown): boolean {
  return typeof (v as { pipe?: unknown } | null)?.pipe === 'function';
}

/** Where the first string holding a NUL is (`query parameter q`, `body /a/0`), or undefined. */
export function nulIn(v: unknown, what: string, at = ''): string | undefined {
  const stack: [unknown, string][] = [[v, at]];
  while (stack.length) {
    const [x, p] = stack.pop()!;
    if (typeof x === 'string') {
      if (x.includes('\0')) return p ? `${what} ${p}` : what;
    } else if (x && typeof x === 'object' && !Buffer.isBuffer(x))
      for (const [k, y] of Object.entries(x)) {
        if (k.includes('\0')) return `${what} ${p}/(a name)`;
        stack.push([y, what === 'body' ? `${p}/${k}` : k]);
      }
  }
  return undefined;
}

/**
 * Bounds for every parameter and body field that states none: integers within what both databases hold
 * and JSON numbers can say exactly (`1e400` coerces to Infinity, `1e20` overflows a bigint), strings
 * within a length. Applied to the route table itself, so the OpenAPI document shows the same bounds.
 */
export const MAX_INTEGER = Number.MAX_SAFE_INTEGER;
const MAX_PARAM_CHARS = 1000;

export function bounded(s: Schema | undefined, maxChars = MAX_PARAM_CHARS): Schema | undefined {
  if (!s) return s;
  const out: Schema = { ...s };
  const types = ([] as unknown[]).concat(s.type ?? []);
  if (types.includes('integer') || types.includes('number')) {
    out.maximum ??= MAX_INTEGER;
    out.minimum ??= -MAX_INTEGER;
  }
  if (types.includes('string') && s.enum === undefined && s.maxLength === undefined) out.maxLength = maxChars;
  if (s.properties)
    out.properties = Object.fromEntries(
      Object.entries(s.properties as Record<string, Schema>).map(([k, v]) => [k, bounded(v, maxChars)]),
    );
  if (s.items && typeof s.items === 'object') out.items = bounded(s.items as Schema, maxChars);
  return out;
}

/** The route with bounds on every parameter and on the fields of a JSON body (not on a report's). */
export function withBounds(def: RouteDef): RouteDef {
  const out: RouteDef = { ...def };
  if (def.params) out.params = bounded(def.params)!;
  if (def.query) out.query = bounded(def.query)!;
  if (def.body && !def.evidenceBody) out.body = bounded(def.body, 100_000)!;
  return out;
}

/** Shared query schema pieces. */
export const idParams: Schema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1 } },
};

export const paging: Record<string, Schema> = {
  limit: { type: 'integer', minimum: 1, maximum: 500, description: 'rows per page (default 50)' },
  cursor: { type: 'string', description: 'the `next` value of the previous page' },
};

export const orgParam: Schema = {
  type: 'string',
  description:
    'administrators: narrow to (or, for writes, act in) this organisation; others may only name their own',
};

export function query(props: Record<string, Schema>): Schema {
  return { type: 'object', additionalProperties: false, properties: props };
}
