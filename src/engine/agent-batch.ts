// What a batch of a monitoring agent's findings adds to its server, computed as a scan computes it from its
// findings (the events section, webshells, sessions, what was exposed, the triage evidence), so the server page's
// Events tab, the triage score and the campaign clustering count an agent's findings as they count a scan's. The
// fleet server calls it on the findings a batch newly stored; the store merges the result into what the agent's
// scan already holds.

import type { Finding } from '../core/finding.js';
import type { EventsSection, ScanReport } from '../core/report.js';
import { REPORT_SCHEMA_VERSION } from '../core/report.js';
import type { TriageEvidence } from '../core/triage.js';
import { triageEvidence } from '../core/triage-evidence.js';
import { buildIncident } from '../analysis/incident.js';
import { collectWebshells } from '../analysis/webshells.js';
import { toolVersion } from './version.js';

export interface AgentBatchResult {
  events: EventsSection;
  /** Triage's reading of the batch alone (its verdict is the batch's strongest outcome); merged by the store. */
  triage: TriageEvidence;
  /** The batch read as a report (findings, webshells, sessions): the store takes its indicators and sessions. */
  report: ScanReport;
}

const VERDICT: Record<string, ScanReport['verdict']> = {
  compromise: 'compromised',
  success: 'exploited',
  attempt: 'attempted',
  probe: 'attempted',
};
const RANK: Record<string, number> = { clean: 0, attempted: 1, exploited: 2, compromised: 3 };

/**
 * The batch's findings read as a report of their own (the agent has no artifact list: files are named by the
 * findings' evidence). Pure apart from the clock; the findings are copied, never changed.
 */
export function agentBatch(input: readonly Finding[], at: string): AgentBatchResult {
  const findings = structuredClone([...input]).sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
  let verdict: ScanReport['verdict'] = 'clean';
  for (const f of findings) {
    const v = VERDICT[f.outcome];
    if (v && RANK[v]! > RANK[verdict]!) verdict = v;
  }
  const report: ScanReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'exhunt', version: toolVersion() },
    scan: {
      startedAt: at,
      finishedAt: at,
      evidence: { root: 'exhunt watch', kind: 'folder' },
      layout: 'system-drive',
    },
    verdict,
    explanation: '',
    decisive: [],
    findings,
    webshells: [],
    artifacts: [],
    coverage: [],
    problems: [],
    rules: { loaded: 0, skipped: [], notApplicable: 0, detectors: 0 },
    stats: { artifacts: 0, bytes: 0, records: 0, badRecords: 0, problems: 0 },
  };
  report.webshells = collectWebshells(report.findings, []);
  const incident = buildIncident(report);
  report.dataExposure = incident.dataExposure;
  report.sessions = incident.sessions;
  const triage = triageEvidence(report);
  // The agent cannot clear a server: a batch with no attack says nothing of the verdict.
  return {
    events: incident.events,
    triage: { ...triage, verdict: verdict === 'clean' ? null : verdict },
    report,
  };
}
