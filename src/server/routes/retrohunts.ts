// Retro-hunts over the API: Sigma rule packs stored on the server, and hunts (a feed or a pack run again
// over what the fleet holds) started, listed, and read with their progress, hits and unread bundles.

import { createHash } from 'node:crypto';
import type { FeedOwner } from '../../store/index.js';
import {
  actorOf,
  createRulePack,
  getRetrohunt,
  getRulePack,
  listIncompleteBundles,
  listRetrohuntHits,
  listRetrohunts,
  listRulePacks,
  MAX_STORED_PROBLEMS,
  scopeOf,
} from '../../store/index.js';
import { HttpError, readScope, writeScope } from '../auth.js';
import { feedText, feedUpload } from '../intel/feed-body.js';
import { checkRulePack } from '../retrohunt/rule-pack.js';
import { checkHuntQuery, HUNT_ON_UPLOAD, huntAfterUpload, startRetrohunt } from '../retrohunt/start.js';

import type { Call, RouteDef } from '../route.js';
import { idParams, orgParam, query, route } from '../route.js';

async function packOwner(call: Call<unknown, { org?: string; shared?: boolean }>): Promise<FeedOwner> {
  const q = call.query;
  if (!q.shared) return writeScope(call.ctx.store, call.principal, q.org);
  if (call.principal.role !== 'administrator')
    throw new HttpError(403, 'only administrators upload shared rule packs');
  if (q.org !== undefined)
    throw new HttpError(400, 'a shared rule pack belongs to no organisation: leave out org');
  return 'shared';
}

const time = { type: 'string', minLength: 1, maxLength: 40 } as const;

