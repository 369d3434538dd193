// A monitoring agent's events, added batch by batch to its scan's rows: requests are appended and numbered on
// from the last (`E12` follows `E11` of an earlier batch), probe and context groups fold into the group of the
// same rule already stored, so an address probing every day stays one group, not one per batch.

import type { EventGroup, EventsSection } from '../core/report.js';
import { eventRows, insertEvents } from './events.js';
import type { Tx } from './tx.js';

const GROUP_SOURCES = 20;
const GROUP_REQUESTS = 5;
const GROUP_FINDINGS = 100;

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined ? b : b === undefined ? a : a < b ? a : b;
}
function later(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined ? b : b === undefined ? a : a > b ? a : b;
}

/** Two groups of one rule as one: counts summed, the first example kept; `sourceCount` is a lower bound. */
export function foldGroup(old: EventGroup, add: EventGroup): EventGroup {
  const sources = [...new Set([...old.sources, ...add.sources])];
  const requests = new Map(old.requests.map((r) => [r.value, r.count]));
  for (const r of add.requests) requests.set(r.value, (requests.get(r.value) ?? 0) + r.count);
  const first = earlier(old.first, add.first);
  const last = later(old.last, add.last);
  return {
    ...old,
    count: old.count + add.count,
    findingCount: old.findingCount + add.findingCount,
    ...(first ? { first } : {}),
    ...(last ? { last } : {}),
    sources: sources.slice(0, GROUP_SOURCES),
    sourceCount: Math.max(old.sourceCount, add.sourceCount, sources.length),
    requests: [...requests]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
      .slice(0, GROUP_REQUESTS),
    findings: [...old.findings, ...add.findings].slice(0, GROUP_FINDINGS),
  };
}

/** Adds a batch's events section to the agent's scan, in the caller's transaction (which holds the server's row). */
export async function appendAgentEvents(
  trx: Tx,
  ids: { org_id: number; server_id: number; scan_id: number },
  ev: EventsSection,
): Promise<void> {
  // Groups are one row per rule (a few dozen at most); requests are only counted and numbered on.
  const rows = await trx
    .selectFrom('scan_events')
    .select(['id', 'kind', 'ord', 'data'])
    .where('scan_id', '=', ids.scan_id)
    .where('kind', '!=', 'event')
    .execute();
  const agg = await trx
    .selectFrom('scan_events')
    .select((s) => [
      s.fn.max('ord').as('ord'),
      s.fn.count<number>(s.case().when('kind', '=', 'event').then(1).end()).as('events'),
    ])
    .where('scan_id', '=', ids.scan_id)
    .executeTakeFirst();
  let ord = agg?.ord === null || agg?.ord === undefined ? 0 : Number(agg.ord) + 1;
  let n = Number(agg?.events ?? 0);
  // Sessions are the scan's grouping of its own events: a batch's `S1` is not an earlier batch's.
  const list = ev.list.map((e) => {
    const { session: _session, ...rest } = e;
    return { ...rest, id: `E${++n}` };
  });
  const groups = new Map(
    rows
      .filter((r) => r.kind !== 'event')
      .map((r) => [`${r.kind}:${(JSON.parse(r.data) as EventGroup).rule.id}`, r]),
  );
  const fresh: EventsSection = { ...ev, list, probes: [], context: [] };
  for (const [kind, gs] of [
    ['probe', ev.probes],
    ['context', ev.context],
  ] as const)
    for (const g of gs) {
      const had = groups.get(`${kind}:${g.rule.id}`);
      if (!had) {
        const prefix = kind === 'probe' ? 'P' : 'C';
        const k = [...groups.keys()].filter((x) => x.startsWith(`${kind}:`)).length + 1;
        const add = { ...g, id: `${prefix}${k}` };
        (kind === 'probe' ? fresh.probes : fresh.context).push(add);
        groups.set(`${kind}:${g.rule.id}`, { id: -1, kind, ord: -1, data: JSON.stringify(add) });
        continue;
      }
      if (had.id === -1) continue;
      const folded = foldGroup(JSON.parse(had.data) as EventGroup, g);
      had.data = JSON.stringify(folded);
      await trx
        .updateTable('scan_events')
        .set({ data: had.data, first_at: folded.first ?? null })
        .where('id', '=', had.id)
        .execute();
    }
  const add = eventRows(ids, fresh).map((r) => ({ ...r, ord: ord++ }));
  await insertEvents(trx, add);
}
