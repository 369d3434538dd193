// What triage reads from a report: each fact from its own part of the report, and nothing from the rest.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from './finding.js';
import type { ExposedItem, ScanReport } from './report.js';
import { addTriageEvidence, triageEvidence } from './triage-evidence.js';

function f(id: string, over: Partial<Finding> = {}): Finding {
  return {
    id,
    rule: { id: 'r', title: 'Rule', author: 'exhunt', source: 'exhunt' },
    severity: 'high',
    cves: [],
    stage: 'exploit',
    outcome: 'success',
    time: '2024-06-01T00:00:00.000Z',
    sourceIps: ['203.0.113.9'],
    evidence: [{ path: 'x.log', line: 1, excerpt: 'x' }],
    ...over,
  };
}

function item(kind: ExposedItem['kind'], target: string, confidence: ExposedItem['confidence']): ExposedItem {
  return { kind, target, description: '', confidence, basis: '', sessions: [], findings: [], evidence: [] };
}

function report(over: Partial<ScanReport> = {}): ScanReport {
  return {
    schemaVersion: '1.2.0',
    tool: { name: 'exhunt', version: '0' },
    scan: {
      startedAt: '2024-06-10T10:00:00.000Z',
      finishedAt: '2024-06-10T10:05:00Z',
      evidence: { root: '/e', kind: 'folder' },
      layout: 'collected',
    },
    verdict: 'clean',
    explanation: '',
    decisive: [],
    findings: [],
    webshells: [],
    artifacts: [],
    coverage: [],
    problems: [],
    rules: { loaded: 0, skipped: [], notApplicable: 0, detectors: 0 },
    stats: { artifacts: 0, bytes: 0, records: 0, badRecords: 0, problems: 0 },
    ...over,
  };
}

test('an empty report gives nothing to weigh, and its finish time normalised', () => {
  const e = triageEvidence(report());
  assert.equal(e.scannedAt, '2024-06-10T10:05:00.000Z');
  assert.equal(e.lastActivity, null);
  assert.equal(e.webshells.count + e.credentials.count + e.data.mailboxes + e.openCves.length, 0);
});

test('the last attacker activity ignores probes, suspicious and context findings', () => {
  const e = triageEvidence(
    report({
      findings: [
        f('a', { outcome: 'attempt', time: '2024-06-02T00:00:00.000Z' }),
        f('b', { outcome: 'compromise', time: '2024-06-03T00:00:00.000Z' }),
        f('c', { outcome: 'probe', time: '2024-06-09T00:00:00.000Z' }),
        f('d', { outcome: 'context', time: '2024-06-09T00:00:00.000Z' }),
        f('e', { outcome: 'success', time: 'not a time' }),
      ],
    }),
  );
  assert.equal(e.lastActivity, '2024-06-03T00:00:00.000Z');
});

test('webshells on disk: the count and the first paths', () => {
  const ws = ['a', 'b', 'c', 'd'].map((n) => ({
    path: `aspnet_client/${n}.aspx`,
    sha256: n,
    size: 1,
    reasons: [],
  }));
  const e = triageEvidence(report({ webshells: ws }));
  assert.equal(e.webshells.count, 4);
  assert.deepEqual(e.webshells.paths, [
    'aspnet_client/a.aspx',
    'aspnet_client/b.aspx',
    'aspnet_client/c.aspx',
  ]);
});

test('credentials and data come from the exposure section, and never from what is only possible', () => {
  const e = triageEvidence(
    report({
      dataExposure: {
        items: [
          item('credentials', 'inetpub/lsass.dmp', 'seen'),
          item('credentials', 'every account', 'possible'),
          item('mailbox-export', 'ceo → x.pst', 'seen'),
          item('mailbox', 'every mailbox, through EWS', 'likely'),
          item('mailbox', 'mailboxes, through OWA', 'possible'),
          item('address-book', 'the offline address book', 'seen'),
          item('identity', 'admin', 'seen'),
        ],
        cannotShow: [],
      },
    }),
  );
  assert.deepEqual(e.credentials, { count: 1, targets: ['inetpub/lsass.dmp (seen)'] });
  assert.deepEqual(
    { ...e.data, targets: e.data.targets.length },
    { mailboxes: 1, exports: 1, addressBook: 1, targets: 3 },
  );
  assert.equal(e.data.targets[0], 'ceo → x.pst (seen)', 'exports listed first');
});

