// Reads within the caller's tenant: servers with their latest verdict and exposure, scans, findings,
// webshells. Every list is paged and filterable; an id from another tenant is simply not found.

import {
  getScan,
  getServer,
  listEvents,
  listFindings,
  listScans,
  listServers,
  listWebshells,
} from '../../store/index.js';
import { OUTCOMES, SEVERITIES } from '../../core/finding.js';
import { VERDICTS } from '../../core/report.js';
import { triageOrderText } from '../../core/triage.js';
import { HttpError, readScope } from '../auth.js';
import type { RouteDef } from '../route.js';
import { idParams, orgParam, paging, query, route } from '../route.js';

const id = { type: 'integer', minimum: 1 } as const;
const time = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$',
  description: 'UTC ISO-8601',
} as const;

export const readRoutes: RouteDef[] = [
  route({
    method: 'GET',
    url: '/servers',
    summary:
      'Servers, each with its latest verdict, exposure and triage score with its reasons; by name, or the highest score first',
    tag: 'servers',
    role: 'viewer',
    query: query({
      ...paging,
      org: orgParam,
      verdict: { type: 'string', enum: VERDICTS },
      name: { type: 'string' },
      order: {
        type: 'string',
        enum: ['name', 'triage'],
        description:
          '`name` (by organisation, then name; the default) or `triage`: the highest triage score first, equal scores the most recent attacker activity first',
      },
    }),
    response: {
      status: 200,
      description: '`{ items, next }`, and with `order=triage` the order in words as `order`',
    },
    async handler({ ctx, principal, query: q }) {
      const scope = await readScope(ctx.store, principal, q.org);
      const page = await listServers(ctx.store, scope, q, { triage: ctx.triage });
      return q.order === 'triage' ? { ...page, order: triageOrderText(ctx.triage) } : page;
    },
  }),
  route({
    method: 'GET',
    url: '/servers/:id',
    summary: 'One server',
    tag: 'servers',
    role: 'viewer',
    params: idParams,
    response: { status: 200, description: 'the server' },
    async handler({ ctx, principal, params }) {
      const s = await getServer(ctx.store, await readScope(ctx.store, principal, undefined), params.id, {
        triage: ctx.triage,
      });
      if (!s) throw new HttpError(404, 'no such server');
      return s;
    },
  }),
  route({
    method: 'GET',
    url: '/scans',
    summary: 'Scans, newest first',
    tag: 'scans',
    role: 'viewer',
    query: query({ ...paging, org: orgParam, serverId: id, verdict: { type: 'string', enum: VERDICTS } }),
    response: { status: 200, description: '`{ items, next }`' },
    async handler({ ctx, principal, query: q }) {
      return listScans(ctx.store, await readScope(ctx.store, principal, q.org), q);
    },
  }),
  route({
    method: 'GET',
    url: '/scans/:id',
    summary: 'One scan: verdict, explanation, counts',
    tag: 'scans',
    role: 'viewer',
    params: idParams,
    response: { status: 200, description: 'the scan' },
    async handler({ ctx, principal, params }) {
      const s = await getScan(ctx.store, await readScope(ctx.store, principal, undefined), params.id);
      if (!s) throw new HttpError(404, 'no such scan');
      return s;
    },
  }),
  route({
    method: 'GET',
    url: '/findings',
    summary:
      'Findings, newest first, filterable by server, scan, severity, stage, outcome, rule, address and time',
    tag: 'findings',
    role: 'viewer',
    query: query({
      ...paging,
      org: orgParam,
      serverId: id,
      scanId: id,
      severity: { type: 'string', enum: SEVERITIES },
      stage: { type: 'string' },
      outcome: { type: 'string', enum: OUTCOMES },
      rule: { type: 'string', description: 'rule id' },
      ip: { type: 'string', description: 'first source address' },
      since: time,
      until: time,
    }),
    response: { status: 200, description: '`{ items, next }`' },
    async handler({ ctx, principal, query: q }) {
      const scope = await readScope(ctx.store, principal, q.org);
      return listFindings(ctx.store, scope, {
        ...q,
        ...(q.rule !== undefined ? { ruleId: q.rule } : {}),
      });
    },
  }),
  route({
    method: 'GET',
    url: '/events',
    summary:
      'Events in the report’s order: one per request (with its lines from every log), then probe groups, then context groups; newest scan first, and without scanId only each server’s latest scan',
    tag: 'findings',
    role: 'viewer',
    query: query({
      ...paging,
      org: orgParam,
      serverId: id,
      scanId: id,
      kind: { type: 'string', enum: ['event', 'probe', 'context'] },
    }),
    response: {
      status: 200,
      description:
        '`{ items: [{ id, scanId, serverId, server, kind, event }], next }`; `event` is the report’s `events` entry (a request, or a group)',
    },
    async handler({ ctx, principal, query: q }) {
      return listEvents(ctx.store, await readScope(ctx.store, principal, q.org), q);
    },
  }),
  route({
    method: 'GET',
    url: '/webshells',
    summary: 'Webshells found on disk, newest first',
    tag: 'findings',
    role: 'viewer',
    query: query({
      ...paging,
      org: orgParam,
      serverId: id,
      scanId: id,
      sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    }),
    response: { status: 200, description: '`{ items, next }`' },
    async handler({ ctx, principal, query: q }) {
      return listWebshells(ctx.store, await readScope(ctx.store, principal, q.org), q);
    },
  }),
];
