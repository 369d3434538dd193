// The fleet's sightings in a scope as STIX 2.1 or CSV: store rows → the report layer's fleet rows.

import type { FleetRow } from '../../report/stix-fleet.js';
import { fleetIndicatorsCsv, fleetStixBundle } from '../../report/stix-fleet.js';
import type { FleetSighting, IndicatorKind, Scope, Store } from '../../store/index.js';
import { listFleetSightings } from '../../store/index.js';
import type { FeedCache } from './cache.js';

/** Rows of each kind (matched, found) read at most; the newest are kept and the export says it was cut. */
const MAX_EXPORT_ROWS = 100_000;

/** The campaign tables' kinds as the scan export names them. */
const TYPE_OF: Record<IndicatorKind, string> = {
  ip: 'ip',
  'user-agent': 'user-agent',
  'webshell-name': 'filename',
  'webshell-hash': 'sha256',
};

function fleetRow(s: FleetSighting): FleetRow {
  const at = {
    organisation: { name: s.organisation.name, createdAt: s.organisation.createdAt },
    server: { name: s.server.name, createdAt: s.server.createdAt },
    first: s.firstSeen,
    last: s.lastSeen,
    scans: s.scans,
  };
  if (s.kind === 'found') return { kind: 'found', type: TYPE_OF[s.type], value: s.value, ...at };
  return {
    kind: 'matched',
    type: s.type,
    value: s.value,
    // Only STIX feeds give findings an indicator id of their own; lists get `ioc.<type>.<hash>`.
    ...(s.ruleId.startsWith('indicator--') ? { stixId: s.ruleId } : {}),
    feed: s.source,
    ...at,
  };
}

interface FleetExport {
  body: string;
  contentType: string;
  /** Sightings read (per server and value), for the audit log. */
  sightings: number;
  truncated: boolean;
}

export async function exportFleet(
  store: Store,
  cache: FeedCache,
  scope: Scope,
  format: 'stix' | 'csv',
  since?: string,
): Promise<FleetExport> {
  const { items, truncated } = await listFleetSightings(store, scope, {
    limit: MAX_EXPORT_ROWS,
    ...(since ? { since } : {}),
  });
  const rows = items.map(fleetRow);
  const where = scope.all ? 'organisation' : 'server';
  if (format === 'csv') {
    const body = fleetIndicatorsCsv(rows, { where });
    return { body, contentType: 'text/csv; charset=utf-8', sightings: rows.length, truncated };
  }
  // Every feed the scope may see, disabled ones too: a sighting from before it was disabled still cites it.
  const indicators = await cache.storeFor(store, scope, { enabledOnly: false, builtin: false });
  return {
    body: JSON.stringify(fleetStixBundle(rows, { where, indicators })),
    contentType: 'application/stix+json;version=2.1',
    sightings: rows.length,
    truncated,
  };
}
