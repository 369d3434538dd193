// Ingest: scan reports (validated against the report schema) and evidence bundles (streamed to disk,
// deduplicated by SHA-256, queued for a worker), and the evidence downloads the audit log records.

import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ScanReport } from '../../core/report.js';
import { assessBuild } from '../../exposure/assess.js';
import type { Exposure, OrgScope } from '../../store/index.js';
import type { BundleView } from '../api/types.js';
import {
  actorOf,
  createBundle,
  getBundle,
  getScan,
  getScanReport,
  ingestReport,
  recordDownload,
  scopeOf,
} from '../../store/index.js';
import { audit } from '../../store/index.js';
import { HttpError, writeScope } from '../auth.js';
import { receiveToFile } from '../bundles/upload.js';
import type { Received } from '../bundles/upload.js';
import type { Call, RouteDef } from '../route.js';
import { idParams, orgParam, query, route } from '../route.js';
import type { PreparedReport } from '../body/prepare.js';

const serverName = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  description: 'the Exchange server the evidence is from',
} as const;
export const BUNDLE_TYPES = ['application/zip', 'application/octet-stream'] as const;

/**
 * `{ server, report, build?, org? }`, or a bare report with `?server=` (what `exhunt scan --json` writes):
 * the body parser (body/prepare.ts) has already unwrapped, bounded and checked it.
 */
function unwrap(call: Call): PreparedReport {
  const body = call.req.body as PreparedReport | undefined;
  if (body?.prepared !== 'report') throw new HttpError(415, 'send the report as application/json');
  const q = call.query as { server?: string; org?: string; build?: string };
  const or = (a: string | undefined, b: string | undefined) =>
    a !== undefined ? { v: a } : b !== undefined ? { v: b } : {};
  const server = or(body.server, q.server).v;
  const org = or(body.org, q.org).v;
  const build = or(body.build, q.build).v;
  return {
    ...body,
    ...(server !== undefined ? { server } : {}),
    ...(org !== undefined ? { org } : {}),
    ...(build !== undefined ? { build } : {}),
  };
}

function exposureFromBuild(build: string): Exposure {
  const a = assessBuild(build);
  const cves = (state: string) => a.cves.filter((c) => c.state === state).map((c) => c.cve);
  return { build, vulnerable: cves('vulnerable'), unknown: cves('unknown') };
}

async function uploadBody(call: Call): Promise<Readable> {
  if (call.req.isMultipart()) {
    const part = await call.req.file({ limits: { fileSize: call.ctx.maxBundleBytes, files: 1 } });
    if (!part) throw new HttpError(400, 'the multipart body has no file');
    return part.file;
  }
  return call.req.body as Readable;
}

/**
 * Stores a received bundle file (then removes it) and queues its analysis; 200 with the existing bundle when
 * this organisation already has these bytes. Shared by the one-request upload and the resumable one.
 */
export async function storeBundle(
  call: Call,
  scope: OrgScope,
  server: string,
  got: Received,
): Promise<BundleView> {
  try {
    const { bundle, created } = await createBundle(
      call.ctx.store,
      scope,
      { serverName: server, sha256: got.sha256, size: got.size, actor: actorOf(call.principal) },
      async (trx, id) => {
        await call.ctx.storage.put(trx, { id, organisationId: scope.orgId, sha256: got.sha256 }, got.file);
        await call.ctx.queue.enqueue(trx, { bundleId: id });
      },
    );
    if (created) call.ctx.queue.notify();
    else call.reply.code(200);
    return { ...bundle, duplicate: !created };
  } finally {
    await rm(got.file, { force: true });
  }
}

