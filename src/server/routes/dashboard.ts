// The dashboard's fleet routes (overview, trend, server search, exposure by build), plus its scan routes:
// reads within the caller's tenant, an administrator narrowing with `org` exactly as the other reads do.

import { URGENCY } from '../../core/report.js';
import { assessBuild } from '../../exposure/assess.js';
import type { Scope, Store, TriageSettings } from '../../store/index.js';
import { fleetCounts, listServers, searchServers, serversByBuild, trend } from '../../store/index.js';
import type { BuildGroup, Overview } from '../api/types.js';
import { readScope } from '../auth.js';
import type { RouteDef } from '../route.js';
import { orgParam, paging, query, route } from '../route.js';
import { dashboardScanRoutes } from './dashboard-scans.js';
import { newSinceVisit } from './new-since.js';

/** The fleet at a glance, with the first servers in triage order and what is new since a visit. */
async function overview(
  store: Store,
  scope: Scope,
  since: string | undefined,
  triage: TriageSettings,
): Promise<Overview> {
  const counts = await fleetCounts(store, scope);
  const first = await listServers(store, scope, { order: 'triage', limit: 10 }, { triage });
  return {
    now: new Date().toISOString(),
    ...counts,
    needsAction: first.items.filter((s) => s.triage.score > 0),
    newFindings: since ? await newSinceVisit(store, scope, since) : null,
  };
}

/** The fleet grouped by build, the builds missing the most updates first. */
async function exposureByBuild(store: Store, scope: Scope): Promise<BuildGroup[]> {
  const groups = new Map<string | null, BuildGroup>();
  for (const r of await serversByBuild(store, scope)) {
    let g = groups.get(r.build);
    if (!g) {
      const a = r.build ? assessBuild(r.build) : undefined;
      const cves = (state: string) => (a?.cves ?? []).filter((c) => c.state === state).map((c) => c.cve);
      g = {
        build: r.build,
        productName: a?.productName ?? null,
        cu: a?.cu ?? null,
        servers: 0,
        verdicts: {},
        vulnerable: cves('vulnerable'),
        unknown: cves('unknown'),
        missing: a?.missing ?? [],
      };
      groups.set(r.build, g);
    }
    g.servers += r.servers;
    const v = r.verdict ?? 'unscanned';
    g.verdicts[v] = (g.verdicts[v] ?? 0) + r.servers;
  }
  return [...groups.values()].sort(
    (a, b) =>
      b.missing.length - a.missing.length ||
      b.vulnerable.length - a.vulnerable.length ||
      b.servers - a.servers ||
      String(a.build).localeCompare(String(b.build)),
  );
}

const time = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$',
  description: 'UTC ISO-8601',
} as const;

const fleetRoutes: RouteDef[] = [
  route({
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
      const scope = await readScope(ctx.store, principal, q.org);
      return overview(ctx.store, scope, q.since, ctx.triage);
    },
  }),
  route({
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
      const scope = await readScope(ctx.store, principal, q.org);
      return { days: await trend(ctx.store, scope, q.days ?? 30) };
    },
  }),
  route({
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
      const scope = await readScope(ctx.store, principal, q.org);
      return searchServers(ctx.store, scope, q);
    },
  }),
  route({
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
      const scope = await readScope(ctx.store, principal, q.org);
      return { builds: await exposureByBuild(ctx.store, scope) };
    },
  }),
];

export const dashboardRoutes: RouteDef[] = [...fleetRoutes, ...dashboardScanRoutes];
