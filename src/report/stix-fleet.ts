// STIX 2.1 and CSV export of what a fleet saw: an indicator per value, a sighting per victim (organisation
// or server) with first and last seen and the scans that saw it; the pieces are those of the scan export.

import { csvField } from './escape.js';
import { bundleOf, exhuntId, indicatorIdOf, indicatorObject, toolIdentity } from './stix.js';
import type { StixObject, StixOrigins } from './stix.js';

/** One value at one server, as the fleet store has it. */
export interface FleetRow {
  /** `matched`: a feed listed it; `found`: the scans found it in exploitation or webshell findings. */
  kind: 'matched' | 'found';
  /** An indicator type of the scan export: `ip`, `cidr`, `user-agent`, `filename`, `sha256`, ... */
  type: string;
  value: string;
  /** The imported STIX indicator the value belongs to. */
  stixId?: string;
  feed?: string;
  organisation: { name: string; createdAt: string };
  server: { name: string; createdAt: string };
  first: string;
  last: string;
  scans: number;
}

interface FleetExportOptions {
  /** Sightings per organisation (administrators, across tenants) or per server (one tenant). */
  where: 'organisation' | 'server';
  /** The feeds the caller may see, so that imported STIX indicators are re-emitted as they came. */
  indicators?: StixOrigins;
}

interface Group {
  id: string;
  /** The row the indicator object is made from: a matched one when there is one. */
  head: FleetRow;
  /** Per server (`org\0server`): the rows of both kinds merged. */
  servers: Map<string, FleetRow>;
}

const key = (r: { type: string; value: string }) => `${r.type}\0${r.value}`;

/**
 * Rows grouped by indicator. A value found by the scans that a feed also listed joins the feed's indicator,
 * so that one value is one indicator; at one server the two kinds count the same scans, hence the maximum.
 */
function groups(rows: FleetRow[]): Group[] {
  const matchedId = new Map<string, string>();
  for (const r of rows)
    if (r.kind === 'matched') {
      const id = indicatorIdOf(r);
      const had = matchedId.get(key(r));
      if (!had || id < had) matchedId.set(key(r), id);
    }
  const out = new Map<string, Group>();
  for (const r of rows) {
    const id = r.kind === 'matched' ? indicatorIdOf(r) : (matchedId.get(key(r)) ?? indicatorIdOf(r));
    let g = out.get(id);
    if (!g) out.set(id, (g = { id, head: r, servers: new Map() }));
    if (g.head.kind === 'found' && r.kind === 'matched') g.head = r;
    const at = `${r.organisation.name}\0${r.server.name}`;
    const had = g.servers.get(at);
    g.servers.set(
      at,
      had
        ? {
            ...had,
            first: r.first < had.first ? r.first : had.first,
            last: r.last > had.last ? r.last : had.last,
            scans: Math.max(had.scans, r.scans),
          }
        : r,
    );
  }
  return [...out.values()].sort((a, b) => a.id.localeCompare(b.id));
}

function whereIdentity(r: FleetRow, level: FleetExportOptions['where'], creator: string): StixObject {
  const org = level === 'organisation';
  const created = org ? r.organisation.createdAt : r.server.createdAt;
  return {
    type: 'identity',
    spec_version: '2.1',
    id: exhuntId(
      'identity',
      org ? `organisation\0${r.organisation.name}` : `server\0${r.organisation.name}\0${r.server.name}`,
    ),
    created_by_ref: creator,
    created,
    modified: created,
    name: org ? r.organisation.name : r.server.name,
    identity_class: org ? 'organization' : 'system',
    ...(org ? {} : { description: `Exchange server of ${r.organisation.name}` }),
  };
}

/**
 * A bundle of the tool's identity, one identity per victim, an indicator per value (an imported STIX
 * indicator keeps its id and, when the caller's feeds hold it, its pattern) and one sighting per indicator
 * and victim with `first_seen`, `last_seen` and `count` (scans that saw it). Ids are UUIDv5 over content and
 * times come from the data, so the same fleet state always gives the same bundle.
 */
export function fleetStixBundle(rows: FleetRow[], opts: FleetExportOptions): object {
  const tool = toolIdentity();
  const objects = new Map<string, StixObject>([[tool.id, tool]]);
  for (const g of groups(rows)) {
    const at = [...g.servers.values()];
    const first = at.reduce((m, r) => (r.first < m ? r.first : m), g.head.first);
    objects.set(
      g.id,
      indicatorObject(g.id, g.head, opts.indicators, tool.id, first, first, 'this fleet of Exchange servers'),
    );
    const byWhere = new Map<string, { where: StixObject; rows: FleetRow[] }>();
    for (const r of at) {
      const where = whereIdentity(r, opts.where, tool.id);
      objects.set(where.id, where);
      const w = byWhere.get(where.id);
      if (w) w.rows.push(r);
      else byWhere.set(where.id, { where, rows: [r] });
    }
    for (const { where, rows: here } of byWhere.values()) {
      const wFirst = here.reduce((m, r) => (r.first < m ? r.first : m), here[0]!.first);
      const wLast = here.reduce((m, r) => (r.last > m ? r.last : m), here[0]!.last);
      const count = Math.min(
        here.reduce((n, r) => n + r.scans, 0),
        999_999_999,
      );
      const id = exhuntId('sighting', `fleet-sighting\0${g.id}\0${where.id}\0${wFirst}\0${wLast}\0${count}`);
      const how = g.head.kind === 'matched' ? `matched ${g.head.feed ?? 'a feed'}` : 'found by the scans';
      objects.set(id, {
        type: 'sighting',
        spec_version: '2.1',
        id,
        created_by_ref: tool.id,
        created: wLast,
        modified: wLast,
        first_seen: wFirst,
        last_seen: wLast,
        count,
        sighting_of_ref: g.id,
        where_sighted_refs: [where.id],
        description: `${g.head.type} ${g.head.value}: ${how}, in ${count} scan(s) of ${here.length} server(s)`,
      });
    }
  }
  return bundleOf(objects.values());
}

/**
 * One CSV row per indicator: what it is, whether a feed listed it, when it was seen, in how many scans and
 * where. The organisations column is there only for administrators (`where: 'organisation'`), whose server
 * names are written `organisation/server`.
 */
export function fleetIndicatorsCsv(rows: FleetRow[], opts: Pick<FleetExportOptions, 'where'>): string {
  const admin = opts.where === 'organisation';
  const head = ['type', 'value', 'kind', 'first_seen', 'last_seen', 'scans', 'servers'];
  if (admin) head.push('organisations');
  head.push('feed', 'stix_id');
  const lines = groups(rows).map((g) => {
    const at = [...g.servers.values()];
    const first = at.reduce((m, r) => (r.first < m ? r.first : m), at[0]!.first);
    const last = at.reduce((m, r) => (r.last > m ? r.last : m), at[0]!.last);
    const servers = at.map((r) => (admin ? `${r.organisation.name}/${r.server.name}` : r.server.name)).sort();
    const cells = [
      g.head.type,
      g.head.value,
      g.head.kind,
      first,
      last,
      String(at.reduce((n, r) => n + r.scans, 0)),
      servers.join('; '),
    ];
    if (admin) cells.push([...new Set(at.map((r) => r.organisation.name))].sort().join('; '));
    cells.push(g.head.feed ?? '', g.head.stixId ?? '');
    return cells.map(csvField).join(',');
  });
  return [head.join(','), ...lines].join('\r\n') + '\r\n';
}
