// The dashboard: files from web/dist at `/` when it has been built, index.html for client-side routes.

import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from './route.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export const DEFAULT_WEB_ROOT = new URL('../../../web/dist/', import.meta.url).pathname;

export function serveDashboard(app: FastifyInstance, root: string): void {
  if (!existsSync(path.join(root, 'index.html'))) return;
  const base = path.resolve(root);
  app.get('/*', async (req, reply) => {
    const url = decodeURIComponent((req.params as { '*': string })['*'] ?? '');
    if (`/${url}`.startsWith(API_PREFIX))
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no such route' });
    let file = path.resolve(base, url);
    // Never outside web/dist, whatever the URL says.
    if (file !== base && !file.startsWith(base + path.sep)) return reply.code(404).send();
    const st = await stat(file).catch(() => undefined);
    if (!st?.isFile()) file = path.join(base, 'index.html');
    reply.header('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream');
    reply.header('x-content-type-options', 'nosniff');
    return reply.send(createReadStream(file));
  });
}
