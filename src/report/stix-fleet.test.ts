// The fleet export: one indicator per value (imported STIX ids kept), a sighting per victim, refs that
// resolve within the bundle, found values joining the feed indicator that lists them, and the CSV.

import assert from 'node:assert/strict';
import test from 'node:test';
import { STIX_BUNDLE } from '../rules/ioc/fixtures.js';
import { importFeed } from '../rules/ioc/load.js';
import { IndicatorStore } from '../rules/ioc/store.js';
import { fleetIndicatorsCsv, fleetStixBundle } from './stix-fleet.js';
import type { FleetRow } from './stix-fleet.js';

type Obj = { type: string; id: string; [k: string]: unknown };

const IMPORTED = 'indicator--0a000000-0000-4000-8000-000000000001';
const at = (org: string, server: string) => ({
  organisation: { name: org, createdAt: '2024-01-01T00:00:00.000Z' },
  server: { name: server, createdAt: '2024-01-02T00:00:00.000Z' },
});

function rows(): FleetRow[] {
  return [
    {
      kind: 'matched',
      type: 'ip',
      value: '203.0.113.9',
      stixId: IMPORTED,
      feed: 'cert.json (feed 1)',
      ...at('alpha', 'ex1'),
      first: '2022-10-03T06:00:00.000Z',
      last: '2022-10-03T08:00:00.000Z',
      scans: 2,
    },
    {
      kind: 'matched',
      type: 'ip',
      value: '203.0.113.9',
      stixId: IMPORTED,
      feed: 'cert.json (feed 1)',
      ...at('alpha', 'ex2'),
      first: '2022-10-01T00:00:00.000Z',
      last: '2022-10-02T00:00:00.000Z',
      scans: 1,
    },
    {
      kind: 'matched',
      type: 'ip',
      value: '203.0.113.9',
      stixId: IMPORTED,
      feed: 'cert.json (feed 1)',
      ...at('zulu', 'ex1'),
      first: '2022-10-04T00:00:00.000Z',
      last: '2022-10-04T00:00:00.000Z',
      scans: 1,
    },
    // Found by the scans at a server the feed matched too: the same scans, not more.
    {
      kind: 'found',
      type: 'ip',
      value: '203.0.113.9',
      ...at('alpha', 'ex1'),
      first: '2022-10-03T05:00:00.000Z',
      last: '2022-10-03T07:00:00.000Z',
      scans: 2,
    },
    {
      kind: 'found',
      type: 'user-agent',
      value: '=cmd|" /c calc"!A1, "x"',
      ...at('zulu', 'ex1'),
      first: '2022-10-04T00:00:00.000Z',
      last: '2022-10-05T00:00:00.000Z',
      scans: 3,
    },
  ];
}

function check(bundle: { type: string; id: string; objects: Obj[] }): Map<string, Obj> {
  assert.equal(bundle.type, 'bundle');
  assert.match(bundle.id, /^bundle--[0-9a-f-]{36}$/);
  const byId = new Map(bundle.objects.map((o) => [o.id, o]));
  assert.equal(byId.size, bundle.objects.length, 'ids are unique');
  for (const o of bundle.objects) {
    assert.match(o.id, new RegExp(`^${o.type}--[0-9a-f-]{36}$`));
    assert.equal(o.spec_version, '2.1');
    for (const [k, v] of Object.entries(o))
      for (const ref of k.endsWith('_ref') ? [v] : k.endsWith('_refs') ? (v as unknown[]) : [])
        assert.ok(byId.has(ref as string), `${o.id} ${k} → ${String(ref)} is in the bundle`);
  }
  for (const s of bundle.objects.filter((o) => o.type === 'sighting'))
    assert.equal(byId.get(s.sighting_of_ref as string)?.type, 'indicator');
  return byId;
}

