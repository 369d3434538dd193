// Bulk load for the fleet benchmark: the rows the ingest path would write for every synthetic report,
// inserted as batched unnest() arrays (one statement per 20,000 rows), indexes built after the data.

import type pg from 'pg';
import { extractIndicators, findingRow, indicatorKey, normTime } from '../../src/store/extract.js';
import { extractSessions } from '../../src/store/extract-sessions.js';
import type { FleetShape } from './generate.js';
import { serverReport } from './generate.js';

type Col = [name: string, type: string];

async function insert(pool: pg.Pool, table: string, cols: Col[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const arrays = cols.map((_, c) => rows.map((r) => r[c]));
  const text = `INSERT INTO ${table} (${cols.map(([n]) => n).join(', ')}) SELECT * FROM unnest(${cols.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ')})`;
  await pool.query(text, arrays);
}

const FINDING_COLS: Col[] = [
  ['id', 'bigint'],
  ['org_id', 'bigint'],
  ['server_id', 'bigint'],
  ['scan_id', 'bigint'],
  ['finding_id', 'text'],
  ['rule_id', 'text'],
  ['severity', 'text'],
  ['stage', 'text'],
  ['outcome', 'text'],
  ['sort_time', 'text'],
  ['source_ip', 'text'],
  ['data', 'text'],
];

/** Secondary indexes of the findings table, as migration 002 creates them: rebuilt after the bulk insert. */
const FINDING_INDEXES = [
  'CREATE INDEX findings_org ON findings (org_id, id)',
  'CREATE INDEX findings_server ON findings (server_id, id)',
  'CREATE INDEX findings_scan ON findings (scan_id, id)',
];

interface Agg {
  first: string;
  last: string;
  n: number;
  sightings: number;
}

function widen(m: Map<string, Agg>, k: string, first: string, last: string, n = 0): Agg {
  let a = m.get(k);
  if (!a) m.set(k, (a = { first, last, n, sightings: 0 }));
  else {
    if (first < a.first) a.first = first;
    if (last > a.last) a.last = last;
    a.n += n;
  }
  a.sightings++;
  return a;
}

export async function bulkLoad(pool: pg.Pool, shape: FleetShape, log: (s: string) => void): Promise<void> {
  const now = new Date().toISOString();
  await pool.query(
    `INSERT INTO organisations (id, name, created_at) SELECT g, 'org' || (g - 1), $1 FROM generate_series(1, ${shape.orgs}) g`,
    [now],
  );
  for (const ix of FINDING_INDEXES) await pool.query(`DROP INDEX IF EXISTS ${ix.split(' ')[2]}`);
  const indicators = new Map<string, Agg>();
  const perOrg = new Map<string, Agg>();
  const rules = new Set<string>();
  const perServer: unknown[][] = [];
  /** [server, org, session key, first, last, stages, cves, indicator keys] as ingest's recordSessions. */
  const sessions: unknown[][] = [];
  let findingId = 0;
  let pending: Promise<void>[] = [];
  const t0 = Date.now();
  const BATCH = 200;
  for (let from = 0; from < shape.servers; from += BATCH) {
    const servers: unknown[][] = [];
    const scans: unknown[][] = [];
    const findings: unknown[][] = [];
    const shells: unknown[][] = [];
    const seen: unknown[][] = [];
    for (let i = from; i < Math.min(shape.servers, from + BATCH); i++) {
      // Yield now and then, so the previous batch's statements go out while this one is generated.
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
      const { org, server, report } = serverReport(shape, i);
      const orgId = org + 1;
      const id = i + 1;
      const started = normTime(report.scan.startedAt) as string;
      const { findings: list, ...meta } = report;
      servers.push([id, orgId, server, now, id, report.verdict, report.scan.finishedAt]);
      scans.push([
        id,
        orgId,
        id,
        `bench${i}`,
        report.verdict,
        report.explanation,
        started,
        report.scan.finishedAt,
        now,
        '0.1.0',
        list.length,
        JSON.stringify(meta),
      ]);
      for (const f of list) {
        const r = findingRow(f, started);
        findings.push([
          ++findingId,
          orgId,
          id,
          id,
          r.finding_id,
          r.rule_id,
          r.severity,
          r.stage,
          r.outcome,
          r.sort_time,
          r.source_ip,
          r.data,
        ]);
      }
      for (const w of report.webshells)
        shells.push([orgId, id, id, w.path, w.sha256, w.size, JSON.stringify(w)]);
      const uses = extractIndicators(report);
      const known = new Set(uses.map((u) => indicatorKey(u.kind, u.value)));
      for (const s of extractSessions(report, known))
        sessions.push([
          id,
          orgId,
          s.key,
          s.first,
          s.last,
          s.stages.join(','),
          s.cves.join(','),
          s.indicators,
        ]);
      for (const u of uses) {
        const key = `${u.kind}\0${u.value}`;
        const o = perOrg.get(`${key}\0${orgId}`);
        widen(perOrg, `${key}\0${orgId}`, u.first, u.last, 1);
        widen(indicators, key, u.first, u.last, o ? 0 : 1);
        seen.push([key, id, orgId, u.first, u.last]);
        for (const [rk, title] of u.rules) rules.add(`${key}\0${orgId}\0${rk}\0${title}`);
      }
    }
    const batch = (async () => {
      await insert(
        pool,
        'servers',
        [
          ['id', 'bigint'],
          ['org_id', 'bigint'],
          ['name', 'text'],
          ['created_at', 'text'],
          ['latest_scan_id', 'bigint'],
          ['latest_verdict', 'text'],
          ['latest_at', 'text'],
        ],
        servers,
      );
      await insert(
        pool,
        'scans',
        [
          ['id', 'bigint'],
          ['org_id', 'bigint'],
          ['server_id', 'bigint'],
          ['report_sha256', 'text'],
          ['verdict', 'text'],
          ['explanation', 'text'],
          ['started_at', 'text'],
          ['finished_at', 'text'],
          ['created_at', 'text'],
          ['tool_version', 'text'],
          ['findings_count', 'integer'],
          ['meta', 'text'],
        ],
        scans,
      );
      await insert(pool, 'findings', FINDING_COLS, findings);
      await insert(
        pool,
        'webshells',
        [
          ['org_id', 'bigint'],
          ['server_id', 'bigint'],
          ['scan_id', 'bigint'],
          ['path', 'text'],
          ['sha256', 'text'],
          ['size', 'bigint'],
          ['data', 'text'],
        ],
        shells,
      );
    })();
    perServer.push(...seen);
    pending.push(batch);
    // Two batches in flight: Node builds the next while PostgreSQL writes the last.
    if (pending.length >= 2) {
      await Promise.all(pending);
      pending = [];
    }
    if ((from / BATCH) % 50 === 0)
      log(`  ${from + BATCH} servers, ${findingId} findings, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  await Promise.all(pending);
  log(`  indicators: ${indicators.size}, per organisation ${perOrg.size}, per server ${perServer.length}`);
  const idOf = await loadIndicators(pool, indicators, perOrg, perServer, rules);
  log(`  sessions: ${sessions.length}`);
  await insertAll(
    pool,
    'server_sessions',
    [
      ['server_id', 'bigint'],
      ['org_id', 'bigint'],
      ['session_key', 'text'],
      ['first_seen', 'text'],
      ['last_seen', 'text'],
      ['stages', 'text'],
      ['cves', 'text'],
      ['scans', 'integer'],
    ],
    sessions.map((r) => [...r.slice(0, 7), 1]),
  );
  await insertAll(
    pool,
    'server_session_indicators',
    [
      ['server_id', 'bigint'],
      ['session_key', 'text'],
      ['indicator_id', 'bigint'],
      ['org_id', 'bigint'],
    ],
    sessions.flatMap(([server, org, key, , , , , keys]) =>
      (keys as string[]).map((k) => [server, key, idOf.get(k), org]),
    ),
  );
  log('  building findings indexes');
  const client = await pool.connect();
  try {
    // Sorting 10 million keys in memory instead of in temporary files; for this session only.
    await client.query("SET maintenance_work_mem = '512MB'");
    for (const ix of FINDING_INDEXES) await client.query(ix);
  } finally {
    client.release();
  }
  for (const t of ['organisations', 'servers', 'scans', 'findings', 'webshells', 'indicators'])
    await pool.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT max(id) FROM ${t}))`);
  await pool.query('ANALYZE');
}

async function insertAll(pool: pg.Pool, table: string, cols: Col[], rows: unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 20000) await insert(pool, table, cols, rows.slice(i, i + 20000));
}

/** `n` counts organisations per indicator and servers per (indicator, organisation), as ingest's counters. */
async function loadIndicators(
  pool: pg.Pool,
  indicators: Map<string, Agg>,
  perOrg: Map<string, Agg>,
  perServer: unknown[][],
  rules: Set<string>,
): Promise<Map<string, number>> {
  const idOf = new Map<string, number>();
  const rows = [...indicators].map(([k, a]) => {
    idOf.set(k, idOf.size + 1);
    const [kind, value] = k.split('\0');
    return [idOf.size, kind, value, a.first, a.last, a.n];
  });
  await insertAll(
    pool,
    'indicators',
    [
      ['id', 'bigint'],
      ['kind', 'text'],
      ['value', 'text'],
      ['first_seen', 'text'],
      ['last_seen', 'text'],
      ['org_count', 'integer'],
    ],
    rows,
  );
  const orgRows = [...perOrg].map(([k, a]) => {
    const cut = k.lastIndexOf('\0');
    return [idOf.get(k.slice(0, cut)), Number(k.slice(cut + 1)), a.first, a.last, a.n, a.sightings];
  });
  await insertAll(
    pool,
    'indicator_orgs',
    [
      ['indicator_id', 'bigint'],
      ['org_id', 'bigint'],
      ['first_seen', 'text'],
      ['last_seen', 'text'],
      ['server_count', 'integer'],
      ['sightings', 'integer'],
    ],
    orgRows,
  );
  const serverRows = perServer.map(([k, server, org, first, last]) => [
    idOf.get(k as string),
    server,
    org,
    first,
    last,
    1,
  ]);
  await insertAll(
    pool,
    'indicator_servers',
    [
      ['indicator_id', 'bigint'],
      ['server_id', 'bigint'],
      ['org_id', 'bigint'],
      ['first_seen', 'text'],
      ['last_seen', 'text'],
      ['scans', 'integer'],
    ],
    serverRows,
  );
  const ruleRows = [...rules].map((r) => {
    const [kind, value, org, ruleId, stage, title] = r.split('\0');
    return [idOf.get(`${kind}\0${value}`), Number(org), ruleId, stage, title];
  });
  await insertAll(
    pool,
    'indicator_rules',
    [
      ['indicator_id', 'bigint'],
      ['org_id', 'bigint'],
      ['rule_id', 'text'],
      ['stage', 'text'],
      ['rule_title', 'text'],
    ],
    ruleRows,
  );
  const activity = new Map<string, unknown[]>();
  for (const [id, , ruleId, stage, title] of ruleRows)
    activity.set(`${String(id)}\0${String(ruleId)}\0${String(stage)}`, [id, ruleId, stage, title]);
  await insertAll(
    pool,
    'indicator_activity',
    [
      ['indicator_id', 'bigint'],
      ['rule_id', 'text'],
      ['stage', 'text'],
      ['rule_title', 'text'],
    ],
    [...activity.values()],
  );
  return idOf;
}
