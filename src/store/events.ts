// A scan's events as rows: written at ingest in the report's order, read back a page at a time within a scope.

import type { EventGroup, EventsSection, RequestEvent } from '../core/report.js';
import type { Store } from './db.js';
import { decodeCursor, limitOf, pageOf } from './page.js';
import type { Page, PageArgs } from './page.js';
import type { ScanEventTable } from './schema.js';
import type { Scope } from './scope.js';
import { orgFilter } from './scope.js';
import type { Tx } from './tx.js';
import { chunk } from './tx.js';

export type EventKind = ScanEventTable['kind'];

export interface EventView {
  id: number;
  scanId: number;
  serverId: number;
  server: string;
  kind: EventKind;
  /** A request (`kind` event) or a group of probes or context findings. */
  event: RequestEvent | EventGroup;
}

export interface EventFilter extends PageArgs {
  serverId?: number;
  /** Without it, the latest scan of each server (of `serverId` when given). */
  scanId?: number;
  kind?: EventKind;
}

type Row = Omit<ScanEventTable, 'id'>;

/** The rows of one report's events section, in its order: requests, then probe groups, then context. */
export function eventRows(
  ids: { org_id: number; server_id: number; scan_id: number },
  ev: EventsSection | undefined,
): Row[] {
  if (!ev) return [];
  const all: [EventKind, RequestEvent | EventGroup][] = [
    ...ev.list.map((e) => ['event', e] as [EventKind, RequestEvent]),
    ...ev.probes.map((g) => ['probe', g] as [EventKind, EventGroup]),
    ...ev.context.map((g) => ['context', g] as [EventKind, EventGroup]),
  ];
  return all.map(([kind, e], ord) => ({
    ...ids,
    kind,
    ord,
    event_id: e.id,
    outcome: e.outcome,
    stage: e.stage,
    first_at: ('time' in e ? e.time : 'first' in e ? e.first : undefined) ?? null,
    data: JSON.stringify(e),
  }));
}

export async function insertEvents(trx: Tx, rows: Row[]): Promise<void> {
  for (const part of chunk(rows, 11)) await trx.insertInto('scan_events').values(part).execute();
}

/** Events in the report's order, newest scan first; by default only each server's latest scan. */
export async function listEvents(store: Store, scope: Scope, f: EventFilter): Promise<Page<EventView>> {
  const limit = limitOf(f);
  const after = decodeCursor(f.cursor, ['n', 'n']);
  const org = orgFilter(scope);
  const rows = await store.db
    .selectFrom('scan_events as e')
    .innerJoin('servers as s', 's.id', 'e.server_id')
    .select(['e.id', 'e.scan_id', 'e.server_id', 's.name as server', 'e.kind', 'e.ord', 'e.data'])
    .$if(org !== undefined, (q) => q.where('e.org_id', '=', org as number))
    .$if(f.serverId !== undefined, (q) => q.where('e.server_id', '=', f.serverId as number))
    .$if(f.scanId !== undefined, (q) => q.where('e.scan_id', '=', f.scanId as number))
    .$if(f.scanId === undefined, (q) => q.whereRef('e.scan_id', '=', 's.latest_scan_id'))
    .$if(f.kind !== undefined, (q) => q.where('e.kind', '=', f.kind as EventKind))
    .$if(after !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('e.scan_id', '<', after?.[0] as number),
          eb.and([eb('e.scan_id', '=', after?.[0] as number), eb('e.ord', '>', after?.[1] as number)]),
        ]),
      ),
    )
    .orderBy('e.scan_id', 'desc')
    .orderBy('e.ord', 'asc')
    .limit(limit + 1)
    .execute();
  return pageOf(
    rows,
    limit,
    (r) => [r.scan_id, r.ord],
    (r) => ({
      id: r.id,
      scanId: r.scan_id,
      serverId: r.server_id,
      server: r.server,
      kind: r.kind,
      event: JSON.parse(r.data) as RequestEvent | EventGroup,
    }),
  );
}
