// Each server's triage score, kept on its row: computed at ingest and when its remediation steps change, and
// again when a clock-dependent reason expires (`triage_until`) or the activity window changes, so that the
// fleet in triage order is one index scan whatever its size.

import type { Finding } from '../core/finding.js';
import type { ScanReport } from '../core/report.js';
import { DEFAULT_TRIAGE, scoreTriage } from '../core/triage.js';
import type { TriageEvidence, TriageReason, TriageSettings } from '../core/triage.js';
import { triageEvidence } from '../core/triage-evidence.js';
import { sql } from 'kysely';
import type { Store } from './db.js';
import type { Db, Tx } from './tx.js';
import { withTx } from './tx.js';
import type { Exposure, TriageView } from '../core/views.js';
export type { Exposure, TriageView } from '../core/views.js';

export { DEFAULT_TRIAGE };
export type { TriageSettings };

export function triageView(r: {
  triage_score: number;
  triage_reasons: string;
  triage_activity: string;
}): TriageView {
  return {
    score: Number(r.triage_score),
    reasons: JSON.parse(r.triage_reasons) as TriageReason[],
    lastActivity: r.triage_activity || null,
  };
}

/** Servers recomputed per transaction when many are due at once (a window change, a day's expiries). */
const BATCH = 500;

/** A server with no scan read for triage yet. */
export const EMPTY_TRIAGE_EVIDENCE: TriageEvidence = {
  verdict: null,
  scannedAt: null,
  webshells: { count: 0, paths: [] },
  credentials: { count: 0, targets: [] },
  data: { mailboxes: 0, exports: 0, addressBook: 0, targets: [] },
  lastActivity: null,
  openCves: [],
  mitigatedCves: [],
  build: null,
};

/** The evidence of a stored scan, for servers ingested before scores were kept (read once, then kept). */
async function evidenceOfScan(db: Db | Tx, scanId: number, exposure: string | null): Promise<TriageEvidence> {
  const scan = await db.selectFrom('scans').select('meta').where('id', '=', scanId).executeTakeFirst();
  if (!scan) return EMPTY_TRIAGE_EVIDENCE;
  const rows = await db.selectFrom('findings').select('data').where('scan_id', '=', scanId).execute();
  const report = {
    ...(JSON.parse(scan.meta) as Omit<ScanReport, 'findings'>),
    findings: rows.map((r) => JSON.parse(r.data) as Finding),
  };
  const e = exposure ? (JSON.parse(exposure) as Exposure) : undefined;
  return triageEvidence(report, e && { build: e.build, vulnerable: e.vulnerable });
}

/**
 * Scores these servers again from their kept evidence and their open remediation steps, in the caller's
 * transaction (ingest and status changes call it in theirs, so the score commits with its cause).
 */
export async function recomputeTriage(
  db: Db | Tx,
  serverIds: number[],
  settings: TriageSettings,
  now: string,
): Promise<void> {
  if (serverIds.length === 0) return;
  const rows = await db
    .selectFrom('servers')
    .select(['id', 'triage_evidence', 'latest_scan_id', 'exposure'])
    .where('id', 'in', serverIds)
    .execute();
  const steps = await db
    .selectFrom('remediation_items')
    .select(['server_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('server_id', 'in', serverIds)
    .where('status', 'in', ['open', 'in-progress'])
    .groupBy('server_id')
    .execute();
  const open = new Map(steps.map((s) => [s.server_id, Number(s.n)]));
  const scored: { id: number; score: number; reasons: string; activity: string; until: string | null }[] = [];
  for (const r of rows) {
    let evidence: TriageEvidence;
    if (r.triage_evidence) evidence = JSON.parse(r.triage_evidence) as TriageEvidence;
    else if (r.latest_scan_id !== null) evidence = await evidenceOfScan(db, r.latest_scan_id, r.exposure);
    else evidence = EMPTY_TRIAGE_EVIDENCE;
    const t = scoreTriage({ ...evidence, openSteps: open.get(r.id) ?? 0 }, settings, now);
    const row = { id: r.id, score: t.score, reasons: JSON.stringify(t.reasons), activity: t.lastActivity ?? '', until: t.until }; // prettier-ignore
    // Written only when read from the scan just now: the kept evidence does not change between scans.
    if (!r.triage_evidence)
      await db
        .updateTable('servers')
        .set({ ...columns(row, settings), triage_evidence: JSON.stringify(evidence) })
        .where('id', '=', r.id)
        .execute();
    else scored.push(row);
  }
  // The rest in statements of UPDATE_ROWS rows each (one CASE per column): one statement per row made a
  // full re-score of 100,000 servers take about a minute on PostgreSQL.
  for (let i = 0; i < scored.length; i += UPDATE_ROWS) {
    const part = scored.slice(i, i + UPDATE_ROWS);
    // Typed with CAST so that PostgreSQL does not read the parameters as text for an integer column.
    const pick = (k: 'score' | 'reasons' | 'activity' | 'until', type: 'integer' | 'text') =>
      sql<never>`CASE id ${sql.join(
        part.map((r) => sql`WHEN ${r.id} THEN CAST(${r[k]} AS ${sql.raw(type)})`),
        sql` `,
      )} END`;
    await db
      .updateTable('servers')
      .set({
        triage_score: pick('score', 'integer'),
        triage_reasons: pick('reasons', 'text'),
        triage_activity: pick('activity', 'text'),
        triage_until: pick('until', 'text'),
        triage_days: settings.activeDays,
      })
      .where(
        'id',
        'in',
        part.map((r) => r.id),
      )
      .execute();
  }
}

/** The scored columns of one row. */
function columns(
  r: { score: number; reasons: string; activity: string; until: string | null },
  settings: TriageSettings,
) {
  return {
    triage_score: r.score,
    triage_reasons: r.reasons,
    triage_activity: r.activity,
    triage_until: r.until,
    triage_days: settings.activeDays,
  };
}

/** Rows per UPDATE: five parameters a row stays far under SQLite's and PostgreSQL's limits. */
const UPDATE_ROWS = 200;

/**
 * Recomputes the servers whose score is due: a clock-dependent reason has changed since (`triage_until` has
 * passed; '' means at once) or another activity window computed it. Each condition is an index range, so a
 * read with nothing due costs one short index probe. Returns how many servers were scored.
 */
export async function refreshTriage(
  store: Store,
  settings: TriageSettings = DEFAULT_TRIAGE,
  now: string = new Date().toISOString(),
): Promise<number> {
  let done = 0;
  const seen = new Set<number>();
  for (;;) {
    // One query per condition, each a range of its own index: OR-ed in one query with an ORDER BY, both
    // databases chose to walk every row instead.
    const due = (
      await Promise.all([
        store.db.selectFrom('servers').select('id').where('triage_until', '<=', now).limit(BATCH).execute(),
        store.db
          .selectFrom('servers')
          .select('id')
          .where('triage_days', '<', settings.activeDays)
          .limit(BATCH)
          .execute(),
        store.db
          .selectFrom('servers')
          .select('id')
          .where('triage_days', '>', settings.activeDays)
          .limit(BATCH)
          .execute(),
      ])
    ).flat();
    // A row that stays due after its recompute (a clock far behind the data) is not looped on.
    const ids = [...new Set(due.map((d) => d.id))].filter((id) => !seen.has(id));
    if (ids.length === 0) return done;
    for (const id of ids) seen.add(id);
    await withTx(store, (trx) => recomputeTriage(trx, ids, settings, now));
    done += ids.length;
  }
}
