// Threat intelligence on the fleet: indicator feeds (a tenant's own, or shared by administrators with every
// tenant) that workers apply to uploaded bundles, and the export of what the fleet saw as STIX 2.1 or CSV.

import { createHash } from 'node:crypto';
import type { FeedFormat, FeedOwner } from '../../store/index.js';
import {
  actorOf,
  createFeed,
  deleteFeed,
  getFeed,
  listFeeds,
  MAX_STORED_PROBLEMS,
  scopeOf,
  setFeedEnabled,
} from '../../store/index.js';
import { HttpError, readScope, writeScope } from '../auth.js';
import { feedUpload } from '../intel/feed-body.js';
import type { ParsedFeed } from '../body/prepare.js';
import { exportIntel } from '../intel/export-route.js';
import { checkHuntQuery, HUNT_ON_UPLOAD, huntAfterUpload } from '../retrohunt/start.js';
import type { Call, RouteDef } from '../route.js';
import { idParams, orgParam, query, route } from '../route.js';

const feedName = {
  type: 'string',
  minLength: 1,
  maxLength: 200,
  pattern: '^[^\\u0000-\\u001f]+$',
  description: 'what findings call the feed (default: the form’s file name)',
} as const;

/** Uploads land in one organisation, or for administrators in none: a shared feed. */
async function ownerOf(call: Call<unknown, { org?: string; shared?: boolean }>): Promise<FeedOwner> {
  const q = call.query;
  if (!q.shared) return writeScope(call.ctx.store, call.principal, q.org);
  if (call.principal.role !== 'administrator')
    throw new HttpError(403, 'only administrators upload shared feeds');
  if (q.org !== undefined)
    throw new HttpError(400, 'a shared feed belongs to no organisation: leave out org');
  return 'shared';
}

/** Changes to a shared feed are for administrators; a tenant's own feed is its analysts' to change. */
async function changeable(call: Call<{ id: number }>): Promise<number> {
  const id = call.params.id;
  const f = await getFeed(call.ctx.store, scopeOf(call.principal), id);
  if (!f) throw new HttpError(404, 'no such feed');
  if (f.shared && call.principal.role !== 'administrator')
    throw new HttpError(403, 'shared feeds are managed by administrators');
  return id;
}

