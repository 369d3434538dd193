// Running the fleet: a server (store, migrations, first administrator, queue, app, in-process workers) and
// stand-alone workers, wired the same way for SQLite and PostgreSQL.

import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/index.js';
import {
  countUsers,
  createUser,
  isPostgresUrl,
  migrateToLatest,
  openStore,
  ConflictError,
  refreshTriage,
} from '../store/index.js';
import { createApp } from './app.js';
import { secureDataDir } from './file-modes.js';
import type { AppOptions } from './app.js';
import { generatePassword, hashPassword } from './auth.js';
import { DatabaseStorage, FileStorage } from './bundles/storage.js';
import type { BundleStorage } from './bundles/storage.js';
import { analyseHandler, giveUpHandler } from './jobs/analyse.js';
import { PgBossQueue } from './jobs/pgboss-queue.js';
import type { JobQueue } from './jobs/queue.js';
import { SqliteQueue } from './jobs/sqlite-queue.js';
import { startDispatcher } from './notify/dispatcher.js';
import { silentAfterSeconds } from './routes/agents.js';
import { toolVersion } from '../engine/assemble.js';

export interface Backend {
  store: Store;
  queue: JobQueue;
  storage: BundleStorage;
  close(): Promise<void>;
}

interface BackendOptions {
  dataDir: string;
  database?: string;
  log: (line: string) => void;
  /** What one bundle may inflate to in all, for the analysis jobs this process runs. */
  maxInflatedBytes?: number;
}

/** Opens the database, migrates it, and picks the queue and bundle storage that fit it. */
export async function openBackend(o: BackendOptions): Promise<Backend> {
  if (o.database && !isPostgresUrl(o.database)) throw new Error('--database must be a postgres:// URL');
  const fixed = await secureDataDir(o.dataDir);
  if (fixed.length)
    o.log(
      `exhunt: ${fixed.length} path(s) in ${o.dataDir} were readable by other users; made private (folders 0700, files 0600), e.g. ${fixed[0]}`,
    );
  const store = await openStore({ dataDir: o.dataDir, ...(o.database ? { database: o.database } : {}) });
  try {
    await migrateToLatest(store, toolVersion());
    const queue: JobQueue = o.database
      ? await PgBossQueue.start(o.database, {}, (e) => o.log(`exhunt: job queue: ${e.message}`))
      : new SqliteQueue(store);
    const storage: BundleStorage =
      store.dialect === 'postgres'
        ? new DatabaseStorage(store, path.join(o.dataDir, 'work'))
        : new FileStorage(path.join(o.dataDir, 'bundles'));
    return {
      store,
      queue,
      storage,
      async close() {
        await queue.close();
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/**
 * The first start has no users: it creates `admin` with a generated password, printed this once (only its
 * scrypt hash is stored). Two servers starting together on one PostgreSQL database create it once.
 */
export async function ensureAdministrator(
  store: Store,
  log: (line: string) => void,
  url: string,
): Promise<void> {
  if ((await countUsers(store)) > 0) return;
  const password = generatePassword();
  try {
    await createUser(
      store,
      { username: 'admin', role: 'administrator', orgId: null, passwordHash: await hashPassword(password) },
      'system:0:first-start',
    );
  } catch (e) {
    if (e instanceof ConflictError) return;
    throw e;
  }
  log(`exhunt: created the administrator "admin" with password ${password}`);
  log('exhunt: this password is shown only now and stored hashed; keep it.');
  log(
    `exhunt: sign in at ${url}/ (or POST ${url}/api/v1/session), or make API tokens: exhunt tokens create --org NAME --role analyst`,
  );
}

interface ServeOptions
  extends
    BackendOptions,
    Pick<AppOptions, 'maxBundleBytes' | 'secureCookies' | 'webRoot' | 'triage' | 'tls'> {
  host: string;
  port: number;
  /** Analysis jobs run in this process at once (default: 1 on SQLite, 0 on PostgreSQL, where workers run them). */
  workers?: number;
  threads?: number;
}

export interface Running {
  app: FastifyInstance;
  url: string;
  backend: Backend;
  close(): Promise<void>;
}

export async function startServer(o: ServeOptions): Promise<Running> {
  const backend = await openBackend(o);
  try {
    // Before the first request: after an upgrade every server is scored once (from its latest scan), and
    // after a change of the activity window every score is computed again.
    const scored = await refreshTriage(backend.store, o.triage);
    if (scored > 0) o.log(`exhunt: triage scores computed for ${scored} servers`);
    const app = await createApp({
      store: backend.store,
      queue: backend.queue,
      storage: backend.storage,
      dataDir: o.dataDir,
      ...(o.maxBundleBytes !== undefined ? { maxBundleBytes: o.maxBundleBytes } : {}),
      ...(o.secureCookies !== undefined ? { secureCookies: o.secureCookies } : {}),
      ...(o.webRoot !== undefined ? { webRoot: o.webRoot } : {}),
      ...(o.triage !== undefined ? { triage: o.triage } : {}),
      ...(o.tls !== undefined ? { tls: o.tls } : {}),
    });
    const address = await app.listen({ host: o.host, port: o.port });
    const url = address.replace('://[::]', '://localhost').replace('://0.0.0.0', '://localhost');
    await ensureAdministrator(backend.store, o.log, url);
    const workers = o.workers ?? (backend.store.dialect === 'sqlite' ? 1 : 0);
    const deps = {
      store: backend.store,
      storage: backend.storage,
      log: o.log,
      ...(o.threads !== undefined ? { threads: o.threads } : {}),
      ...(o.maxInflatedBytes !== undefined ? { maxInflatedBytes: o.maxInflatedBytes } : {}),
    };
    if (workers > 0) await backend.queue.work(analyseHandler(deps), workers, giveUpHandler(deps));
    else o.log('exhunt: bundles are analysed by workers: exhunt worker --database <the same URL>');
    // Notifications queued by ingest (here or in a worker) are delivered by the server processes.
    const dispatcher = startDispatcher(backend.store, {
      version: toolVersion(),
      log: o.log,
      silentAfterSeconds: silentAfterSeconds(),
    });
    return {
      app,
      url,
      backend,
      async close() {
        await dispatcher.stop();
        await app.close();
        await backend.close();
      },
    };
  } catch (e) {
    await backend.close();
    throw e;
  }
}

interface WorkerOptions extends BackendOptions {
  concurrency: number;
  threads?: number;
  /** See AnalyseDeps.beforeCommit (tests only). */
  beforeCommit?: () => Promise<void>;
}

export async function startWorker(o: WorkerOptions): Promise<Backend> {
  const backend = await openBackend(o);
  const deps = {
    store: backend.store,
    storage: backend.storage,
    log: o.log,
    ...(o.threads !== undefined ? { threads: o.threads } : {}),
    ...(o.maxInflatedBytes !== undefined ? { maxInflatedBytes: o.maxInflatedBytes } : {}),
    ...(o.beforeCommit ? { beforeCommit: o.beforeCommit } : {}),
  };
  await backend.queue.work(analyseHandler(deps), o.concurrency, giveUpHandler(deps));
  return backend;
}
