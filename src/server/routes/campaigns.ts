// Indicators, the campaign view across victims, and remediation items with their status.

import { campaignStixBundle } from '../../report/stix-campaign.js';
import {
  actorOf,
  getCampaign,
  getCluster,
  listCampaigns,
  listClusters,
  listNoise,
  listIndicators,
  listRemediation,
  REMEDIATION_STATUSES,
  scopeOf,
  setRemediationStatus,
} from '../../store/index.js';
import { HttpError, readScope } from '../auth.js';
import type { RouteDef } from '../route.js';
import { idParams, orgParam, paging, query, route } from '../route.js';

const KINDS = ['ip', 'user-agent', 'webshell-name', 'webshell-hash'] as const;
const NOISE_REASONS = ['scanner', 'browser', 'client-library', 'widespread'] as const;

/** The clustering's two thresholds, which a caller may tune per request. */
const tuning = {
  minWeight: {
    type: 'integer',
    minimum: 1,
    description: 'fewest servers at which two indicators shared a session for them to link (default 1)',
  },
  widespread: {
    type: 'integer',
    minimum: 2,
    description:
      'addresses and agents seen at this many organisations or more are background noise (default 10)',
  },
} as const;

function settings<Q extends { widespread?: number }>(q: Q) {
  const { widespread, ...rest } = q;
  return { ...rest, ...(widespread !== undefined ? { widespreadOrgs: widespread } : {}) };
}

export const campaignRoutes: RouteDef[] = [
  route({
    method: 'GET',
    url: '/indicators',
    summary: 'Indicators seen (addresses, user agents, webshell names and hashes), newest sighting first',
    tag: 'campaigns',
    role: 'viewer',
    query: query({
      ...paging,
      org: orgParam,
      kind: { type: 'string', enum: KINDS },
      value: { type: 'string' },
    }),
    response: { status: 200, description: '`{ items, next }`' },
    async handler({ ctx, principal, query: q }) {
      return listIndicators(ctx.store, await readScope(ctx.store, principal, q.org), q);
    },
  }),
  route({
    method: 'GET',
    url: '/campaigns',
    summary:
      'Attacker clusters: indicators used together in sessions across servers, one row per attacker, with victims (administrators: organisations; others: their own servers) and their verdicts, first and last seen, stages and CVEs; `noise` summarises the background noise set apart',
    tag: 'campaigns',
    role: 'viewer',
    query: query({
      ...paging,
      min: { type: 'integer', minimum: 1, description: 'fewest victims (default 1)' },
      ...tuning,
    }),
    response: { status: 200, description: '`{ items, next, noise: { indicators, top } }`' },
    async handler({ ctx, principal, query: q }) {
      return listClusters(ctx.store, scopeOf(principal), settings(q));
    },
  }),
  route({
    method: 'GET',
    url: '/campaigns/noise',
    summary:
      'Background noise: internet-wide scanners (data/internet-scanners.json), generic browser and HTTP-library agents, and addresses or agents seen at many organisations; they never join a cluster',
    tag: 'campaigns',
    role: 'viewer',
    query: query({ ...paging, reason: { type: 'string', enum: NOISE_REASONS }, ...tuning }),
    response: { status: 200, description: '`{ items, next }`' },
    async handler({ ctx, principal, query: q }) {
      return listNoise(ctx.store, scopeOf(principal), settings(q));
    },
  }),
  route({
    method: 'GET',
    url: '/campaigns/indicators',
    summary:
      'Single indicators seen at several victims (administrators: organisations; others: their own servers), with first and last seen and the rules and stages they appeared in',
    tag: 'campaigns',
    role: 'viewer',
    query: query({
      ...paging,
      min: { type: 'integer', minimum: 1, description: 'fewest victims (default 2)' },
      kind: { type: 'string', enum: KINDS },
    }),
    response: { status: 200, description: '`{ items, next }`' },
    async handler({ ctx, principal, query: q }) {
      return listCampaigns(ctx.store, scopeOf(principal), q);
    },
  }),
  route({
    method: 'GET',
    url: '/campaigns/indicators/:id',
    summary: 'One indicator across victims: every victim and everything it did',
    tag: 'campaigns',
    role: 'viewer',
    params: idParams,
    response: { status: 200, description: 'the indicator' },
    async handler({ ctx, principal, params }) {
      const c = await getCampaign(ctx.store, scopeOf(principal), params.id);
      if (!c) throw new HttpError(404, 'no such indicator');
      return c;
    },
  }),
  route({
    method: 'GET',
    url: '/campaigns/:id',
    summary:
      'One attacker cluster (by its id or any of its indicators’ ids): every victim with its verdict, the timeline across victims (who was hit first), the indicators, stages and CVEs',
    tag: 'campaigns',
    role: 'viewer',
    params: idParams,
    query: query(tuning),
    response: { status: 200, description: 'the cluster' },
    async handler({ ctx, principal, params, query: q }) {
      const c = await getCluster(ctx.store, scopeOf(principal), params.id, settings(q));
      if (!c) throw new HttpError(404, 'no such campaign');
      return c;
    },
  }),
  route({
    method: 'GET',
    url: '/campaigns/:id/stix',
    summary:
      'One attacker cluster as a STIX 2.1 bundle: campaign, intrusion set, indicators with patterns, the CVEs it targeted, and a sighting at each victim',
    tag: 'campaigns',
    role: 'viewer',
    params: idParams,
    query: query(tuning),
    response: {
      status: 200,
      description: 'a STIX 2.1 bundle',
      contentType: 'application/stix+json;version=2.1',
    },
    async handler({ ctx, principal, params, query: q, reply }) {
      const scope = scopeOf(principal);
      const c = await getCluster(ctx.store, scope, params.id, settings(q));
      if (!c) throw new HttpError(404, 'no such campaign');
      reply.header('content-type', 'application/stix+json;version=2.1');
      reply.header('content-disposition', `attachment; filename="exhunt-campaign-${c.id}.stix.json"`);
      return JSON.stringify(
        campaignStixBundle({
          id: c.id,
          view: scope.all ? 'fleet' : `organisation:${scope.orgId}`,
          firstSeen: c.firstSeen,
          lastSeen: c.lastSeen,
          stages: c.stages,
          cves: c.cves,
          indicators: c.indicators,
          victims: c.victims,
        }),
      );
    },
  }),
  route({
    method: 'GET',
    url: '/remediation',
    summary: 'Remediation items from the reports, with their status',
    tag: 'remediation',
    role: 'viewer',
    query: query({
      ...paging,
      org: orgParam,
      serverId: { type: 'integer', minimum: 1 },
      status: { type: 'string', enum: REMEDIATION_STATUSES },
    }),
    response: { status: 200, description: '`{ items, next }`' },
    async handler({ ctx, principal, query: q }) {
      return listRemediation(ctx.store, await readScope(ctx.store, principal, q.org), q);
    },
  }),
  route({
    method: 'PATCH',
    url: '/remediation/:id',
    summary: 'Set a remediation item’s status',
    tag: 'remediation',
    role: 'analyst',
    params: idParams,
    body: {
      type: 'object',
      required: ['status'],
      additionalProperties: false,
      properties: { status: { type: 'string', enum: REMEDIATION_STATUSES } },
    },
    response: { status: 204, description: 'updated' },
    async handler({ ctx, principal, params, body }) {
      const { status } = body;
      if (
        !(await setRemediationStatus(
          ctx.store,
          scopeOf(principal),
          params.id,
          status,
          actorOf(principal),
          ctx.triage,
        ))
      )
        throw new HttpError(404, 'no such remediation item');
      return null;
    },
  }),
];
