// Assembling the report from every artifact's results: findings merged and ordered, analysis rules, integrity, verdict.

import type { Artifact } from '../core/artifact.js';
import type { Finding } from '../core/finding.js';
import type { Problem } from '../core/problem.js';
import type { ExposureReport, IntegritySection, ScanReport } from '../core/report.js';
import { REPORT_SCHEMA_VERSION } from '../core/report.js';
import type { Evidence, NoatimeMode } from '../evidence/index.js';
import { worseNoatime } from '../evidence/index.js';
import { coverageOf } from '../analysis/coverage.js';
import { copyRank, mergeDuplicates } from '../analysis/duplicates.js';
import { integrityOf } from '../analysis/integrity.js';
import type { InternalScannerOptions } from '../analysis/internal-scanners.js';
import { runPasses } from '../analysis/passes/index.js';
import { decideVerdict } from '../analysis/verdict.js';
import { collectWebshells } from '../analysis/webshells.js';
import type { Task } from './discover.js';
import type { ArtifactResult } from './read-artifact.js';
import { familyOfUnread } from './relevance.js';
import { toolVersion } from './version.js';

/** Whether reading left access times alone: the worst of this thread's reads and every worker's. */
export function accessOf(ev: Evidence, results: readonly ArtifactResult[]): IntegritySection['access'] {
  let mode: NoatimeMode = ev.readMode().noatime;
  for (const r of results) if (r.noatime) mode = worseNoatime(mode, r.noatime);
  return {
    noatime: mode,
    note:
      ACCESS_NOTE[mode] + (ev.kind === 'zip' ? ' (the bundle file; its entries have no access times)' : ''),
  };
}

const ACCESS_NOTE: Record<NoatimeMode, string> = {
  used: 'every file was opened with O_NOATIME: access times were left unchanged',
  'not-permitted':
    'some files could not be opened with O_NOATIME (it needs their owner or root): their access times may have changed',
  'not-supported': 'this platform has no O_NOATIME: access times may have changed',
  'not-applicable': 'no access time applies',
};

interface Ledger {
  skipped: IntegritySection['skipped'];
  listed: { files: number; bytes: number };
  access: IntegritySection['access'];
  /** How close each file is to an original log, for findings of one event read from several files. */
  rank: (path: string) => number;
}

export function rankOf(tasks: readonly Task[]): (path: string) => number {
  const ranks = new Map(
    tasks.map((t) => [
      t.file.path,
      copyRank({ path: t.file.path, family: t.family, ...(t.reader ? { reader: t.reader } : {}) }),
    ]),
  );
  return (path) => ranks.get(path) ?? 0;
}

export interface Meta {
  startedAt: string;
  root: string;
  kind: 'folder' | 'zip';
  layout: 'system-drive' | 'collected';
  installPath?: string;
  host?: { name: string; from: string };
}

export function assemble(
  results: ArtifactResult[],
  problems: Problem[],
  extraArtifacts: Artifact[],
  exposure: ExposureReport | undefined,
  extraFindings: Finding[],
  internal: InternalScannerOptions,
  meta: Meta,
  ledger: Ledger,
): ScanReport {
  const artifacts: Artifact[] = [...results.map((r) => r.artifact), ...extraArtifacts].sort((a, b) =>
    a.path.localeCompare(b.path),
  );
  // An event in an original log and in an export or Test-ProxyLogon's copy of it is one finding.
  const findings: Finding[] = mergeDuplicates(
    [...results.flatMap((r) => r.findings), ...extraFindings],
    ledger.rank,
  );
  for (const r of results) problems.push(...r.problems);
  findings.sort(
    (a, b) =>
      (a.time ?? '').localeCompare(b.time ?? '') ||
      (a.evidence[0]?.path ?? '').localeCompare(b.evidence[0]?.path ?? '') ||
      (a.evidence[0]?.line ?? 0) - (b.evidence[0]?.line ?? 0),
  );
  // The analysis passes (src/analysis/passes/): each returns adjustments, which are applied and recorded on
  // the findings they change, in the documented order.
  runPasses(findings, { artifacts, internal, ...(exposure ? { exposure } : {}) });
  const webshells = collectWebshells(findings, artifacts);
  const coverage = coverageOf(artifacts);
  const integrity = integrityOf({
    artifacts,
    problems,
    familyOf: (p) => familyOfUnread(p, meta.layout),
    skipped: ledger.skipped,
    listed: ledger.listed,
    access: ledger.access,
    ...(exposure ? { exposure } : {}),
  });
  const v = decideVerdict(findings, coverage, exposure, integrity);
  problems.sort((a, b) => (a.path ?? '').localeCompare(b.path ?? '') || (a.line ?? 0) - (b.line ?? 0));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'exhunt', version: toolVersion() },
    scan: {
      startedAt: meta.startedAt,
      finishedAt: new Date().toISOString(),
      evidence: { root: meta.root, kind: meta.kind },
      layout: meta.layout,
      ...(meta.installPath ? { installPath: meta.installPath } : {}),
      ...(meta.host ? { host: meta.host } : {}),
    },
    verdict: v.verdict,
    explanation: v.explanation,
    decisive: v.decisive,
    findings,
    webshells,
    artifacts,
    coverage,
    problems,
    rules: { loaded: 0, skipped: [], notApplicable: 0, detectors: 0 },
    ...(exposure ? { exposure } : {}),
    integrity,
    stats: {
      artifacts: artifacts.length,
      bytes: artifacts.reduce((n, a) => n + a.size, 0),
      records: artifacts.reduce((n, a) => n + a.records, 0),
      badRecords: artifacts.reduce((n, a) => n + a.badRecords, 0),
      problems: problems.length,
    },
  };
}

export { toolVersion } from './version.js';
