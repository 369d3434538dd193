// Ingest: one scan report becomes one scan with its findings, webshells, indicators and remediation, in
// one transaction, so that a crash leaves either all of it or none.

import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { ScanReport } from '../core/report.js';
import { DEFAULT_TRIAGE } from '../core/triage.js';
import type { TriageSettings } from '../core/triage.js';
import { triageEvidence } from '../core/triage-evidence.js';
import { audit } from './audit.js';
import { logClusterChange } from './cluster-log.js';
import { escapeNul, escapeNulText } from './nul.js';
import type { Dialect, Store } from './db.js';
import { extractFeedMatches, extractIndicators, findingRow, indicatorKey, normTime } from './extract.js';
import { extractSessions } from './extract-sessions.js';
import { recordIndicators } from './indicators.js';
import { queueNotification } from './notifications.js';
import { eventRows, insertEvents } from './events.js';
import { insertFindings, upsertRemediation } from './scan-rows.js';
import { recordSessions } from './session-rows.js';
import { recordFeedSightings } from './sightings.js';
import type { OrgScope } from './scope.js';
import { recomputeTriage } from './triage.js';
import type { Exposure } from './triage.js';
import type { Tx } from './tx.js';
import { chunk, isUniqueViolation, now, withTx } from './tx.js';

/** From the report's own exposure section (schema 1.1), when the scan could read the build. */
export function exposureOf(report: ScanReport): Exposure | undefined {
  const e = report.exposure;
  if (!e) return undefined;
  const cves = (state: string) => e.cves.filter((c) => c.state === state).map((c) => c.cve);
  return { build: e.build ?? null, vulnerable: cves('vulnerable'), unknown: cves('unknown') };
}

export interface IngestInput {
  serverName: string;
  /** A report valid against schema/report.schema.json; `remediation` is read when present. */
  report: ScanReport;
  /** Overrides what the report's exposure section says (for reports older than schema 1.1). */
  exposure?: Exposure;
  /** For scans made by a worker from an uploaded bundle. */
  bundleId?: number;
  actor: string;
  /** The activity window the triage score is computed with (the server's setting; default 7 days). */
  triage?: TriageSettings;
  /** Test hook: runs inside the transaction just before it commits (see the worker crash tests). */
  beforeCommit?: () => Promise<void>;
}

export interface IngestResult {
  scanId: number;
  serverId: number;
  /** False when this report (or this bundle's result) was already stored: uploads are idempotent. */
  created: boolean;
}

export function reportSha256(report: unknown): string {
  return createHash('sha256').update(JSON.stringify(report)).digest('hex');
}

export async function ingestReport(store: Store, scope: OrgScope, raw: IngestInput): Promise<IngestResult> {
  // Evidence text may hold NUL, which PostgreSQL's text refuses: escaped alike on both databases (nul.ts).
  const input = { ...raw, report: escapeNul(raw.report), serverName: escapeNulText(raw.serverName) };
  const sha = reportSha256(input.report);
  try {
    return await withTx(store, (trx) => ingestIn(trx, store.dialect, scope.orgId, sha, input));
  } catch (e) {
    // A concurrent upload of the same report (or a second run of the same job) committed first.
    if (!isUniqueViolation(e)) throw e;
    const existing = await findExisting(store.db, scope.orgId, input.serverName, sha, input.bundleId);
    if (!existing) throw e;
    return existing;
  }
}

async function findExisting(
  db: Store['db'] | Tx,
  orgId: number,
  serverName: string,
  sha: string,
  bundleId: number | undefined,
): Promise<IngestResult | undefined> {
  const row = await db
    .selectFrom('scans as s')
    .innerJoin('servers as v', 'v.id', 's.server_id')
    .select(['s.id', 's.server_id'])
    .where('s.org_id', '=', orgId)
    .where((eb) =>
      bundleId !== undefined
        ? eb('s.bundle_id', '=', bundleId)
        : eb.and([eb('v.name', '=', serverName), eb('s.report_sha256', '=', sha)]),
    )
    .executeTakeFirst();
  return row && { scanId: row.id, serverId: row.server_id, created: false };
}

