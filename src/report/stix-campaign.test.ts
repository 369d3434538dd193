import assert from 'node:assert/strict';
import { test } from 'node:test';
import { campaignStixBundle } from './stix-campaign.js';
import type { CampaignExport } from './stix-campaign.js';

const cluster: CampaignExport = {
  id: 7,
  view: 'fleet',
  firstSeen: '2021-03-03T06:00:00.000Z',
  lastSeen: '2021-03-05T06:00:00.000Z',
  stages: ['exploit', 'webshell-use'],
  cves: ['CVE-2021-26855'],
  indicators: [
    { kind: 'webshell-hash', value: 'a'.repeat(64), firstSeen: '2021-03-03T06:00:00.000Z' },
    { kind: 'ip', value: '198.51.100.1', firstSeen: '2021-03-03T06:00:00.000Z' },
    { kind: 'user-agent', value: "evil'tool/1.0", firstSeen: '2021-03-04T06:00:00.000Z' },
    { kind: 'webshell-name', value: 'outlooken.aspx', firstSeen: '2021-03-03T06:00:00.000Z' },
  ],
  victims: [
    {
      kind: 'organisation',
      name: 'north',
      firstSeen: '2021-03-03T06:00:00.000Z',
      lastSeen: '2021-03-04T06:00:00.000Z',
      verdict: 'compromised',
    },
    {
      kind: 'organisation',
      name: 'east',
      firstSeen: '2021-03-05T06:00:00.000Z',
      lastSeen: '2021-03-05T06:00:00.000Z',
      verdict: 'exploited',
    },
  ],
};

type Obj = Record<string, unknown> & { type: string; id: string };
const UUID = /^[a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

test('a cluster as a STIX 2.1 bundle: campaign, intrusion set, indicators with patterns, sightings at victims', () => {
  const b = campaignStixBundle(cluster) as { type: string; id: string; objects: Obj[] };
  assert.equal(b.type, 'bundle');
  assert.match(b.id, UUID);
  const ids = new Set(b.objects.map((o) => o.id));
  assert.equal(ids.size, b.objects.length, 'ids are unique');
  for (const o of b.objects) {
    assert.match(o.id, UUID, o.id);
    assert.ok(o.id.startsWith(`${o.type}--`), o.id);
    assert.equal(o.spec_version, '2.1');
    assert.match(String(o.created), TIME);
    assert.match(String(o.modified), TIME);
    assert.ok(String(o.modified) >= String(o.created), o.id);
    for (const [k, v] of Object.entries(o))
      if (k.endsWith('_ref')) assert.ok(ids.has(String(v)), `${o.id} ${k} → ${String(v)}`);
      else if (k.endsWith('_refs'))
        for (const r of v as string[]) assert.ok(ids.has(r), `${o.id} ${k} → ${r}`);
  }
  const of = (t: string) => b.objects.filter((o) => o.type === t);
  assert.equal(of('campaign').length, 1);
  assert.equal(of('intrusion-set').length, 1);
  assert.equal(of('vulnerability').length, 1);
  const campaign = of('campaign')[0] as Obj;
  assert.equal(campaign.first_seen, cluster.firstSeen);
  const patterns = of('indicator')
    .map((o) => o.pattern)
    .sort();
  assert.deepEqual(patterns, [
    "[file:hashes.'SHA-256' = '" + 'a'.repeat(64) + "']",
    "[file:name = 'outlooken.aspx']",
    "[ipv4-addr:value = '198.51.100.1']",
    "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'evil\\'tool/1.0']",
  ]);
  const sightings = of('sighting');
  assert.equal(sightings.length, 2);
  for (const s of sightings) {
    assert.equal(s.sighting_of_ref, campaign.id);
    const where = b.objects.find((o) => o.id === (s.where_sighted_refs as string[])[0]);
    assert.equal(where?.type, 'identity');
    assert.equal(where?.identity_class, 'organization');
  }
  const rels = of('relationship')
    .map((r) => r.relationship_type)
    .sort();
  assert.deepEqual(rels, ['attributed-to', 'indicates', 'indicates', 'indicates', 'indicates', 'targets']);
  // Deterministic: the same cluster gives the same bundle.
  assert.deepEqual(campaignStixBundle(cluster), b);
});
