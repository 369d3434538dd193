// Round trip: import a STIX bundle, match real log records, export STIX and CSV; the sightings point back.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { Hit } from '../core/detector.js';
import type { Finding } from '../core/finding.js';
import type { LogRecord } from '../core/record.js';
import { toFinding } from '../engine/read-artifact.js';
import type { ScanReport } from '../core/report.js';
import { STIX_BUNDLE } from '../rules/ioc/fixtures.js';
import { importFeed } from '../rules/ioc/load.js';
import { iocMatchers } from '../rules/ioc/match.js';
import { parsePattern } from '../rules/ioc/stix-pattern.js';
import { IndicatorStore } from '../rules/ioc/store.js';
import { parseWith } from '../sources/parse-text.js';
import { indicatorsCsv, toStixBundle, uuidv5 } from './stix.js';

type Obj = { type: string; id: string; [k: string]: unknown };

const IIS =
  '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2022-10-03 06:00:00\r\n' +
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status\r\n' +
  '2022-10-03 06:49:42 10.0.0.5 POST /owa/auth/x.js - 443 - 203.0.113.9 EvilClient/1.0 200\r\n' +
  '2022-10-03 07:10:00 10.0.0.5 GET /owa/ - 443 - 198.51.100.20 Mozilla/5.0 302\r\n' +
  '2022-10-03 08:00:00 10.0.0.5 POST /ecp/y.js - 443 - 203.0.113.9 EvilClient/1.0 200\r\n';

/** The finding the engine makes of a hit on a record (typed sections filled from the record). */
function finding(h: Hit, r: LogRecord, path: string): Finding {
  return toFinding(h, r, path);
}

function reportOf(findings: Finding[]): ScanReport {
  return {
    schemaVersion: '1.0.0',
    tool: { name: 'exhunt', version: '0.1.0' },
    scan: {
      startedAt: '2024-01-01T00:00:00.000Z',
      finishedAt: '2024-01-01T00:01:00.000Z',
      evidence: { root: '/cases/ex01', kind: 'folder' },
      layout: 'collected',
    },
    verdict: 'attempted',
    explanation: '',
    decisive: [],
    findings,
    webshells: [
      {
        path: 'C/inetpub/wwwroot/aspnet_client/zz.aspx',
        sha256: 'ab'.repeat(32),
        size: 10,
        reasons: ['x'],
        modified: '2022-10-03T06:50:00.000Z',
      },
    ],
    artifacts: [],
    coverage: [],
    problems: [],
    rules: { loaded: 0, skipped: [], notApplicable: 0, detectors: 0 },
    stats: { artifacts: 0, bytes: 0, records: 0, badRecords: 0, problems: 0 },
  };
}

function scanned(): { report: ScanReport; store: IndicatorStore } {
  const store = new IndicatorStore(importFeed(STIX_BUNDLE, 'cert.json', 'cert.json').indicators);
  const path = 'inetpub/logs/LogFiles/W3SVC1/u_ex221003.log';
  const { records } = parseWith('iis-w3c', path, IIS);
  const m = iocMatchers(store)('iis-w3c');
  const findings = records.flatMap((r) =>
    m.flatMap((x) => x.check(r, { path }) ?? []).map((h) => finding(h, r, path)),
  );
  // A finding of another rule: its public client address and agent are exported as found by the scan.
  findings.push({
    id: 'f-other',
    rule: { id: 'exhunt.x', title: 'x', author: 'exhunt', source: 'exhunt' },
    severity: 'high',
    cves: [],
    stage: 'exploit',
    outcome: 'success',
    time: '2022-10-03T09:00:00.000Z',
    sourceIps: ['192.0.2.44', '10.0.0.9'],
    userAgent: 'python-requests/2.28.1',
    evidence: [{ path, excerpt: '' }],
  });
  return { report: reportOf(findings), store };
}

test('uuidv5 matches the RFC 4122 example value', () => {
  // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
  assert.equal(
    uuidv5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org'),
    '886313e1-3b8a-5372-9b90-0c9aee199e5d',
  );
});

