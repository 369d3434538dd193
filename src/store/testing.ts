// Test-only: fresh databases of both kinds (PostgreSQL when reachable) and valid scan reports to ingest.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Finding } from '../core/finding.js';
import type {
  AttackerSession,
  RemediationStep,
  ScanReport,
  SessionsSection,
  Verdict,
  Webshell,
} from '../core/report.js';
import type { ClusterState } from './cluster-state.js';
import type { Dialect, Store } from './db.js';
import { openStore } from './db.js';
import { migrateToLatest } from './migrations/index.js';
import { driverProblem } from './sqlite-driver.js';
import type { SqliteDriver } from './sqlite-driver.js';

/** Where tests create their PostgreSQL databases; EXHUNT_TEST_PG overrides, EXHUNT_TEST_PG=off skips. */
const PG_ADMIN_URL = process.env.EXHUNT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Fixture {
  dialect: Dialect;
  store: Store;
  /** A fresh folder (the SQLite file lives here; uploads go here on both). */
  dataDir: string;
  /** The PostgreSQL URL, for child processes. */
  database?: string;
  /** Environment for child processes opening this database (the SQLite driver under test). */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

export interface Backend {
  dialect: Dialect;
  /** For test names: the dialect, and the driver when it is not the default one. */
  name: string;
  /** SQLite: the driver these tests use (both run where both load; see sqlite-driver.ts). */
  driver?: SqliteDriver;
  /** A message when this database cannot be tested here; node:test prints it as the skip reason. */
  skip: string | false;
  create(opts?: { migrate?: boolean }): Promise<Fixture>;
}

let pgState: Promise<string | false> | undefined;

/** Whether PostgreSQL can be tested: false, or the reason it cannot. */
function postgresSkip(): Promise<string | false> {
  pgState ??= (async () => {
    if (process.env.EXHUNT_TEST_PG === 'off') return 'PostgreSQL tests disabled (EXHUNT_TEST_PG=off)';
    const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.query('select 1');
      return false;
    } catch (e) {
      return `PostgreSQL not reachable at ${PG_ADMIN_URL} (${(e as Error).message}): skipped; set EXHUNT_TEST_PG`;
    } finally {
      await c.end().catch(() => undefined);
    }
  })();
  return pgState;
}

