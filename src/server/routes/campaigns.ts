// Indicators, the campaign view across victims, and remediation items with their status.

import type { RemediationStatus } from '../../store/index.js';
import {
  actorOf,
  getCampaign,
  listCampaigns,
  listIndicators,
  listRemediation,
  REMEDIATION_STATUSES,
  scopeOf,
  setRemediationStatus,
} from '../../store/index.js';
import { HttpError, readScope } from '../auth.js';
import type { RouteDef } from '../route.js';
import { idParams, orgParam, paging, query } from '../route.js';

const KINDS = ['ip', 'user-agent', 'webshell-name', 'webshell-hash'];

export const campaignRoutes: RouteDef[] = [
  {
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
      return listIndicators(ctx.store, await readScope(ctx.store, principal, q.org as string | undefined), q);
    },
  },
  {
    method: 'GET',
    url: '/campaigns',
    summary:
      'Indicators seen at several victims (administrators: organisations; others: their own servers), with first and last seen and the rules and stages they appeared in',
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
  },
  {
    method: 'GET',
    url: '/campaigns/:id',
    summary: 'One indicator as a campaign: every victim and everything it did',
    tag: 'campaigns',
    role: 'viewer',
    params: idParams,
    response: { status: 200, description: 'the campaign' },
    async handler({ ctx, principal, params }) {
      const c = await getCampaign(ctx.store, scopeOf(principal), params.id as number);
      if (!c) throw new HttpError(404, 'no such indicator');
      return c;
    },
  },
  {
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
      return listRemediation(
        ctx.store,
        await readScope(ctx.store, principal, q.org as string | undefined),
        q,
      );
    },
  },
  {
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
    async handler({ ctx, principal, params, req }) {
      const { status } = req.body as { status: RemediationStatus };
      if (
        !(await setRemediationStatus(
          ctx.store,
          scopeOf(principal),
          params.id as number,
          status,
          actorOf(principal),
          ctx.triage,
        ))
      )
        throw new HttpError(404, 'no such remediation item');
      return null;
    },
  },
];
