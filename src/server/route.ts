// The route table's shape: one definition per endpoint feeds Fastify (validation, auth) and the OpenAPI
// document, so the two cannot drift apart.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, Role, Store, TriageSettings } from '../store/index.js';
import type { ApiMethod, ApiParams, ApiResponses } from './api/types.js';
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

/** A request as a handler sees it: params, query and a JSON body typed from the route's own schemas. */
export interface Call<
  Params = Record<string, string | number>,
  Query = Record<string, unknown>,
  Body = unknown,
> {
  req: FastifyRequest;
  reply: FastifyReply;
  ctx: AppContext;
  /** Set on every route but the public ones. */
  principal: Principal;
  params: Params;
  query: Query;
  /** The body as validated (a JSON body's type follows its schema; a streamed body is a stream). */
  body: Body;
}

/**
 * The TypeScript type a JSON Schema describes, for the subset the route table writes (objects with
 * `properties` and `required`, arrays, `enum`, the scalar types, `[type, 'null']`); anything else is unknown.
 */
export type FromSchema<S> = S extends { enum: readonly (infer E)[] }
  ? E
  : S extends { type: readonly (infer T)[] }
    ? Scalar<T>
    : S extends { type: 'object'; properties: infer P }
      ? ObjectOf<P, S extends { required: readonly (infer R)[] } ? R : never>
      : S extends { type: 'object' }
        ? Record<string, unknown>
        : S extends { type: 'array'; items: infer I }
          ? FromSchema<I>[]
          : S extends { type: 'array' }
            ? unknown[]
            : S extends { type: infer T }
              ? Scalar<T>
              : unknown;

type Scalar<T> = T extends 'string'
  ? string
  : T extends 'integer' | 'number'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'null'
        ? null
        : unknown;

type ObjectOf<P, R> = Flat<
  { -readonly [K in keyof P & R]: FromSchema<P[K]> } & {
    -readonly [K in Exclude<keyof P, R>]?: FromSchema<P[K]>;
  }
>;
type Flat<T> = { [K in keyof T]: T[K] };

/** What a route's handler answers: the type api/types.ts declares for its method and path. */
export type ResponseOf<K extends string> = K extends keyof ApiResponses ? ApiResponses[K] : never;

/** A route as written in the table, its handler typed from its path, schemas and declared response. */
export interface RouteSpec<M extends ApiMethod, U extends string, Q, B> extends Omit<
  RouteDef,
  'method' | 'url' | 'query' | 'body' | 'handler'
> {
  method: M;
  url: U;
  query?: Q;
  body?: B;
  handler(
    call: Call<ParamsOf<U>, QueryOf<Q>, B extends Schema ? FromSchema<B> : unknown>,
  ): Promise<ResponseOf<`${M} ${U}`>>;
}

type ParamsOf<U extends string> = ApiParams<U> extends infer P ? Flat<P> : never;
type QueryOf<Q> = Q extends { properties: infer P } ? Partial<ObjectOf<P, never>> : Record<string, never>;

/**
 * One route of the table. The compiler holds it to its declared response (api/types.ts `ApiResponses`),
 * and hands its handler params, query and body typed from the path and the schemas written here.
 */
export function route<
  const M extends ApiMethod,
  const U extends string,
  const Q extends Schema = never,
  const B extends Schema = never,
>(spec: RouteSpec<M, U, Q, B>): RouteDef {
  // Seen as the table's untyped route (handlers are methods, so their parameter is checked both ways):
  // registerRoutes validates each request against the same schemas before it calls the handler.
  return spec;
}

export interface RouteDef {
  method: ApiMethod;
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
  rawBody?: { contentTypes: readonly string[]; description: string };
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
          body: req.body,
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

export const paging = {
  limit: { type: 'integer', minimum: 1, maximum: 500, description: 'rows per page (default 50)' },
  cursor: { type: 'string', description: 'the `next` value of the previous page' },
} as const;

export const orgParam = {
  type: 'string',
  description:
    'administrators: narrow to (or, for writes, act in) this organisation; others may only name their own',
} as const;

/** A query string's schema; the handler's `query` is typed from it. */
export function query<const P extends Record<string, Schema>>(
  props: P,
): { type: 'object'; additionalProperties: false; properties: P } {
  return { type: 'object', additionalProperties: false, properties: props };
}
