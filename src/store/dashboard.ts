// The dashboard's read-only queries (fleet search, counts, trend, a scan's meta and findings, the scans a
// visit compares), every one filtered to the caller's tenant scope; the server composes them into answers.

import { sql } from 'kysely';
import type { Finding } from '../core/finding.js';
import { URGENCY } from '../core/report.js';
import type { ScanReport } from '../core/report.js';
import type { Store } from './db.js';
import { BadCursorError, cursorPart, MAX_LIMIT } from './page.js';
import type { Page, PageArgs } from './page.js';
import { orgFilter } from './scope.js';
import type { Scope } from './scope.js';
import type { Exposure } from './triage.js';
import type { FleetServer } from '../core/views.js';
export type { FleetServer } from '../core/views.js';

/** A server's place in core's URGENCY (the worst verdict first), servers never scanned last. */
const rankOf = sql<number>`case s.latest_verdict ${sql.join(
  URGENCY.map((v, i) => sql`when ${sql.lit(v)} then ${sql.lit(i)}`),
  sql` `,
)} else ${sql.lit(URGENCY.length)} end`;

/**
 * Ingest writes the exposure column with JSON.stringify, so a non-empty list of vulnerable CVEs always reads
 * `"vulnerable":["`; matching the text keeps the filter in SQL on both databases without JSON functions.
 */
const VULNERABLE_LIKE = '%"vulnerable":["%';

export interface FleetFilter extends PageArgs {
  /** Part of the server's name or build, any case. */
  q?: string;
  verdict?: string;
  /** An exact build, or `none` for servers whose build is not known. */
  build?: string;
  vulnerable?: boolean;
  sort?: 'urgency' | 'name';
}

function limitOf(f: PageArgs): number {
  return Math.min(Math.max(1, Math.trunc(f.limit ?? 50)), MAX_LIMIT);
}

function cursorOf(cursor: string | undefined): [number, number, string, number] | undefined {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursorError('bad cursor');
  }
  const ok =
    Array.isArray(key) &&
    key.length === 4 &&
    (['n', 'n', 's', 'n'] as const).every((kind, i) => cursorPart(key[i], kind));
  if (!ok) throw new BadCursorError('bad cursor');
  return key as [number, number, string, number];
}

/** `%` and `_` typed into the search box are matched as themselves. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Servers by urgency (or name), searchable by part of the name or build; keyset-paged like every list. */
export async function searchServers(store: Store, scope: Scope, f: FleetFilter): Promise<Page<FleetServer>> {
  const limit = limitOf(f);
  const after = cursorOf(f.cursor);
  const org = orgFilter(scope);
  const rank = f.sort === 'name' ? sql<number>`0` : rankOf;
  const rows = await store.db
    .selectFrom('servers as s')
    .innerJoin('organisations as o', 'o.id', 's.org_id')
    .select([
      's.id',
      's.org_id',
      'o.name as org_name',
      's.name',
      's.latest_verdict',
      's.latest_at',
      's.latest_scan_id',
      's.build',
      's.exposure',
      rank.as('rank'),
      (eb) =>
        eb
          .selectFrom('remediation_items as r')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('r.server_id', '=', 's.id')
          .where('r.status', 'in', ['open', 'in-progress'])
          .as('open_remediation'),
    ])
    .$if(org !== undefined, (q) => q.where('s.org_id', '=', org as number))
    .$if(f.verdict !== undefined, (q) => q.where('s.latest_verdict', '=', f.verdict as string))
    .$if(f.build === 'none', (q) => q.where('s.build', 'is', null))
    .$if(f.build !== undefined && f.build !== 'none', (q) => q.where('s.build', '=', f.build as string))
    .$if(f.vulnerable === true, (q) => q.where('s.exposure', 'like', VULNERABLE_LIKE))
    .$if(!!f.q, (q) =>
      q.where(
        sql<boolean>`(lower(s.name) like ${likePattern(f.q as string)} escape '\\' or lower(coalesce(s.build, '')) like ${likePattern(f.q as string)} escape '\\')`,
      ),
    )
    .$if(after !== undefined, (q) => {
      const [r, o, n, i] = after as [number, number, string, number];
      return q.where(sql<boolean>`(${rank}, s.org_id, s.name, s.id) > (${r}, ${o}, ${n}, ${i})`);
    })
    .orderBy(rank)
    .orderBy('s.org_id')
    .orderBy('s.name')
    .orderBy('s.id')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return {
    items: kept.map((r) => ({
      id: r.id,
      organisation: { id: r.org_id, name: r.org_name },
      name: r.name,
      verdict: r.latest_verdict,
      lastScanAt: r.latest_at,
      latestScanId: r.latest_scan_id,
      build: r.build,
      exposure: r.exposure ? (JSON.parse(r.exposure) as Exposure) : null,
      openRemediation: Number(r.open_remediation ?? 0),
    })),
    next:
      more && last
        ? Buffer.from(JSON.stringify([Number(last.rank), last.org_id, last.name, last.id])).toString(
            'base64url',
          )
        : null,
  };
}