export const ingestRoutes: RouteDef[] = [
  route({
    method: 'POST',
    url: '/reports',
    summary: 'Upload a scan report (`exhunt scan --json`) for a server; the same report twice is one scan',
    tag: 'ingest',
    role: 'analyst',
    query: query({
      server: serverName,
      org: orgParam,
      build: {
        type: 'string',
        maxLength: 100,
        description: 'the server build, for reports without an exposure section',
      },
    }),
    body: {
      type: 'object',
      description:
        'a report, or `{ server, report, build?, org? }`; strings over 65,536 characters are cut with a marker (counted in the X-Exhunt-Truncated-Fields header), arrays over 500,000 items are refused with 413',
    },
    bodyLimit: (ctx) => ctx.maxReportBytes,
    evidenceBody: true,
    response: {
      status: 201,
      description: '`{ scanId, serverId, created }` (200 when the report was already stored)',
    },
    async handler(call) {
      const { server, org, build, report, errors, truncated } = unwrap(call);
      if (!server)
        throw new HttpError(400, 'name the server: ?server=NAME or { "server": NAME, "report": … }');
      if (errors.length) throw new HttpError(400, `not a valid exhunt report: ${errors.join('; ')}`);
      // Said in a header so that the uploader learns of it without the response changing shape.
      if (truncated > 0) call.reply.header('x-exhunt-truncated-fields', String(truncated));
      const scope = await writeScope(call.ctx.store, call.principal, org);
      const r = await ingestReport(call.ctx.store, scope, {
        serverName: server,
        report: report as ScanReport,
        actor: actorOf(call.principal),
        triage: call.ctx.triage,
        ...(build ? { exposure: exposureFromBuild(build) } : {}),
      });
      if (!r.created) call.reply.code(200);
      return r;
    },
  }),
  route({
    method: 'POST',
    url: '/bundles',
    summary: 'Upload an evidence bundle (.zip) for a worker to scan; the same bundle twice is one scan',
    tag: 'ingest',
    role: 'analyst',
    query: query({ server: serverName, org: orgParam }),
    rawBody: {
      contentTypes: [...BUNDLE_TYPES, 'multipart/form-data'],
      description: 'the .zip, raw or as the one file of a form',
    },
    response: {
      status: 202,
      description: 'the bundle, queued (200 with the existing bundle for a repeat upload)',
    },
    async handler(call) {
      const q = call.query;
      if (!q.server) throw new HttpError(400, 'name the server: ?server=NAME');
      const scope = await writeScope(call.ctx.store, call.principal, q.org);
      const length = Number(call.req.headers['content-length']);
      if (length > call.ctx.maxBundleBytes)
        throw new HttpError(413, `bundle larger than the limit of ${call.ctx.maxBundleBytes} bytes`);
      const got = await receiveToFile(await uploadBody(call), call.ctx.uploadDir, call.ctx.maxBundleBytes);
      return storeBundle(call, scope, q.server, got);
    },
  }),
  route({
    method: 'GET',
    url: '/bundles/:id',
    summary: 'A bundle and its analysis status (queued, running, done with its scan, failed)',
    tag: 'ingest',
    role: 'viewer',
    params: idParams,
    response: { status: 200, description: 'the bundle' },
    async handler({ ctx, principal, params }) {
      const b = await getBundle(ctx.store, scopeOf(principal), params.id);
      if (!b) throw new HttpError(404, 'no such bundle');
      return b;
    },
  }),
  route({
    method: 'GET',
    url: '/bundles/:id/download',
    summary: 'Download the evidence bundle (recorded in the audit log)',
    tag: 'ingest',
    role: 'analyst',
    params: idParams,
    response: { status: 200, description: 'the .zip', contentType: 'application/zip' },
    async handler({ ctx, principal, params, reply }) {
      const b = await getBundle(ctx.store, scopeOf(principal), params.id);
      if (!b) throw new HttpError(404, 'no such bundle');
      await recordDownload(ctx.store, b, actorOf(principal));
      reply.header('content-type', 'application/zip');
      reply.header('content-disposition', `attachment; filename="${b.sha256}.zip"`);
      return ctx.storage.open(b);
    },
  }),
  route({
    method: 'GET',
    url: '/scans/:id/report',
    summary: 'Download the scan report as uploaded (recorded in the audit log)',
    tag: 'scans',
    role: 'analyst',
    params: idParams,
    response: { status: 200, description: 'the report (schema/report.schema.json)' },
    async handler({ ctx, principal, params }) {
      const scope = scopeOf(principal);
      const scan = await getScan(ctx.store, scope, params.id);
      const report = scan && (await getScanReport(ctx.store, scope, scan.id));
      if (!scan || !report) throw new HttpError(404, 'no such scan');
      await audit(ctx.store.db, {
        orgId: scan.organisationId,
        actor: actorOf(principal),
        action: 'report.download',
        target: `scan:${scan.id}`,
      });
      return report;
    },
  }),
];
