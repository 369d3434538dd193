// Tests for the integrity section and how losses and missing days lower a clean verdict.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { Artifact } from '../core/artifact.js';
import type { Problem } from '../core/problem.js';
import type { ExposureReport } from '../core/report.js';
import { coverageOf } from './coverage.js';
import { integrityOf } from './integrity.js';
import type { IntegrityInput } from './integrity.js';
import { finding } from './testkit.js';
import { decideVerdict } from './verdict.js';

function iis(day: string, extra: Partial<Artifact> = {}): Artifact {
  return {
    path: `inetpub/logs/LogFiles/W3SVC1/u_ex${day.replace(/-/g, '').slice(2)}.log`,
    source: 'iis-w3c',
    family: 'IIS/W3SVC1',
    size: 1000,
    sha256: 'a'.repeat(64),
    records: 10,
    badRecords: 0,
    firstTime: `${day}T00:00:05.000Z`,
    lastTime: `${day}T23:59:50.000Z`,
    ...extra,
  };
}

function input(
  artifacts: Artifact[],
  problems: Problem[] = [],
  extra: Partial<IntegrityInput> = {},
): IntegrityInput {
  return {
    artifacts,
    problems,
    familyOf: () => undefined,
    skipped: [],
    listed: { files: artifacts.length, bytes: artifacts.reduce((n, a) => n + a.size, 0) },
    access: { noatime: 'used', note: 'test' },
    ...extra,
  };
}

const days = ['2021-03-01', '2021-03-02', '2021-03-03'];

function verdictOf(
  i: IntegrityInput,
  findings = [] as ReturnType<typeof finding>[],
  exposure?: ExposureReport,
) {
  const integrity = integrityOf({ ...i, ...(exposure ? { exposure } : {}) });
  return { integrity, ...decideVerdict(findings, coverageOf(i.artifacts), exposure, integrity) };
}

test('a clean scan with every file read stays clean and complete', () => {
  const v = verdictOf(input(days.map((d) => iis(d))));
  assert.equal(v.verdict, 'clean');
  assert.equal(v.integrity.complete, true);
  assert.deepEqual(v.integrity.losses, []);
});

test('bad lines in a web log turn clean into inconclusive, naming the file and line', () => {
  const arts = days.map((d) => iis(d));
  arts[1]!.badRecords = 7;
  const bad: Problem = {
    code: 'w3c.bad-line',
    message: 'line has 3 fields',
    path: arts[1]!.path,
    line: 12,
    severity: 'error',
  };
  const v = verdictOf(input(arts, [bad]));
  assert.equal(v.verdict, 'inconclusive');
  assert.match(v.explanation, /u_ex210302\.log:12/);
  assert.match(v.explanation, /7 records/);
  assert.equal(v.integrity.complete, false);
  const loss = v.integrity.losses[0]!;
  assert.equal(loss.loss, 'records');
  assert.equal(loss.lowers, true);
  assert.equal(loss.family, 'IIS/W3SVC1');
  assert.equal(v.integrity.files.withLoss, 1);
});

test('problems that cost nothing (a finding cap, a rule that did not load) leave the verdict alone', () => {
  const arts = days.map((d) => iis(d));
  const v = verdictOf(
    input(arts, [
      { code: 'limit.findings', message: 'cap', path: arts[0]!.path, severity: 'limit' },
      { code: 'sigma.yaml', message: 'bad rule', path: 'rules/x.yml', line: 1, severity: 'error' },
    ]),
  );
  assert.equal(v.verdict, 'clean');
  assert.deepEqual(v.integrity.losses, []);
});

test('an unknown problem code counts as a loss, never as nothing', () => {
  const arts = days.map((d) => iis(d));
  const v = verdictOf(
    input(arts, [{ code: 'new.thing', message: 'x', path: arts[0]!.path, severity: 'warning' }]),
  );
  assert.equal(v.verdict, 'inconclusive');
  assert.equal(v.integrity.losses[0]!.loss, 'part');
});

test('an unreadable file exhunt would have read lowers the verdict; one it would not read is listed only', () => {
  const arts = days.map((d) => iis(d));
  const unreadLog: Problem = {
    code: 'evidence.unreadable-file',
    message: 'EACCES',
    path: 'inetpub/logs/LogFiles/W3SVC1/u_ex210304.log',
    severity: 'error',
    bytes: 5000,
  };
  const unreadOther: Problem = {
    code: 'evidence.unreadable-file',
    message: 'EACCES',
    path: 'Windows/System32/config/SAM',
    severity: 'error',
  };
  const familyOf = (p: Problem) => (p.path?.startsWith('inetpub/') ? 'IIS/W3SVC1' : undefined);
  const v = verdictOf(input(arts, [unreadOther, unreadLog], { familyOf }));
  assert.equal(v.verdict, 'inconclusive');
  const [first, second] = v.integrity.losses;
  assert.equal(first!.path, unreadLog.path);
  assert.equal(first!.lowers, true);
  assert.equal(second!.path, unreadOther.path);
  assert.equal(second!.lowers, false);
  assert.match(second!.why ?? '', /not a file exhunt reads/);
  assert.equal(v.integrity.files.unread, 2);
  assert.equal(v.integrity.bytes.unread, 5000);
});