test('fleet STIX for administrators: a sighting per organisation, the imported indicator re-emitted', () => {
  const store = new IndicatorStore(importFeed(STIX_BUNDLE, 'cert.json', 'cert.json (feed 1)').indicators);
  const bundle = fleetStixBundle(rows(), { where: 'organisation', indicators: store }) as {
    type: string;
    id: string;
    objects: Obj[];
  };
  const byId = check(bundle);
  const indicators = bundle.objects.filter((o) => o.type === 'indicator');
  assert.equal(indicators.length, 2, 'the address (feed and found as one) and the user agent');
  assert.equal(
    byId.get(IMPORTED)?.pattern,
    "[ipv4-addr:value = '203.0.113.9'] OR [ipv4-addr:value ISSUBSET '198.51.100.0/24']",
  );
  const sightings = bundle.objects.filter((o) => o.sighting_of_ref === IMPORTED);
  const where = (s: Obj) => byId.get((s.where_sighted_refs as string[])[0] as string);
  const byOrg = new Map(sightings.map((s) => [where(s)?.name, s]));
  assert.deepEqual([...byOrg.keys()].sort(), ['alpha', 'zulu']);
  assert.equal(where(sightings[0] as Obj)?.identity_class, 'organization');
  // alpha: ex1 (2 scans, found earlier at 05:00) and ex2 (1 scan).
  const alpha = byOrg.get('alpha');
  assert.deepEqual(
    [alpha?.first_seen, alpha?.last_seen, alpha?.count],
    ['2022-10-01T00:00:00.000Z', '2022-10-03T08:00:00.000Z', 3],
  );
  assert.equal(byOrg.get('zulu')?.count, 1);
  assert.equal(
    JSON.stringify(fleetStixBundle(rows(), { where: 'organisation', indicators: store })),
    JSON.stringify(bundle),
    'deterministic',
  );
});

test('fleet STIX for one tenant: a sighting per server; without the feed the imported id is still used', () => {
  const own = rows().filter((r) => r.organisation.name === 'alpha');
  const bundle = fleetStixBundle(own, { where: 'server' }) as { type: string; id: string; objects: Obj[] };
  const byId = check(bundle);
  const identities = bundle.objects
    .filter((o) => o.type === 'identity')
    .map((o) => [o.name, o.identity_class]);
  assert.deepEqual(identities.sort(), [
    ['ex1', 'system'],
    ['ex2', 'system'],
    ['exhunt', 'system'],
  ]);
  assert.equal(byId.get(IMPORTED)?.pattern, "[ipv4-addr:value = '203.0.113.9']");
  assert.ok(!JSON.stringify(bundle).includes('zulu'));
  assert.equal(bundle.objects.filter((o) => o.type === 'sighting').length, 2);
});

test('fleet CSV: one row per indicator, organisations for administrators only, fields escaped', () => {
  const admin = fleetIndicatorsCsv(rows(), { where: 'organisation' }).trimEnd().split('\r\n');
  assert.equal(admin[0], 'type,value,kind,first_seen,last_seen,scans,servers,organisations,feed,stix_id');
  assert.equal(
    admin.find((l) => l.startsWith('ip,')),
    `ip,203.0.113.9,matched,2022-10-01T00:00:00.000Z,2022-10-04T00:00:00.000Z,4,alpha/ex1; alpha/ex2; zulu/ex1,alpha; zulu,cert.json (feed 1),${IMPORTED}`,
  );
  // A value that a spreadsheet would run as a formula is quoted and defused.
  assert.ok(
    admin.includes(
      `user-agent,"'=cmd|"" /c calc""!A1, ""x""",found,2022-10-04T00:00:00.000Z,2022-10-05T00:00:00.000Z,3,zulu/ex1,zulu,,`,
    ),
  );
  const tenant = fleetIndicatorsCsv(
    rows().filter((r) => r.organisation.name === 'alpha'),
    { where: 'server' },
  ).split('\r\n');
  assert.equal(tenant[0], 'type,value,kind,first_seen,last_seen,scans,servers,feed,stix_id');
  assert.match(tenant[1] ?? '', /^ip,203\.0\.113\.9,matched,.*,3,ex1; ex2,cert\.json \(feed 1\),/);
  assert.equal(tenant.length, 3);
});