test('STIX round trip: sightings reference the imported indicators, with counts and times', () => {
  const { report, store } = scanned();
  const bundle = toStixBundle(report, store) as { type: string; id: string; objects: Obj[] };
  assert.equal(bundle.type, 'bundle');
  const byId = new Map(bundle.objects.map((o) => [o.id, o]));
  const sightings = bundle.objects.filter((o) => o.type === 'sighting');
  const of = (id: string) => sightings.find((s) => s.sighting_of_ref === id);

  const ipInd = 'indicator--0a000000-0000-4000-8000-000000000001';
  const s1 = of(ipInd);
  assert.ok(s1, 'sighting of the imported address indicator');
  // 203.0.113.9 twice and 198.51.100.20 (inside the imported range) once: one indicator, three sightings.
  assert.equal(s1.count, 3);
  assert.equal(s1.first_seen, '2022-10-03T06:49:42.000Z');
  assert.equal(s1.last_seen, '2022-10-03T08:00:00.000Z');
  const imported = byId.get(ipInd)!;
  assert.equal(
    imported.pattern,
    "[ipv4-addr:value = '203.0.113.9'] OR [ipv4-addr:value ISSUBSET '198.51.100.0/24']",
  );
  assert.equal(imported.name, 'Exploitation sources');

  const uaInd = 'indicator--0a000000-0000-4000-8000-000000000003';
  assert.equal(of(uaInd)?.count, 2);
  for (const s of sightings) {
    assert.ok(byId.has(s.sighting_of_ref as string), 'every sighting points at an object in the bundle');
    for (const r of (s.observed_data_refs as string[] | undefined) ?? []) {
      const od = byId.get(r)!;
      assert.equal(od.type, 'observed-data');
      for (const x of od.object_refs as string[]) assert.ok(byId.has(x), `${x} is in the bundle`);
    }
  }
  // The observed addresses are the ones seen, not the range; the HTTP request carries the agent.
  const seen = bundle.objects.filter((o) => o.type === 'ipv4-addr').map((o) => o.value);
  assert.deepEqual([...seen].sort(), ['192.0.2.44', '198.51.100.20', '203.0.113.9']);
  const req = bundle.objects.find((o) => o.type === 'network-traffic') as Obj & {
    extensions: Record<string, { request_header: Record<string, string>; request_method: string }>;
  };
  assert.equal(req.extensions['http-request-ext']?.request_header['User-Agent'], 'EvilClient/1.0');
  assert.equal(req.extensions['http-request-ext']?.request_method, 'post');

  // Found by the scan: public address and agent of a successful exploit, and the webshell; never 10.x.
  const generated = bundle.objects.filter(
    (o) => o.type === 'indicator' && !String(o.id).startsWith('indicator--0a'),
  );
  const patterns = generated.map((o) => String(o.pattern)).sort();
  assert.deepEqual(patterns, [
    "[file:hashes.'SHA-256' = '" + 'ab'.repeat(32) + "']",
    "[file:name = 'zz.aspx']",
    "[ipv4-addr:value = '192.0.2.44']",
    "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'python-requests/2.28.1']",
  ]);
  for (const p of patterns) assert.doesNotThrow(() => parsePattern(p));
});

test('STIX export is deterministic, and without the store the imported ids are still referenced', () => {
  const { report, store } = scanned();
  assert.equal(JSON.stringify(toStixBundle(report, store)), JSON.stringify(toStixBundle(report, store)));
  const bare = toStixBundle(report) as { objects: Obj[] };
  const ind = bare.objects.find((o) => o.id === 'indicator--0a000000-0000-4000-8000-000000000001');
  assert.equal(ind?.pattern, "[ipv4-addr:value = '203.0.113.9']");
  const other = toStixBundle({ ...report, findings: report.findings.slice(1) }, store) as { id: string };
  assert.notEqual(other.id, (toStixBundle(report, store) as { id: string }).id);
});

test('CSV of indicators: one row per value, escaped, with counts', () => {
  const { report } = scanned();
  const csv = indicatorsCsv(report).trimEnd().split('\r\n');
  assert.equal(csv[0], 'type,value,kind,count,first_seen,last_seen,stix_id,feed,finding_ids');
  const ip = csv.find((l) => l.startsWith('ip,203.0.113.9,'));
  assert.match(
    ip ?? '',
    /^ip,203\.0\.113\.9,matched,2,2022-10-03T06:49:42\.000Z,2022-10-03T08:00:00\.000Z,indicator--0a000000-0000-4000-8000-000000000001,cert\.json,\w+ \w+$/,
  );
  assert.ok(csv.some((l) => l.startsWith('sha256,' + 'ab'.repeat(32) + ',found,1,')));
  assert.equal(csv.length, 1 + 7);
});
