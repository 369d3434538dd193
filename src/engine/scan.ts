// The scan engine: the one place that wires evidence → sources → rules → analysis into a report.

import { readFileSync } from 'node:fs';
import type { Artifact } from '../core/artifact.js';
import type { Finding } from '../core/finding.js';
import type { Problem } from '../core/problem.js';
import type { ExposureReport, IntegritySection, ScanReport } from '../core/report.js';
import { REPORT_SCHEMA_VERSION } from '../core/report.js';
import { openEvidence, DEFAULT_LIMITS } from '../evidence/index.js';
import type { Evidence, EvidenceFile, EvidenceLimits, NoatimeMode } from '../evidence/index.js';
import { worseNoatime } from '../evidence/index.js';
import { markWindows } from '../analysis/windows.js';
import { collectExposure } from './exposure.js';
import { coverageOf } from '../analysis/coverage.js';
import { applyEcpResetRule, applyStagedGate } from '../analysis/gates.js';
import { internalRange, setAsideInternalScanners } from '../analysis/internal-scanners.js';
import type { InternalScannerOptions } from '../analysis/internal-scanners.js';
import { addressCensus } from './address-census.js';
import { copyRank, mergeDuplicates } from '../analysis/duplicates.js';
import { decideVerdict } from '../analysis/verdict.js';
import { integrityOf } from '../analysis/integrity.js';
import { familyOfUnread } from './relevance.js';
import { collectWebshells } from '../analysis/webshells.js';
import { discover } from './discover.js';
import type { Layout, Task } from './discover.js';
import { createPool, defaultThreads } from './pool.js';
import { DEFAULT_READ_LIMITS, readArtifact } from './read-artifact.js';
import type { ArtifactResult, ReadLimits, VersionSeen } from './read-artifact.js';
import { createRuleSet } from './ruleset.js';
import { Skipped } from './skipped.js';
import type { RuleConfig } from './ruleset.js';
import { finishSigma } from './correlate.js';
import { loadSigmaMatchers } from './sigma.js';
import type { SigmaMatchers } from './sigma.js';
import { DETECTORS } from '../rules/builtin/index.js';
import { buildIncident } from '../analysis/incident.js';
import { matchArtifactHashes } from '../rules/ioc/index.js';
import type { IndicatorStore } from '../rules/ioc/index.js';
import { loadIntel, runYara } from './intel.js';
import type { IntelOptions } from './intel.js';

export interface ScanOptions {
  /** Worker threads; 0 reads in this thread (tests, tiny evidence). Default: one per core. */
  threads?: number;
  rules?: Partial<RuleConfig>;
  evidenceLimits?: EvidenceLimits;
  readLimits?: ReadLimits;
  onProgress?: (p: Progress) => void;
  /** Indicator feeds and YARA rules. */
  intel?: IntelOptions;
  /**
   * Count failed scanner checks from internal addresses like any other (`--internal-attacks`); by default
   * they are set aside as an internal scanner (src/analysis/internal-scanners.ts).
   */
  internalAttacks?: boolean;
}

export interface Progress {
  phase: 'discover' | 'read' | 'analyse';
  files: number;
  filesDone: number;
  bytes: number;
  bytesDone: number;
}

export interface ScanResult {
  report: ScanReport;
  versions: VersionSeen[];
  /** The indicators the scan matched against, for STIX export. */
  indicators: IndicatorStore;
}