export const retrohuntRoutes: RouteDef[] = [
  route({
    method: 'POST',
    url: '/rule-packs',
    summary:
      'Upload a Sigma rule pack (one YAML file, documents separated by ---) for your organisation or (administrators, `shared=true`) for every one, to run in retro-hunts; refused with its problems when no rule loads',
    tag: 'retrohunt',
    role: 'analyst',
    query: query({
      name: {
        type: 'string',
        minLength: 1,
        maxLength: 120,
        pattern: '^[^\\u0000-\\u001f/\\\\]+$',
        description: 'what findings call the pack',
      },
      org: orgParam,
      shared: { type: 'boolean', description: 'administrators: a pack for every organisation' },
      ...HUNT_ON_UPLOAD,
    }),
    rawBody: {
      contentTypes: ['application/octet-stream', 'text/plain', 'multipart/form-data'],
      description: 'the YAML file, raw or as the one file of a form',
    },
    bodyLimit: (ctx) => ctx.maxFeedBytes,
    response: {
      status: 201,
      description: 'the pack with its rule count and problems (200 for the same content again)',
    },
    async handler(call) {
      checkHuntQuery(call.query);
      const owner = await packOwner(call);
      const { bytes, filename } = await feedUpload(call, call.ctx.maxFeedBytes);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      // eslint-disable-next-line no-control-regex -- removing control characters and separators is the point
      const fromForm = filename?.replace(/[\u0000-\u001f\u007f/\\]/g, '').slice(0, 120);
      const name = call.query.name || fromForm || `rules-${sha256.slice(0, 12)}`;
      const text = feedText(bytes);
      const checked = await checkRulePack(text, name);
      const problems = checked.problems.slice(0, MAX_STORED_PROBLEMS);
      if (checked.rules === 0) {
        call.reply.code(400);
        return {
          statusCode: 400,
          error: 'Request failed',
          message: `no rule in "${name}" could be loaded (${checked.problems.length} problem(s))`,
          problems,
        };
      }
      const { pack, created } = await createRulePack(call.ctx.store, owner, {
        name,
        content: text,
        sha256,
        size: bytes.length,
        rules: checked.rules,
        problems: checked.problems,
        actor: actorOf(call.principal),
      });
      if (!created) call.reply.code(200);
      const { store, queue } = call.ctx;
      const retrohunt = await huntAfterUpload(store, queue, call.principal, call.query, 'rules', pack.id);
      return { ...pack, problems, duplicate: !created, ...(retrohunt ? { retrohunt } : {}) };
    },
  }),
  route({
    method: 'GET',
    url: '/rule-packs',
    summary: 'Sigma rule packs: your organisation’s and the shared ones (administrators: all)',
    tag: 'retrohunt',
    role: 'viewer',
    query: query({ org: orgParam }),
    response: { status: 200, description: '`{ items }`, without the packs’ content' },
    async handler({ ctx, principal, query: q }) {
      return {
        items: await listRulePacks(ctx.store, await readScope(ctx.store, principal, q.org)),
      };
    },
  }),
  route({
    method: 'GET',
    url: '/rule-packs/:id',
    summary: 'One rule pack and the problems its rules had when loaded',
    tag: 'retrohunt',
    role: 'viewer',
    params: idParams,
    response: { status: 200, description: 'the pack' },
    async handler({ ctx, principal, params }) {
      const p = await getRulePack(ctx.store, scopeOf(principal), params.id);
      if (!p) throw new HttpError(404, 'no such rule pack');
      return p;
    },
  }),
  route({
    method: 'POST',
    url: '/retrohunts',
    summary:
      'Start a retro-hunt: a feed (`feed`) or rule pack (`rules`) run over what the fleet holds, stored indicators at once and (mode `full`, the default) every analysed bundle on the workers, within `since`..`until`, over your organisation or (administrators) the ones named in `orgs`',
    tag: 'retrohunt',
    role: 'analyst',
    body: {
      type: 'object',
      additionalProperties: false,
      properties: {
        feed: { type: 'integer', minimum: 1 },
        rules: { type: 'integer', minimum: 1 },
        orgs: { type: 'array', maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 200 } },
        since: time,
        until: time,
        mode: { enum: ['index', 'full'] },
      },
    },
    response: { status: 202, description: 'the hunt, running (its progress at GET /retrohunts/:id)' },
    async handler(call) {
      const b = call.body;
      const trigger = b.feed ?? b.rules;
      if (trigger === undefined || (b.feed !== undefined && b.rules !== undefined))
        throw new HttpError(400, 'name one feed (feed) or one rule pack (rules)');
      const id = await startRetrohunt(call.ctx.store, call.ctx.queue, call.principal, {
        trigger: b.feed !== undefined ? 'feed' : 'rules',
        id: trigger,
        ...(b.orgs ? { orgs: b.orgs } : {}),
        ...(b.since ? { since: b.since } : {}),
        ...(b.until ? { until: b.until } : {}),
        ...(b.mode ? { mode: b.mode } : {}),
      });
      const hunt = await getRetrohunt(call.ctx.store, scopeOf(call.principal), id);
      if (!hunt) throw new HttpError(404, 'no such retro-hunt');
      return hunt;
    },
  }),
  route({
    method: 'GET',
    url: '/retrohunts',
    summary: 'Retro-hunts, newest first, with their progress (tenants: those over their organisation)',
    tag: 'retrohunt',
    role: 'viewer',
    query: query({ org: orgParam }),
    response: { status: 200, description: '`{ items }`' },
    async handler({ ctx, principal, query: q }) {
      return {
        items: await listRetrohunts(ctx.store, await readScope(ctx.store, principal, q.org)),
      };
    },
  }),
  route({
    method: 'GET',
    url: '/retrohunts/:id',
    summary:
      'One retro-hunt: its progress (bundles done, failed, read with loss, total), its hits per server with the rule or indicator, and the bundles it could not read or read only in part (where its answer is incomplete)',
    tag: 'retrohunt',
    role: 'viewer',
    params: idParams,
    response: {
      status: 200,
      description: 'the hunt with `hits` and `incompleteBundles` (not read, or read with loss)',
    },
    async handler({ ctx, principal, params }) {
      const scope = scopeOf(principal);
      const h = await getRetrohunt(ctx.store, scope, params.id);
      if (!h) throw new HttpError(404, 'no such retro-hunt');
      return {
        ...h,
        hits: await listRetrohuntHits(ctx.store, scope, h.id),
        incompleteBundles: await listIncompleteBundles(ctx.store, scope, h.id),
      };
    },
  }),
];
