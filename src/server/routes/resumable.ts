// Resumable bundle uploads (the collector's --upload): the client names the bundle by its SHA-256, asks how
// much the server holds, sends the rest in chunks at that offset, then completes; an interrupted upload
// continues where it stopped. Partial files live in the upload folder, one per organisation and SHA-256.

import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { FILE_MODE, privateDir } from '../file-modes.js';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpError, writeScope } from '../auth.js';
import type { Call, RouteDef } from '../route.js';
import { orgParam, query, route } from '../route.js';
import { BUNDLE_TYPES, storeBundle } from './ingest.js';

const sha256Params = {
  type: 'object',
  required: ['sha256'],
  properties: { sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: "the bundle's SHA-256" } },
} as const;
const server = { type: 'string', minLength: 1, maxLength: 255, description: 'the Exchange server' } as const;

/** Chunks of one partial file are appended one at a time (per process). */
const busy = new Set<string>();

async function partOf(
  call: Call<{ sha256: string }, { org?: string }>,
): Promise<{ file: string; sha256: string; orgId: number }> {
  const scope = await writeScope(call.ctx.store, call.principal, call.query.org);
  const { sha256 } = call.params;
  await privateDir(call.ctx.uploadDir);
  return {
    file: path.join(call.ctx.uploadDir, `resume-${scope.orgId}-${sha256}.part`),
    sha256,
    orgId: scope.orgId,
  };
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

export const resumableRoutes: RouteDef[] = [
  route({
    method: 'GET',
    url: '/bundles/uploads/:sha256',
    summary: 'How many bytes of a resumable bundle upload the server holds (0 before the first chunk)',
    tag: 'ingest',
    role: 'analyst',
    params: sha256Params,
    query: query({ server, org: orgParam }),
    response: { status: 200, description: '`{ received }`' },
    async handler(call) {
      return { received: await sizeOf((await partOf(call)).file) };
    },
  }),
  route({
    method: 'POST',
    url: '/bundles/uploads/:sha256/chunks',
    summary:
      'Append a chunk to a resumable bundle upload at `offset` (which must be the bytes received so far)',
    tag: 'ingest',
    role: 'analyst',
    params: sha256Params,
    query: query({ server, org: orgParam, offset: { type: 'integer', minimum: 0 } }),
    rawBody: { contentTypes: BUNDLE_TYPES, description: 'the next bytes of the .zip' },
    response: {
      status: 200,
      description: '`{ received }` after the chunk (409 with the count when offset is not it)',
    },
    async handler(call) {
      const { file } = await partOf(call);
      const offset = Number(call.query.offset ?? 0);
      if (busy.has(file)) throw new HttpError(409, 'another chunk of this bundle is being received');
      busy.add(file);
      try {
        const have = await sizeOf(file);
        if (offset !== have) {
          call.reply.code(409);
          return { received: have, error: `the server holds ${have} bytes of this bundle; send from there` };
        }
        const max = call.ctx.maxBundleBytes;
        let size = have;
        const meter = new Transform({
          transform(chunk: Buffer, _enc, done) {
            size += chunk.length;
            if (size > max) return done(new HttpError(413, `bundle larger than the limit of ${max} bytes`));
            done(null, chunk);
          },
        });
        // Written beside the partial file, then appended: a chunk cut off mid-way leaves the count as it was.
        const next = `${file}.${offset}.chunk`;
        try {
          await pipeline(call.req.body as Readable, meter, createWriteStream(next, { mode: FILE_MODE }));
          await pipeline(createReadStream(next), createWriteStream(file, { flags: 'a', mode: FILE_MODE }));
        } finally {
          await rm(next, { force: true });
        }
        return { received: await sizeOf(file) };
      } finally {
        busy.delete(file);
      }
    },
  }),
  route({
    method: 'POST',
    url: '/bundles/uploads/:sha256/complete',
    summary:
      'Finish a resumable bundle upload: its bytes must have the SHA-256 it was named by; then it is queued',
    tag: 'ingest',
    role: 'analyst',
    params: sha256Params,
    query: query({ server, org: orgParam }),
    response: {
      status: 202,
      description: 'the bundle, queued (200 with the existing bundle for a repeat upload)',
    },
    async handler(call) {
      const q = call.query;
      if (!q.server) throw new HttpError(400, 'name the server: ?server=NAME');
      const { file, sha256 } = await partOf(call);
      if (busy.has(file)) throw new HttpError(409, 'a chunk of this bundle is still being received');
      const size = await sizeOf(file);
      if (size === 0) throw new HttpError(400, 'nothing of this bundle was received');
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
      const got = hash.digest('hex');
      if (got !== sha256) {
        await rm(file, { force: true });
        throw new HttpError(400, `the bytes received have SHA-256 ${got}, not ${sha256}: upload it again`);
      }
      const done = `${file}.complete`;
      await rename(file, done);
      const scope = await writeScope(call.ctx.store, call.principal, q.org);
      return storeBundle(call, scope, q.server, { file: done, sha256, size });
    },
  }),
];