async function adminQuery(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** A new empty PostgreSQL database and a function that drops it (closing whatever still uses it). */
export async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `exhunt_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function backends(): Promise<Backend[]> {
  const pgSkip = await postgresSkip();
  const create =
    (dialect: Dialect, sqliteDriver?: SqliteDriver) =>
    async (opts: { migrate?: boolean } = {}) => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-store-'));
      const database = dialect === 'postgres' ? await createPgDatabase() : undefined;
      const store = await openStore(
        database
          ? { database: database.url, poolSize: 4 }
          : { dataDir, ...(sqliteDriver ? { sqliteDriver } : {}) },
      );
      if (opts.migrate !== false) await migrateToLatest(store);
      return {
        dialect,
        store,
        dataDir,
        ...(database ? { database: database.url } : {}),
        env: (sqliteDriver ? { EXHUNT_SQLITE_DRIVER: sqliteDriver } : {}) as Record<string, string>,
        async dispose() {
          await store.close();
          await database?.drop();
          await rm(dataDir, { recursive: true, force: true });
        },
      };
    };
  return [
    ...sqliteBackends(create),
    { dialect: 'postgres', name: 'postgres', skip: pgSkip, create: create('postgres') },
  ];
}

/**
 * SQLite once per driver: better-sqlite3 (the default where it loads) and node:sqlite (Node 22.5+), so the
 * store and server tests prove both. EXHUNT_SQLITE_DRIVER set to one driver tests only that one.
 */
function sqliteBackends(create: (dialect: Dialect, driver?: SqliteDriver) => Backend['create']): Backend[] {
  const forced = process.env.EXHUNT_SQLITE_DRIVER;
  const list: SqliteDriver[] =
    forced === 'better-sqlite3' || forced === 'node:sqlite' ? [forced] : ['better-sqlite3', 'node:sqlite'];
  return list.map((driver) => {
    const problem = driverProblem(driver);
    return {
      dialect: 'sqlite',
      name: driver === 'better-sqlite3' ? 'sqlite' : `sqlite (${driver})`,
      driver,
      skip: problem ? `SQLite through ${driver} cannot be tested here: ${problem}` : false,
      create: create('sqlite', driver),
    };
  });
}

export function finding(id: string, over: Partial<Finding> = {}): Finding {
  return {
    id,
    rule: { id: 'exhunt.proxylogon.ssrf', title: 'ProxyLogon SSRF', author: 'exhunt', source: 'exhunt' },
    severity: 'high',
    cves: ['CVE-2021-26855'],
    stage: 'exploit',
    outcome: 'success',
    time: '2021-03-03T06:49:46.210Z',
    sourceIps: ['198.51.100.9'],
    userAgent: 'python-requests/2.25.1',
    evidence: [
      { path: 'Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG', line: 7, excerpt: 'POST /ecp/y.js' },
    ],
    summary: 'POST /ecp/y.js from 198.51.100.9 -> 241',
    ...over,
  };
}

export function webshell(p: string, sha: string, over: Partial<Webshell> = {}): Webshell {
  return { path: p, sha256: sha, size: 120, reasons: ['eval of request data'], ...over };
}

export function step(id: string, title: string): RemediationStep {
  return {
    order: 1,
    id,
    phase: 'contain',
    title,
    why: 'because',
    actions: [title],
    targets: [],
    scripted: false,
  };
}

/** A minimal report valid against schema/report.schema.json. */
export function makeReport(
  verdict: Verdict,
  findings: Finding[],
  over: Partial<ScanReport> = {},
): ScanReport {
  return {
    schemaVersion: '1.0.0',
    tool: { name: 'exhunt', version: '0.1.0' },
    scan: {
      startedAt: '2021-03-10T10:00:00.000Z',
      finishedAt: '2021-03-10T10:05:00.000Z',
      evidence: { root: '/evidence/ex01', kind: 'folder' },
      layout: 'system-drive',
    },
    verdict,
    explanation: `verdict ${verdict}`,
    decisive: findings.slice(0, 1).map((f) => f.id),
    findings,
    webshells: [],
    artifacts: [],
    coverage: [],
    problems: [],
    rules: { loaded: 10, skipped: [], notApplicable: 0, detectors: 5 },
    stats: { artifacts: 0, bytes: 0, records: 0, badRecords: 0, problems: 0 },
    ...over,
  };
}

/** An attacker session of a report's sessions section (schema 1.1), for the campaign tests. */
export function attackerSession(
  id: string,
  over: Partial<AttackerSession> & { findings: string[] },
): AttackerSession {
  return {
    id,
    addresses: [],
    userAgents: [],
    webshells: [],
    firstSeen: '2021-03-03T06:00:00.000Z',
    lastSeen: '2021-03-03T07:00:00.000Z',
    outcome: 'compromise',
    stages: [],
    requestIds: [],
    ecpCanaries: [],
    timeline: [],
    ...over,
  };
}

/** A sessions section holding the given sessions. */
export function sessionsOf(list: AttackerSession[]): SessionsSection {
  return {
    rule: 'test',
    internalAddresses: [],
    server: { stages: [], timeline: [] },
    list,
    links: [],
    unattributed: [],
  };
}

/** Everything a view shows, in a form deepEqual can compare. */
export function canonClusters(s: ClusterState) {
  const sorted = <T>(x: Iterable<T>) => [...x].sort();
  return {
    clusters: s.clusters.map((c) => ({
      id: c.id,
      indicators: c.indicators
        .map((i) => [i.id, i.kind, i.value, sorted(i.victims), i.first, i.last])
        .sort((x, y) => (x[0] as number) - (y[0] as number)),
      victims: [...c.victims]
        .map(([k, v]) => [k, v.first, v.last, sorted(v.stages), sorted(v.servers)])
        .sort((x, y) => (x[0] as number) - (y[0] as number)),
      first: c.first,
      last: c.last,
      stages: sorted(c.stages),
      cves: sorted(c.cves),
      sessions: c.sessions,
    })),
    clusterOf: [...s.clusterOf].sort((x, y) => x[0] - y[0]),
    noise: s.noise.map((n) => [n.id, n.noise.reason, n.noise.detail, sorted(n.victims), n.first, n.last]),
  };
}
