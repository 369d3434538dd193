// The scan engine: the one place that wires evidence → sources → rules → analysis into a report.

import { readFileSync } from 'node:fs';
import type { Artifact } from '../core/artifact.js';
import type { Finding } from '../core/finding.js';
import type { Problem } from '../core/problem.js';
import type { ExposureReport, IntegritySection, ScanReport } from '../core/report.js';
import { REPORT_SCHEMA_VERSION } from '../core/report.js';
import { openEvidence, DEFAULT_LIMITS } from '../evidence/index.js';
import type { Evidence, EvidenceFile, EvidenceLimits, ReadMode } from '../evidence/index.js';
import { markWindows } from '../analysis/windows.js';
import { collectExposure } from './exposure.js';
import { coverageOf } from '../analysis/coverage.js';
import { applyEcpResetRule, applyStagedGate } from '../analysis/gates.js';
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
  const list = (f: EvidenceFile) => {
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
        exposureFiles.push(f);
      },
      skip: (f, reason) => {
        list(f);
        skipped.add(f, reason);
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
  const access = readModeOf(ev);
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
function readModeOf(ev: Evidence): ReadMode {
  if (ev.readMode) return ev.readMode();
  return ev.kind === 'zip'
    ? { noatime: 'not-applicable', note: 'a zip bundle is one file, opened read-only' }
    : { noatime: 'not-supported', note: 'files were opened read-only; access times may change' };
}

interface Ledger {
  skipped: IntegritySection['skipped'];
  listed: { files: number; bytes: number };
  access: ReadMode;
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
