// Monitoring agents on the fleet: findings they send (stored once per idempotency key, under one scan row
// per agent so the server page, findings list, verdict notifications, stored indicators and campaigns show
// them), their heartbeats, and the `agent.silent` notification when one stops reporting.

import { sql } from 'kysely';
import type { Finding } from '../core/finding.js';
import type { EventsSection, ScanReport } from '../core/report.js';
import { REPORT_SCHEMA_VERSION, VERDICT_RANK } from '../core/report.js';
import type { TriageEvidence, TriageSettings } from '../core/triage.js';
import { DEFAULT_TRIAGE } from '../core/triage.js';
import { addTriageEvidence } from '../core/triage-evidence.js';
import { appendAgentEvents } from './agent-events.js';
import { logClusterChange } from './cluster-log.js';
import type { Store } from './db.js';
import { extractIndicators, findingRow, indicatorKey } from './extract.js';
import { extractSessions } from './extract-sessions.js';
import { recordIndicators } from './indicators.js';
import { queueNotification } from './notifications.js';
import { escapeNul, escapeNulText } from './nul.js';
import { insertFindings } from './scan-rows.js';
import { recordSessions } from './session-rows.js';
import type { OrgScope, Scope } from './scope.js';
import { orgFilter } from './scope.js';
import { EMPTY_TRIAGE_EVIDENCE, recomputeTriage } from './triage.js';
import type { Tx } from './tx.js';
import { chunk, now, withTx } from './tx.js';
import type { AgentView } from '../core/views.js';
export type { AgentView } from '../core/views.js';

export interface AgentFindingIn {
  key: string;
  source: string;
  family: string;
  seenAt: string;
  finding: Finding;
}

export interface AgentHeartbeat {
  agentId: string;
  server: string;
  version: string;
  rulesVersion: string;
  indicators: number;
  lagSeconds: number;
  state: Record<string, unknown>;
}

/** What the agent's findings make of a server: never `clean` (watching what is written cannot clear it). */
const RANK: Readonly<Record<string, number>> = VERDICT_RANK;

function verdictOf(outcomes: Iterable<string>): 'attempted' | 'exploited' | 'compromised' | 'inconclusive' {
  let v: 'attempted' | 'exploited' | 'compromised' | 'inconclusive' = 'inconclusive';
  for (const o of outcomes) {
    const w =
      o === 'compromise'
        ? 'compromised'
        : o === 'success'
          ? 'exploited'
          : o === 'attempt' || o === 'probe'
            ? 'attempted'
            : undefined;
    if (w && RANK[w]! > RANK[v]!) v = w;
  }
  return v;
}

async function serverIdOf(trx: Tx, orgId: number, name: string): Promise<number> {
  return (
    await trx
      .insertInto('servers')
      .values({ org_id: orgId, name, created_at: now() })
      .onConflict((oc) => oc.columns(['org_id', 'name']).doUpdateSet({ name: sql<string>`excluded.name` }))
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

/** The report fields a scan row keeps beside its findings, for the scan an agent's findings belong to. */
export function agentScanMeta(server: string, agentId: string, version: string, at: string, verdict: string) {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'exhunt' as const, version },
    scan: {
      startedAt: at,
      finishedAt: at,
      evidence: { root: `exhunt watch on ${server} (agent ${agentId})`, kind: 'folder' as const },
      layout: 'system-drive' as const,
    },
    verdict,
    explanation: agentExplanation(verdict),
    decisive: [],
    webshells: [],
    artifacts: [],
    coverage: [],
    problems: [],
    rules: { loaded: 0, skipped: [], notApplicable: 0, detectors: 0 },
    stats: { artifacts: 0, bytes: 0, records: 0, badRecords: 0, problems: 0 },
  };
}

function agentExplanation(verdict: string): string {
  return verdict === 'inconclusive'
    ? 'Findings of the monitoring agent (exhunt watch) as they were written; none shows an attack. The agent sees what is written while it runs: it cannot clear a server, a scan can.'
    : `Findings of the monitoring agent (exhunt watch) as they were written: ${verdict}. A lower bound: the agent sees only what is written while it runs.`;
}

