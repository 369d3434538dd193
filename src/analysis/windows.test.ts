// Tests for findings against exposure windows and for the exposure the logs cannot clear.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { Finding } from '../core/finding.js';
import type { ExposureReport } from '../core/report.js';
import { applyPass } from './passes/index.js';
import { exposureWindowsPass } from './passes/exposure-windows.js';
import { stateAt, uncoveredExposure } from './windows.js';

const windows: ExposureReport['timeline']['windows'] = [
  {
    cve: 'CVE-2021-26855',
    campaign: 'ProxyLogon',
    state: 'vulnerable',
    builds: ['15.1.2176.2'],
    to: '2021-03-08T22:20:34.002Z',
  },
  {
    cve: 'CVE-2021-26855',
    campaign: 'ProxyLogon',
    state: 'patched',
    builds: ['15.1.2176.9'],
    from: '2021-03-08T22:20:34.002Z',
  },
];
const exposure: ExposureReport = {
  cves: [],
  missing: [],
  timeline: { builds: [], changes: [], windows },
  mitigations: [],
  notes: [],
};

const finding = (time: string): Finding => ({
  id: time,
  rule: { id: 'r', title: 't', author: 'a', source: 'exhunt' },
  severity: 'high',
  cves: ['CVE-2021-26855'],
  stage: 'exploit',
  outcome: 'attempt',
  time,
  sourceIps: [],
  evidence: [{ path: 'p', excerpt: 'x' }],
});

test('the state at a time follows the windows, edges included', () => {
  assert.equal(stateAt(windows, 'CVE-2021-26855', '2021-03-03T00:00:00.000Z'), 'vulnerable');
  assert.equal(stateAt(windows, 'CVE-2021-26855', '2021-03-08T22:20:34.002Z'), 'patched');
  assert.equal(stateAt(windows, 'CVE-2021-34473', '2021-03-03T00:00:00.000Z'), undefined);
});

test('only findings from a patched period are marked', () => {
  const before = finding('2021-03-03T06:49:46.210Z');
  const after = finding('2021-03-10T00:00:00.000Z');
  applyPass(exposureWindowsPass, [before, after], { artifacts: [], internal: {}, exposure });
  assert.equal(before.details?.exposureWindow, undefined);
  assert.equal(after.details?.exposureWindow, 'outside');
  assert.match(after.note ?? '', /not vulnerable to CVE-2021-26855/);
});

test('a vulnerable period from before the logs begin is exposure the logs cannot clear', () => {
  assert.equal(uncoveredExposure(exposure, '2021-03-01T00:00:00.000Z').length, 1);
  assert.equal(uncoveredExposure(undefined, '2021-03-01T00:00:00.000Z').length, 0);
  const patchedOnly = { ...exposure, timeline: { ...exposure.timeline, windows: [windows[1]!] } };
  assert.equal(uncoveredExposure(patchedOnly, '2021-03-01T00:00:00.000Z').length, 0);
});
