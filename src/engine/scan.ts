// The scan engine: the one place that wires evidence → sources → rules → analysis into a report.

import type { Artifact } from '../core/artifact.js';
import type { Finding } from '../core/finding.js';
import type { Problem } from '../core/problem.js';
import type { ScanReport } from '../core/report.js';
import { openEvidence, DEFAULT_LIMITS } from '../evidence/index.js';
import type { EvidenceFile, EvidenceLimits } from '../evidence/index.js';
import { collectExposure } from './exposure.js';
import { internalRange } from '../analysis/internal-scanners.js';
import type { InternalScannerOptions } from '../analysis/internal-scanners.js';
import { addressCensus } from './address-census.js';
import { sampleHostName } from './host-name.js';
import { accessOf, assemble, rankOf } from './assemble.js';
import { checkCollectorCustody } from './collector-custody.js';
import { checkCustody, toReportCustody } from './custody.js';
import { discover } from './discover.js';
import type { Layout, Task } from './discover.js';
import { createPool, defaultThreads } from './pool.js';
import { DEFAULT_READ_LIMITS, readArtifact } from './read-artifact.js';
import type { ArtifactResult, ReadLimits } from './read-artifact.js';
import type { VersionSeen } from './exposure.js';
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
import { exportEventLogs, liveProblems } from './live.js';
import type { LiveOptions, LiveSession } from './live.js';

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
  /**
   * A live scan of a running Windows server: the channels are exported with `wevtutil epl` first and read in
   * place of the live `.evtx` files (engine/live.ts).
   */
  live?: LiveOptions;
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
  if (!opts.live) return scanEvidence(evidencePath, opts);
  const startedAt = new Date().toISOString();
  const live = await exportEventLogs(evidencePath, opts.live);
  try {
    const result = await scanEvidence(evidencePath, opts, live);
    result.report.scan.startedAt = startedAt;
    return result;
  } finally {
    // Also when the scan failed: the exports are copies of the server's logs and must not stay behind.
    if (!live.info.removed) await live.cleanup();
  }
}

async function scanEvidence(
  evidencePath: string,
  opts: ScanOptions,
  live?: LiveSession,
): Promise<ScanResult> {
  const startedAt = new Date().toISOString();
  const rules: RuleConfig = { builtinRules: true, rulePaths: [], mappingPaths: [], ...opts.rules };
  const evidenceLimits = opts.evidenceLimits ?? DEFAULT_LIMITS;
  const readLimits = opts.readLimits ?? DEFAULT_READ_LIMITS;
  const problems: Problem[] = [];
  const ev = await openEvidence(evidencePath, evidenceLimits, live?.overlay);
  const intel = await loadIntel(opts.intel ?? {}, problems);
  const threads = opts.threads ?? defaultThreads();
  // The workers start now and load their rules while this thread surveys the evidence.
  const pool =
    threads > 0
      ? createPool(
          {
            root: ev.root,
            ...(live ? { overlay: live.overlay } : {}),
            evidenceLimits,
            readLimits,
            rules,
            iocs: intel.store.toJSON(),
          },
          threads,
        )
      : undefined;
  const results: ArtifactResult[] = [];
  const tasks: Task[] = [];
  const exposureFiles: EvidenceFile[] = [];
  const skipped = new Skipped();
  const listed = { files: 0, bytes: 0 };
  // web.config is read for exposure and scanned as a script too: listed once.
  const exposurePaths = new Set<string>();
  // Every file listed, for the collecting tool's chain of custody (Velociraptor, KAPE)...
  const all: EvidenceFile[] = [];
  // ... and by path, for our collector's manifest.
  const listing = new Map<string, EvidenceFile>();
  const list = (f: EvidenceFile) => {
    listing.set(f.path, f);
    if (exposurePaths.has(f.path)) return;
    all.push(f);
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
  // Our collector's manifest first; otherwise the record of the tool that made the collection.
  const collected = await checkCollectorCustody(
    ev,
    listing,
    results.map((r) => r.artifact),
    problems,
  );
  problems.push(...(collected?.problems ?? []));
  const foreign = collected ? undefined : await checkCustody(ev, all, problems);
  // The collector asked Windows for the name: that beats a vote among log lines, read only when needed.
  const host = collected?.manifest.host
    ? { name: collected.manifest.host, from: 'collector manifest' }
    : foreign?.host
      ? { name: foreign.host, from: `${foreign.tool} record` }
      : await sampleHostName(ev, tasks);
  await ev.close();
  if (live) {
    // Read: the copies go now, before the analysis, so the report can say they are gone.
    await live.cleanup();
    problems.push(
      ...liveProblems(
        live.info,
        results.map((r) => r.artifact),
      ),
    );
  }
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
      ...(host ? { host } : {}),
    },
    { skipped: skipped.groups(), listed, access, rank: rankOf(tasks) },
  );
  report.rules = { ...sigmaOut.stats, detectors: DETECTORS.size };
  if (live) report.scan.live = live.info;
  if (collected) report.custody = collected.custody;
  else if (foreign) report.custody = toReportCustody(foreign);
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

export { toolVersion } from './assemble.js';
/** The evidence caps, for callers that change one of them (the fleet's --max-inflated-mb). */
export { DEFAULT_LIMITS } from '../evidence/index.js';
