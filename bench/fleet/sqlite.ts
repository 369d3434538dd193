// The fleet benchmark on the embedded database, per SQLite driver (better-sqlite3 or node:sqlite): the same
// generated reports ingested through the API into a fresh SQLite file, then the same list and campaign
// queries as on PostgreSQL (measure.ts). One driver per process, so each gets the same Node and a cold start:
//
//   node dist/bench/fleet/sqlite.js --driver better-sqlite3 [--servers 2000] [--orgs 20] [--sample 500]
//   node dist/bench/fleet/sqlite.js --driver node:sqlite    [...]                (Node 22.5 or later)
//
// The loaded servers go in one at a time (server ids then follow the generator, as the queries expect);
// the sample after them 8 at a time, which is the ingest rate reported. Results to stdout and
// bench/out/fleet-sqlite-<driver>.json.

import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createApp } from '../../src/server/app.js';
import { FileStorage } from '../../src/server/bundles/storage.js';
import { SqliteQueue } from '../../src/server/jobs/sqlite-queue.js';
import type { SqliteDriver } from '../../src/store/index.js';
import {
  chooseDriver,
  createOrganisation,
  migrateToLatest,
  openStore,
  SQLITE_FILE,
} from '../../src/store/index.js';
import type { FleetShape } from './generate.js';
import { ingestSample } from './ingest.js';
import { latencies } from './measure.js';

const log = (s: string) => process.stderr.write(`${s}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      driver: { type: 'string', default: 'auto' },
      servers: { type: 'string', default: '2000' },
      orgs: { type: 'string', default: '20' },
      'findings-per-server': { type: 'string', default: '100' },
      sample: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '8' },
      queries: { type: 'string', default: '200' },
    },
  });
  const driver: SqliteDriver = chooseDriver(values.driver);
  const shape: FleetShape = {
    orgs: Number(values.orgs),
    servers: Number(values.servers),
    findingsPerServer: Number(values['findings-per-server']),
    seed: 7,
  };
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'exhunt-bench-sqlite-'));
  const store = await openStore({ dataDir, sqliteDriver: driver });
  const results: Record<string, unknown> = { driver, shape, node: process.version, cpus: os.cpus().length };
  const queue = new SqliteQueue(store);
  try {
    await migrateToLatest(store);
    for (let o = 0; o < shape.orgs; o++) await createOrganisation(store, `org${o}`, 'bench');
    const app = await createApp({
      store,
      queue,
      storage: new FileStorage(path.join(dataDir, 'bundles')),
      dataDir,
      webRoot: null,
    });
    try {
      log(`${driver}: loading ${shape.servers} servers × ${shape.findingsPerServer} findings, one at a time`);
      results.load = await ingestSample(app, store, shape, 0, shape.servers, 1);
      log(`load: ${JSON.stringify(results.load)}`);
      results.ingest = await ingestSample(
        app,
        store,
        shape,
        shape.servers,
        Number(values.sample),
        Number(values.concurrency),
      );
      log(`ingest: ${JSON.stringify(results.ingest)}`);
      const t0 = performance.now();
      results.queries = await latencies(app, store, shape, Number(values.queries), log);
      results.querySeconds = Number(((performance.now() - t0) / 1000).toFixed(1));
      results.databaseMB = Math.round(statSync(path.join(dataDir, SQLITE_FILE)).size / 1e6);
    } finally {
      await app.close();
    }
  } finally {
    await queue.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync('bench/out', { recursive: true });
  const name = driver.replace(/[^a-z0-9]+/g, '-');
  writeFileSync(`bench/out/fleet-sqlite-${name}.json`, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}

main().catch((e: unknown) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
