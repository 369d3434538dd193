// The fleet server's Fastify app: the API under /api/v1, the dashboard at /, testable with app.inject.

import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import path from 'node:path';
import type { Store, TriageSettings } from '../store/index.js';
import { BadCursorError, DEFAULT_TRIAGE } from '../store/index.js';
import type { BundleStorage } from './bundles/storage.js';
import { FeedCache } from './intel/cache.js';
import { SignInThrottle } from './throttle.js';
import { FEED_TYPES, MAX_FEED_BYTES } from './intel/feed-body.js';
import type { JobQueue } from './jobs/queue.js';
import { registerRoutes } from './route.js';
import type { AppContext } from './route.js';
import { BUNDLE_TYPES } from './routes/ingest.js';
import { ROUTES } from './routes/index.js';
import { BodyPool } from './body/pool.js';
import { securityHeaders } from './headers.js';
import { DEFAULT_WEB_ROOT, serveDashboard } from './static.js';

export interface AppOptions {
  store: Store;
  queue: JobQueue;
  storage: BundleStorage;
  /** Uploads are streamed to `<dataDir>/uploads` before they are stored. */
  dataDir: string;
  maxBundleBytes?: number;
  maxReportBytes?: number;
  maxFeedBytes?: number;
  /** Mark the session cookie Secure even over plain HTTP (behind a TLS-terminating proxy). */
  secureCookies?: boolean;
  /** The built dashboard; null for none. */
  webRoot?: string | null;
  logger?: boolean;
  /** The triage score's activity window; 7 days by default. */
  triage?: TriageSettings;
  /** Serve HTTPS with this certificate and key (PEM) instead of plain HTTP. */
  tls?: { cert: Buffer; key: Buffer };
  /** Where large bodies are parsed (a test passes its own to watch it). */
  bodyPool?: BodyPool;
}

const DEFAULTS = { maxBundleBytes: 16 * 1024 ** 3, maxReportBytes: 256 * 1024 ** 2 };

export async function createApp(opts: AppOptions): Promise<FastifyInstance> {
  const ctx: AppContext = {
    store: opts.store,
    queue: opts.queue,
    storage: opts.storage,
    uploadDir: path.join(opts.dataDir, 'uploads'),
    maxBundleBytes: opts.maxBundleBytes ?? DEFAULTS.maxBundleBytes,
    maxReportBytes: opts.maxReportBytes ?? DEFAULTS.maxReportBytes,
    maxFeedBytes: opts.maxFeedBytes ?? MAX_FEED_BYTES,
    secureCookies: opts.secureCookies ?? false,
    feeds: new FeedCache(),
    signIns: new SignInThrottle(),
    bodies: opts.bodyPool ?? new BodyPool(),
    triage: opts.triage ?? DEFAULT_TRIAGE,
  };
  // With a certificate, Fastify makes an HTTPS server; the app is the same (its type names the server kind).
  const app = Fastify({
    ...(opts.tls
      ? { https: { cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2' as const } }
      : {}),
    logger: opts.logger ?? false,
    trustProxy: false,
    // Ajv skips minimum and maximum for non-finite numbers, and coerces `Infinity` and `1e400` to one: strict
    // numbers make them "must be integer" (days=Infinity, ids past any bigint were 500s on PostgreSQL).
    ajv: { customOptions: { strictNumbers: true } },
    // Errors Fastify answers before any hook (a URL that is not valid percent-encoding, a path parameter
    // past the router's length): the same shape and the same security headers as every other answer.
    frameworkErrors: (err, _req, reply) => {
      securityHeaders(reply);
      const status = (err as { statusCode?: number }).statusCode ?? 400;
      void (reply as unknown as FastifyReply)
        .code(status)
        .send({ statusCode: status, error: 'Request failed', message: err.message });
    },
  });
  await app.register(multipart);
  // Bundles arrive as a stream that the route writes to disk; Fastify must not buffer them. Feeds in their
  // own types come the same way, so that the route reads them up to its own limit.
  app.addContentTypeParser([...BUNDLE_TYPES, ...FEED_TYPES], (_req, payload, done) => done(null, payload));
  // JSON is read whole up to the route's limit, then parsed with its depth bounded; a report is also bounded
  // and checked, and large bodies are prepared in a worker thread (body/pool.ts).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    async (req: FastifyRequest, bytes: Buffer) => {
      const kind = (req.routeOptions.config as { jsonBody?: string } | undefined)?.jsonBody;
      if (kind === 'raw') return bytes;
      return ctx.bodies.run(kind === 'report' ? { kind: 'report', bytes } : { kind: 'json', bytes });
    },
  );
  app.addHook('onClose', () => ctx.bodies.close());
  app.setErrorHandler((err, req, reply) => {
    const e = err as {
      statusCode?: number;
      validation?: unknown;
      message: string;
      code?: string;
      retryAfter?: number;
    };
    const status = err instanceof BadCursorError ? 400 : (e.statusCode ?? 500);
    if (e.retryAfter !== undefined) void reply.header('retry-after', String(e.retryAfter));
    if (status >= 500) req.log.error(err);
    // Internal errors say nothing of the database or the code behind them.
    const message =
      status >= 500
        ? 'internal error'
        : e.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? `request body larger than the limit of ${req.routeOptions.bodyLimit} bytes`
          : e.message;
    void reply.code(status).send({
      statusCode: status,
      error: status >= 500 ? 'Internal Server Error' : 'Request failed',
      message,
    });
  });
  app.addHook('onSend', async (_req, reply) => securityHeaders(reply));
  registerRoutes(app, ctx, ROUTES);
  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no such route' });
  });
  const web = opts.webRoot === undefined ? DEFAULT_WEB_ROOT : opts.webRoot;
  if (web) serveDashboard(app, web);
  return app;
}
