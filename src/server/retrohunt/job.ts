// The full path of a retro-hunt: one stored bundle re-analysed on the worker pool with only the hunt's feed
// or rule pack (our rules and indicators are what the stored scan already ran), its matches within the time
// range kept as hits of the bundle's server. Runs at least once: a bundle counts in the hunt's progress once.

import type { Finding } from '../../core/finding.js';
import type { ScanReport } from '../../core/report.js';
import { scan } from '../../engine/scan.js';
import type { ScanOptions } from '../../engine/scan.js';
import { IndicatorStore } from '../../rules/ioc/index.js';
import type { HitInput, HuntForJob, Store } from '../../store/index.js';
import {
  ALL,
  bundleForJob,
  bundlePending,
  finishBundle,
  huntForJob,
  recordHits,
  withTx,
} from '../../store/index.js';
import type { BundleStorage } from '../bundles/storage.js';
import type { AnalysisJob, JobContext } from '../jobs/queue.js';
import { feedIndicators, packFolder, triggerSource } from './trigger.js';

export interface RetrohuntDeps {
  store: Store;
  storage: BundleStorage;
  threads?: number;
  log?: (line: string) => void;
}

/** Evidence items kept on a hit's finding: enough to find the lines, not every one of thousands. */
const MAX_EVIDENCE = 10;

/** Whether a match's time is inside the hunt's range; an undated match (a file on disk) cannot be ruled out. */
function inRange(f: Finding, h: HuntForJob): boolean {
  if (!f.time) return true;
  return (!h.since || f.time >= h.since) && (!h.until || f.time <= h.until);
}

/** The trigger's matches grouped per rule or indicator: one hit each, with the first match as its finding. */
export function hitsOf(findings: Finding[], h: HuntForJob, scanId: number): HitInput[] {
  const source = triggerSource(h.trigger);
  const groups = new Map<string, Finding[]>();
  for (const f of findings)
    if (f.rule.source === source && inRange(f, h))
      groups.set(f.rule.id, [...(groups.get(f.rule.id) ?? []), f]);
  return [...groups.values()].map((list) => {
    const times = list
      .map((f) => f.time)
      .filter((t): t is string => !!t)
      .sort();
    const first = list[0]!;
    return {
      ruleId: first.rule.id,
      title: first.rule.title,
      author: first.rule.author,
      via: 'bundle',
      occurrences: list.length,
      firstAt: times[0] ?? null,
      lastAt: times[times.length - 1] ?? null,
      finding: { ...first, evidence: list.flatMap((f) => f.evidence).slice(0, MAX_EVIDENCE) },
      scanId,
    };
  });
}

/** What the re-analysis could not read, in one line: its hits are a lower bound there. */
export function lossOf(report: ScanReport): { loss?: string } {
  const losses = report.integrity?.losses ?? [];
  if (losses.length === 0) return {};
  const first = losses[0]!;
  return {
    loss: `read with loss: ${losses.length} file(s), first ${first.path} (${first.loss}: ${first.codes.join(', ')})`.slice(
      0,
      1000,
    ),
  };
}

/** Parsed feeds by id and version, kept across a worker's jobs (a hunt's jobs all use the same one). */
const FEEDS_KEPT = 8;

export function retrohuntJob(
  deps: RetrohuntDeps,
): (job: AnalysisJob & { retrohunt: number }, ctx: JobContext) => Promise<void> {
  const feeds = new Map<string, IndicatorStore>();
  const indicatorsFor = async (h: HuntForJob) => {
    const key = `${h.trigger.id}:${h.trigger.sha256}`;
    let s = feeds.get(key);
    if (!s) {
      s = await feedIndicators(deps.store, ALL, h.trigger);
      if (feeds.size >= FEEDS_KEPT) feeds.delete(feeds.keys().next().value as string);
      feeds.set(key, s);
    }
    return s;
  };
  return async (job, ctx) => {
    const hunt = await huntForJob(deps.store.db, job.retrohunt);
    // Gone, failed, or this bundle already counted (a repeat run after the commit).
    if (!hunt || hunt.status !== 'running') return;
    if (!(await bundlePending(deps.store.db, hunt.id, job.bundleId))) return;
    const bundle = await bundleForJob(deps.store, job.bundleId);
    if (!bundle || bundle.scanId === null) {
      await withTx(deps.store, (trx) =>
        finishBundle(trx, hunt.id, job.bundleId, { hits: 0, error: 'the bundle or its scan is gone' }),
      );
      return;
    }
    const local = await deps.storage.materialise(bundle);
    let release = () => Promise.resolve();
    try {
      let opts: ScanOptions;
      if (hunt.trigger.kind === 'feed')
        opts = { rules: { builtinRules: false }, intel: { indicators: await indicatorsFor(hunt) } };
      else {
        const pack = await packFolder(deps.store, ALL, hunt.trigger);
        release = pack.release;
        opts = {
          rules: { builtinRules: false, rulePaths: [pack.dir] },
          intel: { indicators: new IndicatorStore() },
        };
      }
      const { report } = await scan(local.path, {
        ...(deps.threads === undefined ? {} : { threads: deps.threads }),
        ...opts,
      });
      const hits = hitsOf(report.findings, hunt, bundle.scanId);
      await withTx(deps.store, async (trx) => {
        await recordHits(
          trx,
          deps.store.dialect,
          hunt,
          { id: bundle.serverId, orgId: bundle.organisationId, name: bundle.server },
          hits,
        );
        await finishBundle(trx, hunt.id, bundle.id, { hits: hits.length, ...lossOf(report) });
      });
      deps.log?.(
        `exhunt: retro-hunt ${hunt.id}: bundle ${bundle.id} (${bundle.server}): ${hits.length} hit(s)`,
      );
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      deps.log?.(`exhunt: retro-hunt ${hunt.id}: bundle ${bundle.id} attempt ${ctx.attempt} failed: ${why}`);
      if (ctx.final)
        await withTx(deps.store, (trx) => finishBundle(trx, hunt.id, bundle.id, { hits: 0, error: why }));
      throw e;
    } finally {
      await release();
      await local.release();
    }
  };
}

/** A job abandoned by its worker on the last attempt: the bundle counts as failed in the hunt. */
export async function giveUpRetrohunt(
  store: Store,
  huntId: number,
  bundleId: number,
  reason: string,
): Promise<void> {
  await withTx(store, (trx) => finishBundle(trx, huntId, bundleId, { hits: 0, error: reason }));
}