async function ingestIn(
  trx: Tx,
  dialect: Dialect,
  orgId: number,
  sha: string,
  input: IngestInput,
): Promise<IngestResult> {
  const { report } = input;
  // One statement for the server's id whether it is new or not; it also locks the row, so that two reports
  // of one server are ingested one after the other.
  const serverId = (
    await trx
      .insertInto('servers')
      .values({ org_id: orgId, name: input.serverName, created_at: now() })
      .onConflict((oc) => oc.columns(['org_id', 'name']).doUpdateSet({ name: sql<string>`excluded.name` }))
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const startedAt = normTime(report.scan.startedAt) ?? now();
  const finishedAt = normTime(report.scan.finishedAt) ?? startedAt;
  const { findings, ...meta } = report;
  const exposure = input.exposure ?? exposureOf(report);
  const scan = await trx
    .insertInto('scans')
    .values({
      org_id: orgId,
      server_id: serverId,
      bundle_id: input.bundleId ?? null,
      report_sha256: sha,
      verdict: report.verdict,
      explanation: report.explanation,
      started_at: startedAt,
      finished_at: finishedAt,
      created_at: now(),
      tool_version: report.tool.version,
      findings_count: findings.length,
      meta: JSON.stringify(meta),
    })
    // The same report (or the same bundle's result) already stored: a concurrent twin waits for the first
    // to commit and then inserts nothing.
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!scan) {
    const existing = await findExisting(trx, orgId, input.serverName, sha, input.bundleId);
    if (!existing) throw new Error('scan conflicts with one that cannot be found');
    return existing;
  }
  const ids = { org_id: orgId, server_id: serverId, scan_id: scan.id };
  await insertFindings(
    trx,
    dialect,
    ids,
    findings.map((f) => findingRow(f, startedAt)),
  );
  for (const part of chunk(report.webshells, 7))
    await trx
      .insertInto('webshells')
      .values(
        part.map((w) => ({ ...ids, path: w.path, sha256: w.sha256, size: w.size, data: JSON.stringify(w) })),
      )
      .execute();
  await insertEvents(trx, eventRows(ids, report.events));
  await upsertRemediation(trx, ids, report.remediation);
  // Rows of this server only (locked above), so nothing shared is held: before the shared indicator rows.
  await recordFeedSightings(trx, orgId, serverId, extractFeedMatches(report));
  // What triage reads of the latest scan, kept so that a recompute never has to read a report again.
  const evidence = triageEvidence(
    report,
    exposure && { build: exposure.build, vulnerable: exposure.vulnerable },
  );
  const before = await trx
    .selectFrom('servers')
    .select(['latest_verdict', 'latest_at'])
    .where('id', '=', serverId)
    .executeTakeFirst();
  await trx
    .updateTable('servers')
    .set({
      latest_scan_id: scan.id,
      latest_verdict: report.verdict,
      latest_at: finishedAt,
      triage_evidence: JSON.stringify({ ...evidence, scannedAt: finishedAt }),
      ...(exposure ? { build: exposure.build, exposure: JSON.stringify(exposure) } : {}),
    })
    .where('id', '=', serverId)
    .where((eb) => eb.or([eb('latest_at', 'is', null), eb('latest_at', '<=', finishedAt)]))
    .execute();
  // Even an older report changes the score: its remediation steps may be new.
  await recomputeTriage(trx, [serverId], input.triage ?? DEFAULT_TRIAGE, now());
  if (input.bundleId !== undefined)
    await trx
      .updateTable('bundles')
      .set({ status: 'done', scan_id: scan.id, error: null })
      .where('id', '=', input.bundleId)
      .where('org_id', '=', orgId)
      .execute();
  await audit(trx, {
    orgId,
    actor: input.actor,
    action: 'scan.create',
    target: `scan:${scan.id}`,
    detail: {
      server: input.serverName,
      verdict: report.verdict,
      findings: findings.length,
      ...(input.bundleId !== undefined ? { bundle: input.bundleId } : {}),
    },
  });
  await notifyVerdict(trx, orgId, serverId, input.serverName, scan.id, report, finishedAt, before);
  // Last, because it updates indicator rows that every tenant's ingest shares: their locks are held briefly.
  const uses = extractIndicators(report);
  const idOf = await recordIndicators(trx, orgId, serverId, uses);
  // The sessions that link indicators into attacker clusters: rows of this server only.
  const known = new Set(uses.map((u) => indicatorKey(u.kind, u.value)));
  await recordSessions(trx, orgId, serverId, extractSessions(report, known), idOf);
  // The very last statement: the clustering's log entry, numbered in commit order (see cluster-log.ts).
  if (idOf.size > 0) await logClusterChange(trx, orgId, serverId, idOf.values());
  await input.beforeCommit?.();
  return { scanId: scan.id, serverId, created: true };
}

const ALARM: Record<string, number> = { exploited: 1, compromised: 2 };

/**
 * A server whose latest verdict becomes `exploited` or `compromised` (from anything less, or as its first
 * scan) is news: queued for the organisation's channels in this transaction, so it is never lost. An older
 * report uploaded late, or the same verdict again, is not.
 */
async function notifyVerdict(
  trx: Tx,
  orgId: number,
  serverId: number,
  serverName: string,
  scanId: number,
  report: ScanReport,
  finishedAt: string,
  before: { latest_verdict: string | null; latest_at: string | null } | undefined,
): Promise<void> {
  const rank = ALARM[report.verdict];
  if (rank === undefined) return;
  if (before?.latest_at && before.latest_at > finishedAt) return;
  if ((ALARM[before?.latest_verdict ?? ''] ?? 0) >= rank) return;
  await queueNotification(
    trx,
    orgId,
    report.verdict === 'compromised' ? 'server.compromised' : 'server.exploited',
    {
      server: { id: serverId, name: serverName },
      scan: { id: scanId, finishedAt },
      verdict: report.verdict,
      previousVerdict: before?.latest_verdict ?? null,
      explanation: report.explanation,
    },
  );
}
