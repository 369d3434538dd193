// The analysis job: an uploaded bundle → scan() → one scan ingested, exactly once however often it runs.

import { hostname } from 'node:os';
import { DEFAULT_LIMITS, scan } from '../../engine/scan.js';
import type { Store } from '../../store/index.js';
import { bundleForJob, ingestReport, orgScope, setBundleStatus } from '../../store/index.js';
import type { BundleStorage } from '../bundles/storage.js';
import { FeedCache } from '../intel/cache.js';
import { giveUpRetrohunt, retrohuntJob } from '../retrohunt/job.js';
import type { GiveUpHandler, JobHandler } from './queue.js';

export interface AnalyseDeps {
  store: Store;
  storage: BundleStorage;
  /** Scan worker threads per job (default: one per core; 0 scans on the main thread). */
  threads?: number;
  log?: (line: string) => void;
  /** Parsed feeds, kept across jobs (default: one cache per handler). */
  feeds?: FeedCache;
  /** What one bundle may inflate to in all (`--max-inflated-mb`; default MAX_INFLATED_BYTES). */
  maxInflatedBytes?: number;
  /**
   * Runs inside the ingest transaction, after every row is written and before the commit: the crash test
   * passes one that stops there, so that it can kill a worker at the worst moment for real.
   */
  beforeCommit?: () => Promise<void>;
}

/**
 * A bundle's entries may inflate to this much in all, by default: four times the largest bundle accepted.
 * Each bundle is also held to 200 times its own size (evidence/zip-entries.ts), which is what stops a
 * small bomb; an entry past either cap is a located `zip.total-size` problem and the scan says what it lost.
 */
export const MAX_INFLATED_BYTES = 64 * 1024 ** 3;

export function analyseHandler(deps: AnalyseDeps): JobHandler {
  const actor = `worker:0:${hostname()}/${process.pid}`;
  const feeds = deps.feeds ?? new FeedCache();
  const retrohunt = retrohuntJob(deps);
  return async (job, ctx) => {
    if (job.retrohunt !== undefined) return retrohunt({ ...job, retrohunt: job.retrohunt }, ctx);
    const bundle = await bundleForJob(deps.store, job.bundleId);
    // Gone (deleted with its organisation), or a repeat run of a job whose result already committed.
    if (!bundle || bundle.scanId !== null) return;
    await setBundleStatus(deps.store, bundle.id, 'running');
    const local = await deps.storage.materialise(bundle);
    try {
      // The organisation's enabled feeds, then the shared ones, then ours (as the CLI loads by default).
      const indicators = await feeds.storeFor(deps.store, orgScope(bundle.organisationId), {
        enabledOnly: true,
        builtin: true,
      });
      const { report } = await scan(local.path, {
        ...(deps.threads === undefined ? {} : { threads: deps.threads }),
        evidenceLimits: { ...DEFAULT_LIMITS, maxTotalBytes: deps.maxInflatedBytes ?? MAX_INFLATED_BYTES },
        intel: { indicators },
      });
      // The worker's temporary path means nothing to anyone; the bundle's hash names the evidence.
      report.scan.evidence = { root: `bundle:${bundle.sha256}`, kind: 'zip', sha256: bundle.sha256 };
      const r = await ingestReport(deps.store, orgScope(bundle.organisationId), {
        serverName: bundle.server,
        report,
        bundleId: bundle.id,
        actor,
        ...(deps.beforeCommit ? { beforeCommit: deps.beforeCommit } : {}),
      });
      deps.log?.(`exhunt: bundle ${bundle.id} (${bundle.server}) → scan ${r.scanId}: ${report.verdict}`);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      deps.log?.(`exhunt: bundle ${bundle.id} attempt ${ctx.attempt} failed: ${why}`);
      if (ctx.final) await setBundleStatus(deps.store, bundle.id, 'failed', why);
      throw e;
    } finally {
      await local.release();
    }
  };
}

export function giveUpHandler(deps: AnalyseDeps): GiveUpHandler {
  return async (job, reason) => {
    // A retro-hunt's job failing leaves the bundle's own analysis as it was.
    if (job.retrohunt !== undefined) return giveUpRetrohunt(deps.store, job.retrohunt, job.bundleId, reason);
    await setBundleStatus(deps.store, job.bundleId, 'failed', reason);
  };
}
