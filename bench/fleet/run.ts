// Fleet benchmark: bulk-loads 100,000 servers and 10 million findings into PostgreSQL, then measures the
// ingest rate through the real API path on a sample and the p95 latency of list and campaign queries.
//
//   node dist/bench/fleet/run.js [--servers N] [--orgs N] [--findings-per-server N] [--sample N]
//                                [--concurrency N] [--queries N] [--incremental N] [--clusters-only] [--keep]
//   node dist/bench/fleet/run.js --database postgres://…/exhunt_bench   (measure again on a kept load)
//
// Without --database it creates exhunt_bench through --admin (default postgres://postgres@127.0.0.1/test)
// and drops it at the end unless --keep.

import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createApp } from '../../src/server/app.js';
import { DatabaseStorage } from '../../src/server/bundles/storage.js';
import { PgBossQueue } from '../../src/server/jobs/pgboss-queue.js';
import { computeClusters, DEFAULT_CLUSTER_SETTINGS } from '../../src/store/cluster-state.js';
import { migrateToLatest, openStore } from '../../src/store/index.js';
import type { FleetShape } from './generate.js';
import { ingestSample } from './ingest.js';
import { incremental } from './clusters.js';
import { bulkLoad } from './load.js';
import { latencies } from './measure.js';

const log = (s: string) => process.stderr.write(`${s}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      database: { type: 'string' },
      admin: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
      servers: { type: 'string', default: '100000' },
      orgs: { type: 'string', default: '1000' },
      'findings-per-server': { type: 'string', default: '100' },
      sample: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '8' },
      queries: { type: 'string', default: '200' },
      keep: { type: 'boolean', default: false },
      // The database created (and dropped) through --admin: another name lets two runs share a server.
      'db-name': { type: 'string', default: 'exhunt_bench' },
      'clusters-only': { type: 'boolean', default: false },
      // Reports ingested one at a time with the clusters updated after each (0: skip).
      incremental: { type: 'string', default: '200' },
    },
  });
  const shape: FleetShape = {
    orgs: Number(values.orgs),
    servers: Number(values.servers),
    findingsPerServer: Number(values['findings-per-server']),
    seed: 7,
  };
  const dbName = values['db-name'];
  if (!/^[a-z_][a-z0-9_]*$/.test(dbName))
    throw new Error(`--db-name ${dbName}: lower-case letters, digits, _`);
  const adminClient = new pg.Client({ connectionString: values.admin });
  let url = values.database;
  if (!url) {
    await adminClient.connect();
    await adminClient.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await adminClient.query(`CREATE DATABASE ${dbName}`);
    const u = new URL(values.admin);
    u.pathname = `/${dbName}`;
    url = u.toString();
  }
  const store = await openStore({ database: url, poolSize: 8 });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const results: Record<string, unknown> = {
    shape,
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
  };
  try {
    await migrateToLatest(store);
    // With --database naming an already loaded database, only the measurements run again.
    const loaded = Number((await pool.query<{ n: string }>('SELECT count(*) n FROM servers')).rows[0]?.n);
    let loadSeconds = 0;
    if (loaded < shape.servers) {
      log(
        `loading ${shape.servers} servers × ${shape.findingsPerServer} findings in ${shape.orgs} organisations`,
      );
      const t0 = performance.now();
      await pool.query('SET synchronous_commit = off');
      await bulkLoad(pool, shape, log);
      loadSeconds = (performance.now() - t0) / 1000;
    } else log(`reusing the ${loaded} servers already loaded`);
    const counts = await pool.query<{ t: string; n: string }>(
      `SELECT 'findings' t, count(*) n FROM findings UNION ALL SELECT 'servers', count(*) FROM servers UNION ALL SELECT 'indicators', count(*) FROM indicators`,
    );
    const size = await pool.query<{ s: string }>(
      'SELECT pg_size_pretty(pg_database_size(current_database())) s',
    );
    results.load = {
      seconds: Math.round(loadSeconds),
      counts: Object.fromEntries(counts.rows.map((r) => [r.t, Number(r.n)])),
      databaseSize: size.rows[0]?.s,
    };
    log(`loaded in ${loadSeconds.toFixed(0)} s: ${JSON.stringify(results.load)}`);
    results.clustering = await clustering(store, pool);
    log(`clustering: ${JSON.stringify(results.clustering)}`);
    if (Number(values.incremental) > 0) {
      // New servers beyond those the API sample below will use, so both measure fresh ingests.
      const from = Math.max(shape.servers, loaded) + Number(values.sample);
      results.incremental = await incremental(store, shape, from, Number(values.incremental), log);
      log(`incremental clustering: ${JSON.stringify(results.incremental)}`);
    }
    if (values['clusters-only']) return void (await finish(results));

    const queue = await PgBossQueue.start(url);
    const app = await createApp({
      store,
      queue,
      storage: new DatabaseStorage(store, '/tmp'),
      dataDir: '/tmp/exhunt-bench',
      webRoot: null,
    });
    try {
      const offset = Math.max(shape.servers, loaded);
      results.ingest = await ingestSample(
        app,
        store,
        shape,
        offset,
        Number(values.sample),
        Number(values.concurrency),
      );
      log(`ingest: ${JSON.stringify(results.ingest)}`);
      results.queries = await latencies(app, store, shape, Number(values.queries), log);
    } finally {
      await app.close();
      await queue.close();
    }
  } finally {
    await pool.end();
    await store.close();
    if (!values.database && !values.keep)
      await adminClient.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await adminClient.end().catch(() => undefined);
  }
  await finish(results);
}

async function finish(results: Record<string, unknown>): Promise<void> {
  mkdirSync('bench/out', { recursive: true });
  writeFileSync('bench/out/fleet.json', JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}

/**
 * A full recompute of the attacker clusters: every organisation's sessions (what an administrator's first
 * campaigns call after an ingest costs), then one tenant's. Twice each; the second is the figure.
 */
async function clustering(
  store: Awaited<ReturnType<typeof openStore>>,
  pool: pg.Pool,
): Promise<Record<string, number>> {
  const rows = await pool.query<{ s: string; i: string }>(
    'SELECT (SELECT count(*) FROM server_sessions) s, (SELECT count(*) FROM server_session_indicators) i',
  );
  const out: Record<string, number> = {
    sessions: Number(rows.rows[0]?.s),
    sessionIndicators: Number(rows.rows[0]?.i),
  };
  for (const [name, org] of [
    ['all', undefined],
    ['tenant', 1],
  ] as const) {
    let state;
    let ms = 0;
    for (let run = 0; run < 2; run++) {
      const t0 = performance.now();
      state = await computeClusters(store, org, DEFAULT_CLUSTER_SETTINGS);
      ms = performance.now() - t0;
    }
    out[`${name}Seconds`] = Number((ms / 1000).toFixed(2));
    out[`${name}Clusters`] = state?.clusters.length ?? 0;
    out[`${name}Noise`] = state?.noise.length ?? 0;
  }
  out.heapMB = Math.round(process.memoryUsage().heapUsed / 1e6);
  return out;
}

main().catch((e: unknown) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