export async function scan(evidencePath: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const startedAt = new Date().toISOString();
  const rules: RuleConfig = { builtinRules: true, rulePaths: [], mappingPaths: [], ...opts.rules };
  const evidenceLimits = opts.evidenceLimits ?? DEFAULT_LIMITS;
  const readLimits = opts.readLimits ?? DEFAULT_READ_LIMITS;
  const problems: Problem[] = [];
  const ev = await openEvidence(evidencePath, evidenceLimits);
  const intel = await loadIntel(opts.intel ?? {}, problems);
  const threads = opts.threads ?? defaultThreads();
  // The workers start now and load their rules while this thread surveys the evidence.
  const pool =
    threads > 0
      ? createPool({ root: ev.root, evidenceLimits, readLimits, rules, iocs: intel.store.toJSON() }, threads)
      : undefined;
  const results: ArtifactResult[] = [];
  const tasks: Task[] = [];
  const exposureFiles: EvidenceFile[] = [];
  const skipped = new Skipped();
  const listed = { files: 0, bytes: 0 };
  // web.config is read for exposure and scanned as a script too: listed once.
  const exposurePaths = new Set<string>();
  const list = (f: EvidenceFile) => {
    if (exposurePaths.has(f.path)) return;
    listed.files++;
    listed.bytes += f.size;
  };
  const progress: Progress = { phase: 'discover', files: 0, filesDone: 0, bytes: 0, bytesDone: 0 };
  let sigma: SigmaMatchers;
  let layout: Layout;
  try {
    layout = await discover(ev, {
      problem: (p) => problems.push(p),
      task: (t) => {
        list(t.file);
        tasks.push(t);
        progress.files++;
        progress.bytes += t.file.size;
      },
      exposureFile: (f) => {
        list(f);
        exposurePaths.add(f.path);
        exposureFiles.push(f);
      },
      skip: (f, reason) => {
        list(f);
        // An unreadable file is a loss with its problem, not a file skipped on purpose.
        if (reason !== 'unreadable') skipped.add(f, reason);
      },
    });
    progress.phase = 'read';
    opts.onProgress?.(progress);
    const ctx = {
      ...(layout.installPath ? { installPath: layout.installPath } : {}),
      ...(layout.installPathWindows ? { installPathWindows: layout.installPathWindows } : {}),
    };
    sigma = await loadSigmaMatchers(rules);
    const extra = (source: string) => [...sigma.forSource(source), ...intel.matchers(source)];
    const done = (r: ArtifactResult, size: number) => {
      results.push(r);
      progress.filesDone++;
      progress.bytesDone += size;
      opts.onProgress?.(progress);
    };
    // Largest first, so one big log does not start last and leave the other cores idle.
    tasks.sort((a, b) => b.file.size - a.file.size);
    if (!pool) {
      const set = createRuleSet(extra);
      for (const t of tasks)
        done(await readArtifact(ev, t, set.forSource(t.source), ctx, readLimits), t.file.size);
    } else {
      await Promise.all(
        tasks.map((t) =>
          pool.run(t, ctx).then(
            (r) => done(r, t.file.size),
            (e: unknown) => {
              problems.push(failed(t, e));
              progress.filesDone++;
            },
          ),
        ),
      );
    }
  } finally {
    await pool?.close();
  }
  const versions = results.flatMap((r) => r.versions);
  const extraArtifacts: Artifact[] = [];
  const exposure = await collectExposure(ev, exposureFiles, versions, problems, extraArtifacts);
  const yaraFound = opts.intel?.yara ? await runYara(ev, tasks, opts.intel.yara, problems) : [];
  // Who sends the traffic, read only when an internal address probed (to tell a scanner from a proxy).
  const internal: InternalScannerOptions = { internalAttacks: opts.internalAttacks === true };
  if (!internal.internalAttacks && results.some((r) => r.findings.some(internalProbe)))
    internal.census = await addressCensus(ev, tasks);
  const access = accessOf(ev, results);
  await ev.close();
  progress.phase = 'analyse';
  opts.onProgress?.(progress);
  // Correlations over every thread's matches, generate: false, and which rules the evidence cannot satisfy.
  const sigmaOut = finishSigma(sigma, results);
  problems.push(...sigmaOut.problems);
  const hashHits = matchArtifactHashes(
    results.map((r) => r.artifact),
    intel.store,
  );
  const report = assemble(
    results,
    problems,
    extraArtifacts,
    exposure,
    [...sigmaOut.findings, ...hashHits, ...yaraFound],
    internal,
    {
      startedAt,
      root: ev.root,
      kind: ev.kind,
      layout: layout.layout,
      ...(layout.installPath ? { installPath: layout.installPath } : {}),
    },
    { skipped: skipped.groups(), listed, access, rank: rankOf(tasks) },
  );
  report.rules = { ...sigmaOut.stats, detectors: DETECTORS.size };
  // Sessions, what was exposed and the remediation plan need the whole report, exposure included.
  Object.assign(report, buildIncident(report));
  return { report, versions, indicators: intel.store };
}

function internalProbe(f: Finding): boolean {
  return (f.outcome === 'probe' || f.outcome === 'attempt') && f.sourceIps.some((ip) => !!internalRange(ip));
}

/** An artifact whose reading failed outright (a parser bug, a dead worker): reported, the scan goes on. */
function failed(t: Task, e: unknown): Problem {
  return {
    code: 'engine.artifact-failed',
    message: `could not be analysed: ${e instanceof Error ? e.message : String(e)}`,
    path: t.file.path,
    bytes: t.file.size,
    severity: 'error',
  };
}

/** Whether this evidence was read without changing access times; containers that cannot tell say so. */
/** Whether reading left access times alone: the worst of this thread's reads and every worker's. */
function accessOf(ev: Evidence, results: readonly ArtifactResult[]): IntegritySection['access'] {
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

function rankOf(tasks: readonly Task[]): (path: string) => number {
  const ranks = new Map(
    tasks.map((t) => [
      t.file.path,
      copyRank({ path: t.file.path, family: t.family, ...(t.reader ? { reader: t.reader } : {}) }),
    ]),
  );
  return (path) => ranks.get(path) ?? 0;
}

interface Meta {
  startedAt: string;
  root: string;
  kind: 'folder' | 'zip';
  layout: 'system-drive' | 'collected';
  installPath?: string;
}

function assemble(
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
  applyEcpResetRule(findings);
  const webshells = collectWebshells(findings, artifacts);
  setAsideInternalScanners(findings, artifacts, internal);
  applyStagedGate(findings);
  const coverage = coverageOf(artifacts);
  if (exposure) markWindows(findings, exposure);
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

let version: string | undefined;
export function toolVersion(): string {
  if (!version) {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    version = pkg.version;
  }
  return version;
}