/** Servers counted by build and latest verdict (null: no scan read the build; never scanned). */
export async function serversByBuild(
  store: Store,
  scope: Scope,
): Promise<{ build: string | null; verdict: string | null; servers: number }[]> {
  const org = orgFilter(scope);
  const rows = await store.db
    .selectFrom('servers as s')
    .select(['s.build', 's.latest_verdict', (eb) => eb.fn.countAll<number>().as('n')])
    .$if(org !== undefined, (q) => q.where('s.org_id', '=', org as number))
    .groupBy(['s.build', 's.latest_verdict'])
    .execute();
  return rows.map((r) => ({ build: r.build, verdict: r.latest_verdict, servers: Number(r.n) }));
}

export interface FleetCounts {
  servers: number;
  /** Servers by latest verdict, `unscanned` for those never scanned. */
  verdicts: Record<string, number>;
  exposure: { vulnerable: number; unknown: number; patched: number; noBuild: number };
  /** Remediation items by status. */
  remediation: Record<string, number>;
}

/** The fleet in numbers: servers by verdict and exposure, remediation items by status. */
export async function fleetCounts(store: Store, scope: Scope): Promise<FleetCounts> {
  const org = orgFilter(scope);
  const byVerdict = await store.db
    .selectFrom('servers as s')
    .select(['s.latest_verdict', (eb) => eb.fn.countAll<number>().as('n')])
    .$if(org !== undefined, (q) => q.where('s.org_id', '=', org as number))
    .groupBy('s.latest_verdict')
    .execute();
  const verdicts: Record<string, number> = {};
  let servers = 0;
  for (const r of byVerdict) {
    verdicts[r.latest_verdict ?? 'unscanned'] = Number(r.n);
    servers += Number(r.n);
  }
  // Few distinct exposure texts exist (one per build and assessment), so grouping by the text is cheap.
  const byExposure = await store.db
    .selectFrom('servers as s')
    .select(['s.exposure', (eb) => eb.fn.countAll<number>().as('n')])
    .$if(org !== undefined, (q) => q.where('s.org_id', '=', org as number))
    .groupBy('s.exposure')
    .execute();
  const exposure = { vulnerable: 0, unknown: 0, patched: 0, noBuild: 0 };
  for (const r of byExposure) {
    const e = r.exposure ? (JSON.parse(r.exposure) as Exposure) : null;
    const key = !e?.build
      ? 'noBuild'
      : e.vulnerable.length
        ? 'vulnerable'
        : e.unknown.length
          ? 'unknown'
          : 'patched';
    exposure[key] += Number(r.n);
  }
  const byStatus = await store.db
    .selectFrom('remediation_items as r')
    .select(['r.status', (eb) => eb.fn.countAll<number>().as('n')])
    .$if(org !== undefined, (q) => q.where('r.org_id', '=', org as number))
    .groupBy('r.status')
    .execute();
  const remediation = Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]));
  return { servers, verdicts, exposure, remediation };
}

export interface TrendDay {
  /** UTC date, `YYYY-MM-DD`. */
  day: string;
  /** Servers by the verdict of their latest scan finished by the end of the day. */
  verdicts: Record<string, number>;
  scans: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** The fleet's state day by day: each server counted under its latest verdict as of that day. */
export async function trend(
  store: Store,
  scope: Scope,
  days: number,
  today = new Date(),
): Promise<TrendDay[]> {
  const org = orgFilter(scope);
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) + DAY_MS;
  const start = new Date(end - days * DAY_MS).toISOString();
  // Each server's state when the window opens: its newest scan before then.
  const baseline = await store.db
    .selectFrom('scans as c')
    .select(['c.server_id', 'c.verdict'])
    .$if(org !== undefined, (q) => q.where('c.org_id', '=', org as number))
    .where('c.finished_at', '<', start)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('scans as d')
            .select('d.id')
            .whereRef('d.server_id', '=', 'c.server_id')
            .where('d.finished_at', '<', start)
            .where((eb) =>
              eb.or([
                eb('d.finished_at', '>', eb.ref('c.finished_at')),
                eb.and([eb('d.finished_at', '=', eb.ref('c.finished_at')), eb('d.id', '>', eb.ref('c.id'))]),
              ]),
            ),
        ),
      ),
    )
    .execute();
  const state = new Map<number, string>(baseline.map((r) => [r.server_id, r.verdict]));
  const inWindow = await store.db
    .selectFrom('scans as c')
    .select(['c.server_id', 'c.verdict', 'c.finished_at'])
    .$if(org !== undefined, (q) => q.where('c.org_id', '=', org as number))
    .where('c.finished_at', '>=', start)
    .where('c.finished_at', '<', new Date(end).toISOString())
    .orderBy('c.finished_at')
    .orderBy('c.id')
    .execute();
  const out: TrendDay[] = [];
  let i = 0;
  for (let d = end - days * DAY_MS; d < end; d += DAY_MS) {
    const dayEnd = new Date(d + DAY_MS).toISOString();
    let scans = 0;
    for (; i < inWindow.length && (inWindow[i]?.finished_at as string) < dayEnd; i++) {
      const r = inWindow[i] as (typeof inWindow)[number];
      state.set(r.server_id, r.verdict);
      scans++;
    }
    const verdicts: Record<string, number> = {};
    for (const v of state.values()) verdicts[v] = (verdicts[v] ?? 0) + 1;
    out.push({ day: new Date(d).toISOString().slice(0, 10), verdicts, scans });
  }
  return out;
}

