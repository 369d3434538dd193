// Routes of the monitoring agents (`exhunt watch`): findings in batches (stored once per key), heartbeats,
// the rule feed they reload without restarting, and the list the dashboard shows. Agents authenticate with
// an analyst token of their organisation, which scopes everything they send.

import { createHash } from 'node:crypto';
import { agentBatch } from '../../engine/agent-batch.js';
import { toolVersion } from '../../engine/scan.js';
import type { AgentFindingIn } from '../../store/index.js';
import { ingestAgentFindings, listAgents, listFeeds, recordHeartbeat } from '../../store/index.js';
import type { Scope, Store } from '../../store/index.js';
import { readScope, writeScope } from '../auth.js';
import type { RouteDef } from '../route.js';
import { orgParam, query, route } from '../route.js';

/** An agent is silent after this many seconds without a heartbeat (`EXHUNT_AGENT_SILENT_SECONDS`, default 180). */
export function silentAfterSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.EXHUNT_AGENT_SILENT_SECONDS);
  return Number.isFinite(n) && n > 0 ? n : 180;
}

/** The version of what an agent of this scope runs: our rules' version and the enabled feeds' contents. */
export async function rulesVersion(store: Store, scope: Scope): Promise<string> {
  const feeds = (await listFeeds(store, scope)).filter((f) => f.enabled);
  const key = `${toolVersion()}|${feeds.map((f) => `${f.id}:${f.sha256}`).join(',')}`;
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

const agentId = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } as const;
const server = { type: 'string', minLength: 1, maxLength: 255 } as const;
const MAX_BATCH = 5000;

export const agentRoutes: RouteDef[] = [
  route({
    method: 'POST',
    url: '/agent/findings',
    summary: "A batch of an agent's findings; a finding whose key was stored before is not stored again",
    tag: 'agents',
    role: 'analyst',
    body: {
      type: 'object',
      required: ['agentId', 'server', 'items'],
      properties: {
        agentId,
        server,
        version: { type: 'string', maxLength: 64 },
        items: {
          type: 'array',
          maxItems: MAX_BATCH,
          items: {
            type: 'object',
            required: ['key', 'source', 'family', 'seenAt', 'finding'],
            properties: {
              key: { type: 'string', minLength: 8, maxLength: 128 },
              source: { type: 'string', maxLength: 64 },
              family: { type: 'string', maxLength: 128 },
              seenAt: { type: 'string', maxLength: 40 },
              finding: {
                type: 'object',
                required: ['id', 'rule', 'severity', 'stage', 'outcome', 'sourceIps', 'evidence'],
              },
            },
          },
        },
      },
    },
    bodyLimit: (ctx) => ctx.maxReportBytes,
    response: { status: 200, description: '`{ stored, duplicates, serverId, scanId }`' },
    async handler(call) {
      const b = call.req.body as {
        agentId: string;
        server: string;
        version?: string;
        items: AgentFindingIn[];
      };
      const scope = await writeScope(call.ctx.store, call.principal, undefined);
      // The new findings read as a scan reads its own: events for the server's page, evidence for triage.
      return ingestAgentFindings(
        call.ctx.store,
        scope,
        { agentId: b.agentId, server: b.server, version: b.version ?? toolVersion(), items: b.items },
        (findings) => agentBatch(findings, new Date().toISOString()),
        call.ctx.triage,
      );
    },
  }),
  route({
    method: 'POST',
    url: '/agent/heartbeat',
    summary: "An agent's heartbeat (lag, versions, spool); answers with the rules version it should run",
    tag: 'agents',
    role: 'analyst',
    body: {
      type: 'object',
      required: ['agentId', 'server', 'version', 'rulesVersion', 'lagSeconds'],
      properties: {
        agentId,
        server,
        version: { type: 'string', maxLength: 64 },
        rulesVersion: { type: 'string', maxLength: 64 },
        indicators: { type: 'integer', minimum: 0 },
        lagSeconds: { type: 'number', minimum: 0 },
        spool: { type: 'object' },
        files: { type: 'integer', minimum: 0 },
        losses: { type: 'array', maxItems: 100 },
        problems: { type: 'array', maxItems: 100 },
      },
    },
    response: { status: 200, description: '`{ rulesVersion }`' },
    async handler(call) {
      const b = call.body;
      const scope = await writeScope(call.ctx.store, call.principal, undefined);
      await recordHeartbeat(call.ctx.store, scope, {
        agentId: b.agentId,
        server: b.server,
        version: b.version,
        rulesVersion: b.rulesVersion,
        indicators: b.indicators ?? 0,
        lagSeconds: b.lagSeconds,
        state: {
          spool: b.spool ?? null,
          files: b.files ?? 0,
          losses: b.losses ?? [],
          problems: b.problems ?? [],
        },
      });
      return { rulesVersion: await rulesVersion(call.ctx.store, { all: false, orgId: scope.orgId }) };
    },
  }),
  route({
    method: 'GET',
    url: '/agent/rules',
    summary: "The indicators an organisation's agents match (its enabled feeds, the shared ones, ours)",
    tag: 'agents',
    role: 'analyst',
    response: { status: 200, description: '`{ version, indicators }` (the indicator store, serialised)' },
    async handler(call) {
      const scope = await writeScope(call.ctx.store, call.principal, undefined);
      const s: Scope = { all: false, orgId: scope.orgId };
      const store = await call.ctx.feeds.storeFor(call.ctx.store, s, { enabledOnly: true, builtin: true });
      return { version: await rulesVersion(call.ctx.store, s), indicators: store.toJSON() };
    },
  }),
  route({
    method: 'GET',
    url: '/agents',
    summary: 'The monitoring agents: server, last contact, lag, versions; silent ones flagged',
    tag: 'agents',
    role: 'viewer',
    query: query({ org: orgParam, serverId: { type: 'integer', minimum: 1 } }),
    response: { status: 200, description: '`{ items, silentAfterSeconds }`' },
    async handler({ ctx, principal, query: q }) {
      const scope = await readScope(ctx.store, principal, q.org);
      const s = silentAfterSeconds();
      const items = await listAgents(ctx.store, scope, s, q.serverId);
      return { items, silentAfterSeconds: s };
    },
  }),
];
