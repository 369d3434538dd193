// The route table's shape: one definition per endpoint feeds Fastify (validation, auth) and the OpenAPI
// document, so the two cannot drift apart.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, Role, Store, TriageSettings } from '../store/index.js';
import { authenticate, requireRole } from './auth.js';
import type { BundleStorage } from './bundles/storage.js';
import type { FeedCache } from './intel/cache.js';
import type { SignInThrottle } from './throttle.js';
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
  handler(call: Call): Promise<unknown>;
}

export const API_PREFIX = '/api/v1';

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
      ...(def.bodyLimit ? { bodyLimit: def.bodyLimit(ctx) } : {}),
      // Before the body is read: an unauthenticated caller never gets to stream gigabytes in.
      onRequest: async (req) => {
        if (def.role === 'public') return;
        const p = await authenticate(ctx.store, req);
        requireRole(p, def.role);
        req.principal = p;
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