async function agentScan(
  trx: Tx,
  orgId: number,
  serverId: number,
  server: string,
  agentId: string,
  version: string,
): Promise<number> {
  const sha = `agent:${agentId}`;
  const at = now();
  await trx
    .insertInto('scans')
    .values({
      org_id: orgId,
      server_id: serverId,
      bundle_id: null,
      report_sha256: sha,
      verdict: 'inconclusive',
      explanation: agentExplanation('inconclusive'),
      started_at: at,
      finished_at: at,
      created_at: at,
      tool_version: version,
      findings_count: 0,
      meta: JSON.stringify(agentScanMeta(server, agentId, version, at, 'inconclusive')),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await trx
    .selectFrom('scans')
    .select('id')
    .where('server_id', '=', serverId)
    .where('report_sha256', '=', sha)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** What a scan would make of a batch's findings (engine/agent-batch.ts): the caller computes it, the store keeps it. */
export interface AgentBatchDerived {
  events: EventsSection;
  triage: TriageEvidence;
  /** The batch read as a report (its webshells and sessions): its indicators and sessions are stored from it. */
  report?: ScanReport;
}

/**
 * Stores the findings whose keys are new for the organisation, in one transaction with their keys, so a
 * batch sent again (the agent did not see the answer) stores nothing twice. A verdict they raise is the
 * server's new verdict, told to the organisation's channels as a scan's would be; `derive` (given the new
 * findings) gives their events, added to the agent's scan, and their triage evidence, added to the server's.
 */
export async function ingestAgentFindings(
  store: Store,
  scope: OrgScope,
  raw: { agentId: string; server: string; version: string; items: AgentFindingIn[] },
  derive?: (findings: Finding[]) => AgentBatchDerived,
  triage: TriageSettings = DEFAULT_TRIAGE,
): Promise<{ stored: number; duplicates: number; serverId: number; scanId: number }> {
  const orgId = scope.orgId;
  // Attacker text may hold NUL, which PostgreSQL's text refuses: escaped as ingest escapes a report's.
  const input = { ...raw, server: escapeNulText(raw.server), items: escapeNul(raw.items) };
  const unique = [...new Map(input.items.map((i) => [i.key, i])).values()];
  return withTx(store, async (trx) => {
    const serverId = await serverIdOf(trx, orgId, input.server);
    const scanId = await agentScan(trx, orgId, serverId, input.server, input.agentId, input.version);
    const at = now();
    const fresh = new Set<string>();
    for (const part of chunk(unique, 6)) {
      const rows = await trx
        .insertInto('agent_findings')
        .values(
          part.map((i) => ({
            org_id: orgId,
            dedup_key: i.key,
            server_id: serverId,
            agent_id: input.agentId,
            seen_at: i.seenAt,
            received_at: at,
          })),
        )
        .onConflict((oc) => oc.columns(['org_id', 'dedup_key']).doNothing())
        .returning('dedup_key')
        .execute();
      for (const r of rows) fresh.add(r.dedup_key);
    }
    const stored = unique.filter((i) => fresh.has(i.key));
    const ids = { org_id: orgId, server_id: serverId, scan_id: scanId };
    await insertFindings(
      trx,
      store.dialect,
      ids,
      stored.map((i) => findingRow(i.finding, at)),
    );
    // Triage first: a server's evidence not kept yet is read from its latest scan before this batch's is added.
    const d = stored.length > 0 ? derive?.(stored.map((i) => i.finding)) : undefined;
    if (d) {
      await appendAgentEvents(trx, ids, d.events);
      await addToTriage(trx, serverId, d.triage, triage, at);
    }
    if (stored.length > 0) {
      await raiseVerdict(trx, orgId, serverId, scanId, input, stored, at);
      const batch = d?.report ?? batchReport(input, stored, at);
      await recordBatchIndicators(trx, orgId, serverId, scanId, batch);
    }
    return { stored: stored.length, duplicates: input.items.length - stored.length, serverId, scanId };
  });
}

/** The new findings alone as a report, when the caller derived none (its sessions: one per address). */
function batchReport(
  input: { agentId: string; server: string; version: string },
  stored: AgentFindingIn[],
  at: string,
): ScanReport {
  const meta = agentScanMeta(input.server, input.agentId, input.version, at, 'inconclusive');
  return { ...meta, verdict: 'inconclusive', findings: stored.map((i) => i.finding) };
}

/**
 * The batch's indicators and sessions, stored against the agent's server as an upload's are, and the
 * clustering's log entry as the transaction's last statement (cluster-log.ts), so the campaigns and their
 * notifications count an agent's findings as a scan's. Only newly stored findings get here: a batch sent
 * again adds nothing. The agent's scan counts once towards an indicator's or session's counts, as an uploaded
 * scan does, however many of its batches name it (migration 15 keeps what it counted).
 */
async function recordBatchIndicators(
  trx: Tx,
  orgId: number,
  serverId: number,
  scanId: number,
  batch: ScanReport,
): Promise<void> {
  const uses = extractIndicators(batch);
  const idOf = await recordIndicators(trx, orgId, serverId, uses, async (ids) => {
    const again = await countedBefore(trx, scanId, 'indicator', ids.map(String));
    return new Set([...again].map(Number));
  });
  const known = new Set(uses.map((u) => indicatorKey(u.kind, u.value)));
  const sessions = extractSessions(batch, known);
  await recordSessions(trx, orgId, serverId, sessions, idOf, (keys) =>
    countedBefore(trx, scanId, 'session', keys),
  );
  if (idOf.size > 0) await logClusterChange(trx, orgId, serverId, idOf.values());
}

/** Of these keys, those the agent's scan counted in an earlier batch; the others are marked counted now. */
async function countedBefore(
  trx: Tx,
  scanId: number,
  kind: 'indicator' | 'session',
  keys: string[],
): Promise<Set<string>> {
  const fresh = new Set<string>();
  for (const part of chunk([...new Set(keys)], 3)) {
    const rows = await trx
      .insertInto('agent_scan_counted')
      .values(part.map((key) => ({ scan_id: scanId, kind, key })))
      .onConflict((oc) => oc.columns(['scan_id', 'kind', 'key']).doNothing())
      .returning('key')
      .execute();
    for (const r of rows) fresh.add(r.key);
  }
  return new Set(keys.filter((k) => !fresh.has(k)));
}

async function raiseVerdict(
  trx: Tx,
  orgId: number,
  serverId: number,
  scanId: number,
  input: { agentId: string; server: string; version: string },
  stored: AgentFindingIn[],
  at: string,
): Promise<void> {
  const scan = await trx
    .selectFrom('scans')
    .select(['verdict', 'findings_count'])
    .where('id', '=', scanId)
    .executeTakeFirstOrThrow();
  const found = verdictOf(stored.map((i) => i.finding.outcome));
  const verdict = RANK[found]! > RANK[scan.verdict]! ? found : scan.verdict;
  await trx
    .updateTable('scans')
    .set({
      verdict,
      explanation: agentExplanation(verdict),
      finished_at: at,
      findings_count: scan.findings_count + stored.length,
      meta: JSON.stringify(agentScanMeta(input.server, input.agentId, input.version, at, verdict)),
    })
    .where('id', '=', scanId)
    .execute();
  const server = await trx
    .selectFrom('servers')
    .select(['latest_verdict'])
    .where('id', '=', serverId)
    .executeTakeFirstOrThrow();
  const before = server.latest_verdict;
  // Only an attack the server's verdict did not already show changes it (and is news).
  if (RANK[verdict]! <= 1 || RANK[verdict]! <= (RANK[before ?? ''] ?? -1)) return;
  await trx
    .updateTable('servers')
    .set({ latest_scan_id: scanId, latest_verdict: verdict, latest_at: at })
    .where('id', '=', serverId)
    .execute();
  if (verdict === 'compromised' || verdict === 'exploited')
    await queueNotification(
      trx,
      orgId,
      verdict === 'compromised' ? 'server.compromised' : 'server.exploited',
      {
        server: { id: serverId, name: input.server },
        scan: { id: scanId, finishedAt: at },
        verdict,
        previousVerdict: before ?? null,
        explanation: agentExplanation(verdict),
        agent: input.agentId,
      },
    );
}

/** The batch's triage evidence added to the server's kept evidence, and the score computed again. */
async function addToTriage(
  trx: Tx,
  serverId: number,
  add: TriageEvidence,
  settings: TriageSettings,
  at: string,
): Promise<void> {
  const read = () =>
    trx.selectFrom('servers').select('triage_evidence').where('id', '=', serverId).executeTakeFirstOrThrow();
  let row = await read();
  // A server scanned before scores were kept: its scan's evidence is read (and kept) first.
  if (!row.triage_evidence) {
    await recomputeTriage(trx, [serverId], settings, at);
    row = await read();
  }
  const base = row.triage_evidence
    ? (JSON.parse(row.triage_evidence) as TriageEvidence)
    : EMPTY_TRIAGE_EVIDENCE;
  await trx
    .updateTable('servers')
    .set({ triage_evidence: JSON.stringify(addTriageEvidence(base, add)) })
    .where('id', '=', serverId)
    .execute();
  await recomputeTriage(trx, [serverId], settings, at);
}

/** Records a heartbeat: the agent's row (created on its first), its lag and versions; ends a silence. */
export async function recordHeartbeat(store: Store, scope: OrgScope, h: AgentHeartbeat): Promise<void> {
  await withTx(store, async (trx) => {
    const serverId = await serverIdOf(trx, scope.orgId, h.server);
    const at = now();
    const values = {
      server_id: serverId,
      server_name: h.server,
      version: h.version,
      rules_version: h.rulesVersion,
      indicators: h.indicators,
      last_contact: at,
      lag_seconds: Math.max(0, Math.round(h.lagSeconds)),
      state: JSON.stringify(h.state),
      silent_notified_at: null,
    };
    await trx
      .insertInto('agents')
      .values({ org_id: scope.orgId, agent_id: h.agentId, scan_id: null, created_at: at, ...values })
      .onConflict((oc) => oc.columns(['org_id', 'agent_id']).doUpdateSet(values))
      .execute();
  });
}

export async function listAgents(
  store: Store,
  scope: Scope,
  silentAfterSeconds: number,
  serverId?: number,
): Promise<AgentView[]> {
  const org = orgFilter(scope);
  let q = store.db
    .selectFrom('agents as a')
    .leftJoin('scans as s', (j) =>
      j
        .onRef('s.server_id', '=', 'a.server_id')
        .on('s.report_sha256', '=', sql<string>`'agent:' || a.agent_id`),
    )
    .select([
      'a.id',
      'a.agent_id',
      'a.org_id',
      'a.server_id',
      'a.server_name',
      's.id as scan_id',
      'a.version',
      'a.rules_version',
      'a.indicators',
      'a.last_contact',
      'a.lag_seconds',
      'a.state',
    ])
    .orderBy('a.server_name')
    .orderBy('a.id');
  if (org !== undefined) q = q.where('a.org_id', '=', org);
  if (serverId !== undefined) q = q.where('a.server_id', '=', serverId);
  const cutoff = new Date(Date.now() - silentAfterSeconds * 1000).toISOString();
  return (await q.execute()).map((r) => ({
    id: Number(r.id),
    agentId: r.agent_id,
    organisationId: Number(r.org_id),
    serverId: Number(r.server_id),
    serverName: r.server_name,
    scanId: r.scan_id === null ? null : Number(r.scan_id),
    version: r.version,
    rulesVersion: r.rules_version,
    indicators: r.indicators,
    lastContact: r.last_contact,
    lagSeconds: r.lag_seconds,
    state: JSON.parse(r.state) as Record<string, unknown>,
    silent: r.last_contact < cutoff,
  }));
}

/**
 * Queues `agent.silent` once per silence for every agent whose last heartbeat is older than the threshold
 * (stopping the watcher is often an intruder's first move). Safe to run from several server processes: the
 * row is claimed by the update that marks it.
 */
export async function queueSilentAgents(
  store: Store,
  silentAfterSeconds: number,
  at = new Date(),
): Promise<number> {
  const cutoff = new Date(at.getTime() - silentAfterSeconds * 1000).toISOString();
  const rows = await store.db
    .selectFrom('agents')
    .select(['id', 'org_id', 'agent_id', 'server_id', 'server_name', 'last_contact'])
    .where('last_contact', '<', cutoff)
    .where('silent_notified_at', 'is', null)
    .execute();
  let n = 0;
  for (const r of rows)
    await withTx(store, async (trx) => {
      const claimed = await trx
        .updateTable('agents')
        .set({ silent_notified_at: at.toISOString() })
        .where('id', '=', r.id)
        .where('silent_notified_at', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) return;
      n++;
      await queueNotification(trx, Number(r.org_id), 'agent.silent', {
        server: { id: Number(r.server_id), name: r.server_name },
        agent: r.agent_id,
        lastContact: r.last_contact,
        silentAfterSeconds,
      });
    });
  return n;
}