export const intelRoutes: RouteDef[] = [
  route({
    method: 'POST',
    url: '/feeds',
    summary:
      'Upload an indicator feed (STIX 2.1 bundle, MISP event, exhunt list, CSV or text list) for your organisation, or (administrators, `shared=true`) for every one; refused with its problems when nothing in it loads',
    tag: 'intel',
    role: 'analyst',
    query: query({
      name: feedName,
      org: orgParam,
      shared: { type: 'boolean', description: 'administrators: apply the feed to every organisation' },
      ...HUNT_ON_UPLOAD,
    }),
    rawBody: {
      contentTypes: [
        'application/octet-stream',
        'text/plain',
        'text/csv',
        'application/json',
        'application/stix+json',
        'multipart/form-data',
      ],
      description: 'the feed file, raw or as the one file of a form',
    },
    // Fastify's limit for the bodies it parses (text, JSON); streamed ones are cut by the route itself.
    bodyLimit: (ctx) => ctx.maxFeedBytes,
    rawJson: true,
    response: {
      status: 201,
      description:
        'the feed with its indicator count and problems (200 with the existing feed for the same content again; 400 with `problems` when nothing loads; 413 over the size limit)',
    },
    async handler(call) {
      checkHuntQuery(call.query);
      const owner = await ownerOf(call);
      const { bytes, filename } = await feedUpload(call, call.ctx.maxFeedBytes);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      // A form's file name is not checked by the query schema: held to the same rule here.
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      const fromForm = filename?.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200);
      const name = call.query.name || fromForm || `feed-${sha256.slice(0, 12)}`;
      // Parsed in the body worker when large: a 20 MiB feed takes the event loop seconds.
      const parsed = await call.ctx.bodies.run<ParsedFeed>({
        kind: 'feed',
        bytes,
        name,
        maxProblems: MAX_STORED_PROBLEMS,
      });
      const { text, indicators, problems } = parsed;
      if (indicators === 0 || parsed.format === 'unknown') {
        call.reply.code(400);
        return {
          statusCode: 400,
          error: 'Request failed',
          message: `nothing in "${name}" could be loaded as an indicator (${parsed.problemCount} problem(s))`,
          problems,
        };
      }
      const { feed, created } = await createFeed(call.ctx.store, owner, {
        name,
        format: parsed.format as FeedFormat,
        content: text,
        sha256,
        size: bytes.length,
        indicators,
        problems: problems,
        problemCount: parsed.problemCount,
        actor: actorOf(call.principal),
      });
      if (!created) call.reply.code(200);
      const { store, queue } = call.ctx;
      const retrohunt = await huntAfterUpload(store, queue, call.principal, call.query, 'feed', feed.id);
      return { ...feed, problems, duplicate: !created, ...(retrohunt ? { retrohunt } : {}) };
    },
  }),
  route({
    method: 'GET',
    url: '/feeds',
    summary: 'Indicator feeds: your organisation’s own and the shared ones (administrators: all)',
    tag: 'intel',
    role: 'viewer',
    query: query({ org: orgParam }),
    response: { status: 200, description: '`{ items }`, without the feeds’ content' },
    async handler({ ctx, principal, query: q }) {
      const scope = await readScope(ctx.store, principal, q.org);
      return { items: await listFeeds(ctx.store, scope) };
    },
  }),
  route({
    method: 'GET',
    url: '/feeds/:id',
    summary: 'One feed: what it is, how many indicators loaded, and its problems with their lines',
    tag: 'intel',
    role: 'viewer',
    params: idParams,
    response: { status: 200, description: 'the feed and its problems' },
    async handler({ ctx, principal, params }) {
      const f = await getFeed(ctx.store, scopeOf(principal), params.id);
      if (!f) throw new HttpError(404, 'no such feed');
      return f;
    },
  }),
  route({
    method: 'PATCH',
    url: '/feeds/:id',
    summary: 'Turn a feed on or off for the scans to come (shared feeds: administrators only)',
    tag: 'intel',
    role: 'analyst',
    params: idParams,
    body: {
      type: 'object',
      required: ['enabled'],
      additionalProperties: false,
      properties: { enabled: { type: 'boolean' } },
    },
    response: { status: 200, description: 'the feed' },
    async handler(call) {
      const id = await changeable(call);
      const { enabled } = call.body;
      const f = await setFeedEnabled(
        call.ctx.store,
        scopeOf(call.principal),
        id,
        enabled,
        actorOf(call.principal),
      );
      if (!f) throw new HttpError(404, 'no such feed');
      return f;
    },
  }),
  route({
    method: 'DELETE',
    url: '/feeds/:id',
    summary: 'Delete a feed (shared feeds: administrators only); findings it already made stay',
    tag: 'intel',
    role: 'analyst',
    params: idParams,
    response: { status: 204, description: 'deleted' },
    async handler(call) {
      const id = await changeable(call);
      if (!(await deleteFeed(call.ctx.store, scopeOf(call.principal), id, actorOf(call.principal))))
        throw new HttpError(404, 'no such feed');
      return null;
    },
  }),
  ...(['stix', 'csv'] as const).map((format): RouteDef => ({
    method: 'GET',
    url: `/intel/${format}`,
    summary:
      format === 'stix'
        ? 'What the fleet saw as a STIX 2.1 bundle: indicators, and sightings per server (administrators: per organisation) with first and last seen and the scans that saw them'
        : 'What the fleet saw as CSV: one row per indicator with first and last seen, scans, servers (administrators: and organisations) and the feed',
    tag: 'intel',
    role: 'analyst',
    query: query({
      org: orgParam,
      since: { type: 'string', description: 'only what was last seen at or after this UTC ISO-8601 time' },
    }),
    response: {
      status: 200,
      description: format === 'stix' ? 'the bundle' : 'the CSV',
      contentType: format === 'stix' ? 'application/stix+json;version=2.1' : 'text/csv',
    },
    handler: (call) => exportIntel(call, format),
  })),
];
