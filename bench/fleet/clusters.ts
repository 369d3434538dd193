// The incremental clustering part of the fleet benchmark (run.ts times the full recompute): the model's
// first build (what a server process pays once), then reports ingested one at a time with the clusters brought
// up to date after each (every organisation's view, the largest; and the campaign notification pass of the
// report's organisation, which updates that tenant's view): p50 / p95 per ingest. Ends by checking that the
// model still equals a full recompute.

import { performance } from 'node:perf_hooks';
import { noteCampaigns } from '../../src/store/campaign-notify.js';
import { clusterState, computeClusters, DEFAULT_CLUSTER_SETTINGS } from '../../src/store/cluster-state.js';
import type { Store } from '../../src/store/db.js';
import { ingestReport } from '../../src/store/ingest.js';
import { orgScope } from '../../src/store/scope.js';
import { serverReport } from './generate.js';
import type { FleetShape } from './generate.js';

const seconds = (ms: number) => Number((ms / 1000).toFixed(2));

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Number((s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0).toFixed(1));
}

/**
 * `n` reports of new servers (beyond `offset`) ingested one by one; after each, the administrators' view
 * is brought up to date (timed) and the organisation's campaign notifications run (timed; a tenant's first
 * pass builds its view and is left out).
 */
export async function incremental(
  store: Store,
  shape: FleetShape,
  offset: number,
  n: number,
  log: (s: string) => void,
): Promise<Record<string, number>> {
  const t0 = performance.now();
  await clusterState(store, undefined, DEFAULT_CLUSTER_SETTINGS);
  const buildMs = performance.now() - t0;
  log(`clusters: model built in ${seconds(buildMs)} s; ingesting ${n} reports one at a time`);
  const update: number[] = [];
  const notify: number[] = [];
  const ingest: number[] = [];
  const tenants = new Set<number>();
  for (let i = 0; i < n; i++) {
    const { org, server, report } = serverReport(shape, offset + i);
    const t1 = performance.now();
    await ingestReport(store, orgScope(org + 1), { serverName: server, report, actor: 'bench' });
    const t2 = performance.now();
    await clusterState(store, undefined, DEFAULT_CLUSTER_SETTINGS);
    const t3 = performance.now();
    await noteCampaigns(store, org + 1);
    const t4 = performance.now();
    ingest.push(t2 - t1);
    update.push(t3 - t2);
    if (tenants.has(org)) notify.push(t4 - t3);
    tenants.add(org);
  }
  const model = await clusterState(store, undefined, DEFAULT_CLUSTER_SETTINGS);
  const ref = await computeClusters(store, undefined, DEFAULT_CLUSTER_SETTINGS);
  const same =
    model.clusters.length === ref.clusters.length &&
    model.noise.length === ref.noise.length &&
    model.clusters.every((c, k) => c.id === ref.clusters[k]?.id && c.victims.size === ref.clusters[k]?.victims.size); // prettier-ignore
  return {
    modelBuildSeconds: seconds(buildMs),
    reports: n,
    ingestP50Ms: quantile(ingest, 0.5),
    updateP50Ms: quantile(update, 0.5),
    updateP95Ms: quantile(update, 0.95),
    updateMaxMs: quantile(update, 1),
    notifyP50Ms: quantile(notify, 0.5),
    notifyP95Ms: quantile(notify, 0.95),
    notifySamples: notify.length,
    equalsFullRecompute: same ? 1 : 0,
    heapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
  };
}