test('a report without an exposure section: credential findings that worked count, attempts do not', () => {
  const e = triageEvidence(
    report({
      findings: [
        f('d', { stage: 'credential-access', outcome: 'compromise', summary: 'procdump -ma lsass' }),
        f('t', { stage: 'credential-access', outcome: 'attempt' }),
        f('s', { stage: 'credential-access', outcome: 'context' }),
      ],
    }),
  );
  assert.deepEqual(e.credentials, { count: 1, targets: ['procdump -ma lsass'] });
});

test('open CVEs are the vulnerable ones no effective mitigation covers; an override replaces the section', () => {
  const exposure: NonNullable<ScanReport['exposure']> = {
    build: '15.1.2176.2',
    cves: [
      { cve: 'CVE-2021-26855', campaign: 'ProxyLogon', state: 'vulnerable', reason: '' },
      { cve: 'CVE-2022-41040', campaign: 'ProxyNotShell', state: 'vulnerable', reason: '' },
      { cve: 'CVE-2021-34473', campaign: 'ProxyShell', state: 'patched', reason: '' },
    ],
    missing: [],
    timeline: { builds: [], changes: [], windows: [] },
    mitigations: [
      { path: 'web.config', cve: 'CVE-2022-41040', tool: 'EOMT', state: 'mitigated', rules: [] },
      { path: 'web.config', cve: 'CVE-2021-26855', tool: 'EOMT', state: 'partial', rules: [] },
    ],
    notes: [],
  };
  const e = triageEvidence(report({ exposure }));
  assert.deepEqual(e.openCves, ['CVE-2021-26855']);
  assert.deepEqual(e.mitigatedCves, ['CVE-2022-41040']);
  assert.equal(e.build, '15.1.2176.2');
  const o = triageEvidence(report({ exposure }), { build: '15.2.1118.7', vulnerable: [] });
  assert.deepEqual([o.build, o.openCves], ['15.2.1118.7', []]);
});

test("addTriageEvidence: an agent batch raises the verdict and the activity, sums counts, keeps the scan's build", () => {
  const scan = triageEvidence(
    report({ verdict: 'compromised', webshells: [{ path: 'a.aspx', sha256: '', size: 1, reasons: [] }] }),
    { build: '15.2.1118.7', vulnerable: ['CVE-2022-41082'] },
  );
  const batch = triageEvidence(report({ findings: [f('x', { time: '2024-07-01T00:00:00.000Z' })] }));
  const sum = addTriageEvidence(scan, { ...batch, verdict: 'exploited' });
  assert.equal(sum.verdict, 'compromised', 'never lowered');
  assert.equal(sum.lastActivity, '2024-07-01T00:00:00.000Z');
  assert.equal(sum.webshells.count, 1);
  assert.equal(sum.build, '15.2.1118.7');
  assert.deepEqual(sum.openCves, scan.openCves);
  assert.equal(sum.scannedAt, scan.scannedAt, "the latest scan's time: an agent does not read everything");
  // A batch with no attack (verdict null) changes no verdict, even on a server with none yet.
  const none = addTriageEvidence({ ...scan, verdict: null }, { ...batch, verdict: null });
  assert.equal(none.verdict, null);
  const twice = addTriageEvidence(sum, {
    ...batch,
    verdict: 'compromised',
    webshells: { count: 2, paths: ['b', 'c'] },
  });
  assert.deepEqual([twice.webshells.count, twice.webshells.paths], [3, ['a.aspx', 'b', 'c']]);
});