/** A scan's report as stored, without its findings: what the server page shows above the findings table. */
export type StoredReportMeta = Omit<ScanReport, 'findings'>;

/** A scan's stored report without its findings: what the server page shows above the findings table. */
export async function scanMeta(
  store: Store,
  scope: Scope,
  scanId: number,
): Promise<StoredReportMeta | undefined> {
  const org = orgFilter(scope);
  const row = await store.db
    .selectFrom('scans')
    .select('meta')
    .where('id', '=', scanId)
    .$if(org !== undefined, (q) => q.where('org_id', '=', org as number))
    .executeTakeFirst();
  return row && (JSON.parse(row.meta) as StoredReportMeta);
}

/** Findings of one scan by their report ids (the ids timeline events and the verdict name). */
export async function findingsById(
  store: Store,
  scope: Scope,
  scanId: number,
  ids: string[],
): Promise<Finding[]> {
  if (ids.length === 0) return [];
  const org = orgFilter(scope);
  const rows = await store.db
    .selectFrom('findings')
    .select('data')
    .where('scan_id', '=', scanId)
    .where('finding_id', 'in', ids)
    .$if(org !== undefined, (q) => q.where('org_id', '=', org as number))
    .orderBy('sort_time')
    .orderBy('id')
    .execute();
  return rows.map((r) => JSON.parse(r.data) as Finding);
}

/** The scan of the same server just before this one, by finish time. */
export async function previousScanId(
  store: Store,
  scope: Scope,
  scan: { id: number; serverId: number; finishedAt: string },
): Promise<number | undefined> {
  const org = orgFilter(scope);
  const row = await store.db
    .selectFrom('scans as c')
    .select('c.id')
    .where('c.server_id', '=', scan.serverId)
    .$if(org !== undefined, (q) => q.where('c.org_id', '=', org as number))
    .where((eb) =>
      eb.or([
        eb('c.finished_at', '<', scan.finishedAt),
        eb.and([eb('c.finished_at', '=', scan.finishedAt), eb('c.id', '<', scan.id)]),
      ]),
    )
    .orderBy('c.finished_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** Servers a scan was uploaded to after `since`, the most recent upload first (`limit` of them). */
export async function serversUploadedSince(
  store: Store,
  scope: Scope,
  since: string,
  limit: number,
): Promise<{ id: number; name: string; organisation: string; latestScanId: number | null }[]> {
  const org = orgFilter(scope);
  const rows = await store.db
    .selectFrom('scans as c')
    .innerJoin('servers as s', 's.id', 'c.server_id')
    .innerJoin('organisations as o', 'o.id', 'c.org_id')
    .select(['s.id', 's.name', 'o.name as org_name', 's.latest_scan_id'])
    .select((eb) => eb.fn.max('c.created_at').as('last_upload'))
    .$if(org !== undefined, (q) => q.where('c.org_id', '=', org as number))
    .where('c.created_at', '>', since)
    .groupBy(['s.id', 's.name', 'o.name', 's.latest_scan_id'])
    .orderBy('last_upload', 'desc')
    .orderBy('s.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    organisation: r.org_name,
    latestScanId: r.latest_scan_id,
  }));
}

/** The server's latest scan as of `since`: uploaded by then, newest finished (ties: the later id). */
export async function scanAt(store: Store, serverId: number, since: string): Promise<number | undefined> {
  const row = await store.db
    .selectFrom('scans as c')
    .select('c.id')
    .where('c.server_id', '=', serverId)
    .where('c.created_at', '<=', since)
    .orderBy('c.finished_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** A scan's findings other than context, as the report had them (the diff's identity reads their text). */
export async function findingsBesidesContext(store: Store, scanId: number): Promise<Finding[]> {
  const rows = await store.db
    .selectFrom('findings')
    .select('data')
    .where('scan_id', '=', scanId)
    .where('outcome', '!=', 'context')
    .orderBy('id')
    .execute();
  return rows.map((r) => JSON.parse(r.data) as Finding);
}