test('a missing day inside the web logs lowers clean; the explanation names the day', () => {
  const arts = ['2021-03-01', '2021-03-02', '2021-03-04', '2021-03-05'].map((d) => iis(d));
  const v = verdictOf(input(arts));
  assert.equal(v.verdict, 'inconclusive');
  assert.deepEqual(
    v.integrity.gaps.map((g) => [g.family, g.from, g.to, g.days, g.lowers]),
    [['IIS/W3SVC1', '2021-03-03', '2021-03-03', 1, true]],
  );
  assert.match(v.explanation, /2021-03-03 \(IIS\/W3SVC1, 1 day\)/);
  const cov = coverageOf(arts)[0]!;
  assert.equal(cov.days, 4);
  assert.deepEqual(cov.gaps, [{ from: '2021-03-03', to: '2021-03-03', days: 1 }]);
});

test('a gap while the server was patched is shown but does not lower the verdict', () => {
  const arts = ['2021-03-01', '2021-03-02', '2021-03-04'].map((d) => iis(d));
  const exposure = {
    cves: [],
    missing: [],
    timeline: {
      builds: [],
      changes: [],
      windows: [{ cve: 'CVE-2021-26855', campaign: 'ProxyLogon', state: 'patched', builds: ['15.1.2176.9'] }],
    },
    mitigations: [],
    notes: [],
  } as ExposureReport;
  const v = verdictOf(input(arts), [], exposure);
  assert.equal(v.verdict, 'clean');
  assert.equal(v.integrity.gaps[0]!.inExposure, false);
  assert.equal(v.integrity.gaps[0]!.lowers, false);
});

test('HttpProxy protocols may skip days; HttpProxy as a whole may not', () => {
  const hp = (family: string, day: string): Artifact => ({
    ...iis(day),
    path: `Logging/HttpProxy/${family}/${day}.log`,
    source: 'httpproxy',
    family: `HttpProxy/${family}`,
  });
  const quiet = verdictOf(
    input([hp('Owa', '2021-03-01'), hp('Ecp', '2021-03-02'), hp('Owa', '2021-03-03'), iis('2021-03-01')]),
  );
  assert.equal(quiet.integrity.gaps.filter((g) => g.lowers).length, 0, JSON.stringify(quiet.integrity.gaps));
  const hole = verdictOf(input([hp('Owa', '2021-03-01'), hp('Owa', '2021-03-03')]));
  assert.deepEqual(
    hole.integrity.gaps.filter((g) => g.lowers).map((g) => g.family),
    ['HttpProxy'],
  );
});

test('a loss in a file written before the server was first exposed does not lower the verdict', () => {
  const arts = days.map((d) => iis(d, { modified: `${d}T23:59:59.000Z` }));
  const exposure = {
    cves: [],
    missing: [],
    timeline: {
      builds: [],
      changes: [],
      windows: [
        {
          cve: 'CVE-2021-26855',
          campaign: 'ProxyLogon',
          state: 'vulnerable',
          from: '2021-03-02T12:00:00.000Z',
          builds: [],
        },
      ],
    },
    mitigations: [],
    notes: [],
  } as ExposureReport;
  const problem = (path: string): Problem => ({
    code: 'w3c.bad-line',
    message: 'x',
    path,
    line: 2,
    severity: 'error',
  });
  const before = verdictOf(input(arts, [problem(arts[0]!.path)]), [], exposure);
  assert.equal(before.integrity.losses[0]!.lowers, false);
  assert.match(before.integrity.losses[0]!.why ?? '', /before the server was first exposed/);
  const during = verdictOf(input(arts, [problem(arts[2]!.path)]), [], exposure);
  assert.equal(during.integrity.losses[0]!.lowers, true);
  assert.equal(during.verdict, 'inconclusive');
});

test('a verdict above clean keeps its word and says the attack may have gone further', () => {
  const arts = days.map((d) => iis(d));
  const f = finding({
    outcome: 'attempt',
    rule: { id: 'r', title: 'Probe', author: 'exhunt', source: 'exhunt' },
  });
  const v = verdictOf(
    input(arts, [
      {
        code: 'evtx.bad-chunk-checksum',
        message: 'crc',
        path: arts[0]!.path,
        offset: 4096,
        severity: 'error',
      },
    ]),
    [f],
  );
  assert.equal(v.verdict, 'attempted');
  assert.match(v.explanation, /may have gone further/);
  assert.match(v.explanation, /u_ex210301\.log@4096/);
});

test('web logs whose records carry no readable time cannot clear the server', () => {
  const arts = [iis('2021-03-01')];
  delete arts[0]!.firstTime;
  delete arts[0]!.lastTime;
  const v = verdictOf(input(arts));
  assert.equal(v.verdict, 'inconclusive');
  assert.match(v.explanation, /no record with a readable time/);
});
