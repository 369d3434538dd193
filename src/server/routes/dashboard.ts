// The dashboard's fleet routes (overview, trend, server search, exposure by build), plus its scan routes:
// reads within the caller's tenant, an administrator narrowing with `org` exactly as the other reads do.

import { readScope } from '../auth.js';
import type { RouteDef } from '../route.js';
import { orgParam, paging, query } from '../route.js';
import { exposureByBuild, overview, searchServers, trend, URGENCY } from './dashboard-queries.js';
import { dashboardScanRoutes } from './dashboard-scans.js';

const time = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$',
  description: 'UTC ISO-8601',
};

const fleetRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/dashboard/overview',
    summary:
      'The fleet at a glance: servers by verdict and exposure, remediation progress, the first servers in triage order (all of them: `/servers?order=triage`), and findings new since a time',
    tag: 'dashboard',
    role: 'viewer',
    query: query({
      org: orgParam,
      since: { ...time, description: 'count findings in scans uploaded after this time (the last visit)' },
    }),
    response: { status: 200, description: 'the overview, with `now` to keep as the time of this visit' },
    async handler({ ctx, principal, query: q }) {
      const scope = await readScope(ctx.store, principal, q.org as string | undefined);
      return overview(ctx.store, scope, q.since as string | undefined, ctx.triage);
    },
  },
  {
    method: 'GET',
    url: '/dashboard/trend',
    summary: 'Day by day (UTC), servers by the verdict of their latest scan, and the scans finished that day',
    tag: 'dashboard',
    role: 'viewer',
    query: query({
      org: orgParam,
      days: {
        type: 'integer',
        minimum: 1,
        maximum: 366,
        description: 'how many days, ending today (default 30)',
      },
    }),
    response: { status: 200, description: '`{ days: [{ day, verdicts, scans }] }`' },
    async handler({ ctx, principal, query: q }) {
      const scope = await readScope(ctx.store, principal, q.org as string | undefined);
      return { days: await trend(ctx.store, scope, (q.days as number | undefined) ?? 30) };
    },
  },
  {
    method: 'GET',
    url: '/dashboard/servers',
    summary:
      'Servers, the most urgent first (or by name), searchable by part of the name or build, with open remediation counts',
    tag: 'dashboard',
    role: 'viewer',
    query: query({
      ...paging,
      org: orgParam,
      q: { type: 'string', maxLength: 200, description: 'part of the server name or build, any case' },
      verdict: { type: 'string', enum: [...URGENCY] },
      build: { type: 'string', maxLength: 64, description: 'an exact build, or `none`' },
      vulnerable: { type: 'boolean', description: 'only servers whose build is vulnerable' },
      sort: { type: 'string', enum: ['urgency', 'name'] },
    }),
    response: { status: 200, description: '`{ items, next }`' },
    async handler({ ctx, principal, query: q }) {
      const scope = await readScope(ctx.store, principal, q.org as string | undefined);
      return searchServers(ctx.store, scope, q);
    },
  },
  {
    method: 'GET',
    url: '/dashboard/exposure',
    summary:
      'Servers grouped by build, the builds missing the most updates first, with the updates to install',
    tag: 'dashboard',
    role: 'viewer',
    query: query({ org: orgParam }),
    response: {
      status: 200,
      description: '`{ builds: [{ build, servers, verdicts, vulnerable, missing }] }`',
    },
    async handler({ ctx, principal, query: q }) {
      const scope = await readScope(ctx.store, principal, q.org as string | undefined);
      return { builds: await exposureByBuild(ctx.store, scope) };
    },
  },
];

export const dashboardRoutes: RouteDef[] = [...fleetRoutes, ...dashboardScanRoutes];
