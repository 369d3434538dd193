// The decision rule against every row of the guide's build table (exchange-forensics.md §3) and its edge cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessBuild, exposureExitCode, type ExposureState } from './assess.js';
import { lookupBuild } from './lookup.js';

const PL = ['CVE-2021-26855', 'CVE-2021-26857', 'CVE-2021-26858', 'CVE-2021-27065'];
const PS_EARLY = ['CVE-2021-34473', 'CVE-2021-34523'];
const PS_LATE = ['CVE-2021-31207'];
const PNS = ['CVE-2022-41040', 'CVE-2022-41082', 'CVE-2022-41080'];

/** The guide's table as written: builds, release date (when one date), then the PL, PS and PNS letters. */
const TABLE: [string[], string | undefined, string, string, string][] = [
  [
    [
      '15.2.330.11',
      '15.2.397.11',
      '15.2.464.15',
      '15.2.529.13',
      '15.2.595.8',
      '15.2.659.12',
      '15.2.721.13',
      '15.2.221.18',
    ],
    '2021-03-02',
    'F',
    'V',
    'V',
  ],
  [['15.2.792.3'], '2020-12-15', 'V', 'V', 'V'],
  [['15.2.792.10'], '2021-03-02', 'F', 'V', 'V'],
  [['15.2.792.13'], '2021-04-13', 'F', 'P', 'V'],
  [['15.2.792.15'], '2021-05-11', 'F', 'F', 'V'],
  [['15.2.858.5'], '2021-03-16', 'F', 'V', 'V'],
  [['15.2.858.10'], '2021-04-13', 'F', 'P', 'V'],
  [['15.2.858.12'], '2021-05-11', 'F', 'F', 'V'],
  [['15.2.922.7'], '2021-06-29', 'F', 'F', 'V'],
  [['15.2.986.5'], '2021-09-28', 'F', 'F', 'V'],
  [['15.2.986.30'], '2022-10-11', 'F', 'F', 'V'],
  [['15.2.986.36'], '2022-11-08', 'F', 'F', 'F'],
  [['15.2.1118.7'], '2022-04-20', 'F', 'F', 'V'],
  [['15.2.1118.15'], '2022-10-11', 'F', 'F', 'V'],
  [['15.2.1118.20'], '2022-11-08', 'F', 'F', 'F'],
  [['15.2.1258.12'], '2023-05-03', 'F', 'F', 'F'],
  [
    ['15.1.1415.10', '15.1.1466.16', '15.1.1531.12', '15.1.1591.18', '15.1.1713.10', '15.1.1779.8'],
    '2021-03-02',
    'F',
    'V',
    'V',
  ],
  [
    ['15.1.1847.12', '15.1.1913.12', '15.1.1979.8', '15.1.2044.13', '15.1.2106.13'],
    '2021-03-02',
    'F',
    'V',
    'V',
  ],
  [['15.1.2176.2'], '2020-12-15', 'V', 'V', 'V'],
  [['15.1.2176.9'], '2021-03-02', 'F', 'V', 'V'],
  [['15.1.2176.12'], '2021-04-13', 'F', 'P', 'V'],
  [['15.1.2176.14'], '2021-05-11', 'F', 'F', 'V'],
  [['15.1.2242.4'], '2021-03-16', 'F', 'V', 'V'],
  [['15.1.2242.8'], '2021-04-13', 'F', 'P', 'V'],
  [['15.1.2242.10'], '2021-05-11', 'F', 'F', 'V'],
  [['15.1.2308.8'], '2021-06-29', 'F', 'F', 'V'],
  [['15.1.2375.7'], '2021-09-28', 'F', 'F', 'V'],
  [['15.1.2375.32'], '2022-10-11', 'F', 'F', 'V'],
  [['15.1.2375.37'], '2022-11-08', 'F', 'F', 'F'],
  [['15.1.2507.6'], '2022-04-20', 'F', 'F', 'V'],
  [['15.1.2507.13'], '2022-10-11', 'F', 'F', 'V'],
  [['15.1.2507.16'], '2022-11-08', 'F', 'F', 'F'],
  [['15.0.847.64', '15.0.1395.12', '15.0.1473.6'], '2021-03-02', 'F', 'V', 'V'],
  [['15.0.1497.2'], '2019-06-18', 'V', 'V', 'V'],
  [['15.0.1497.12'], '2021-03-02', 'F', 'V', 'V'],
  [['15.0.1497.15'], '2021-04-13', 'F', 'P', 'V'],
  [['15.0.1497.18'], '2021-05-11', 'F', 'F', 'V'],
  [['15.0.1497.42'], '2022-10-11', 'F', 'F', 'V'],
  [['15.0.1497.44'], '2022-11-08', 'F', 'F', 'F'],
];

const letter = (l: string): ExposureState => (l === 'F' ? 'patched' : 'vulnerable');

function states(build: string): Map<string, ExposureState> {
  return new Map(assessBuild(build).cves.map((c) => [c.cve, c.state]));
}

for (const [builds, released, pl, ps, pns] of TABLE) {
  for (const build of builds) {
    test(`guide table: ${build} is PL=${pl} PS=${ps} PNS=${pns}`, () => {
      const s = states(build);
      for (const c of PL) assert.equal(s.get(c), letter(pl), c);
      for (const c of PS_EARLY) assert.equal(s.get(c), letter(ps === 'P' ? 'F' : ps), c);
      for (const c of PS_LATE) assert.equal(s.get(c), letter(ps === 'P' ? 'V' : ps), c);
      for (const c of PNS) assert.equal(s.get(c), letter(pns), c);
      const info = lookupBuild(build);
      assert.equal(info?.listed, true, 'build is in the table');
      if (released) assert.equal(info?.released, released);
    });
  }
}

test('guide table: Exchange 2010 SP3 RU32 fixes 26857 only; the rest never applied to 2010', () => {
  const s = states('14.3.513.0');
  assert.equal(s.get('CVE-2021-26857'), 'patched');
  for (const c of ['CVE-2021-26855', 'CVE-2021-26858', 'CVE-2021-27065', ...PS_EARLY, ...PS_LATE, ...PNS]) {
    assert.equal(s.get(c), 'not-affected', c);
  }
  assert.equal(states('14.3.509.0').get('CVE-2021-26857'), 'vulnerable');
  assert.equal(states('14.2.247.5').get('CVE-2021-26857'), 'vulnerable', 'SP2 never got RU32');
});

test('Exchange 2016 CU8/CU9 March 2021 builds: the sources disagree, so builds between the values are unknown', () => {
  for (const b of ['15.1.1415.8', '15.1.1415.9', '15.1.1466.13', '15.1.1466.15']) {
    const a = assessBuild(b).cves.find((c) => c.cve === 'CVE-2021-26855');
    assert.equal(a?.state, 'unknown', b);
    assert.match(a?.reason ?? '', /disagree/);
  }
  assert.match(
    assessBuild('15.1.1415.8').cves.find((c) => c.cve === 'CVE-2021-26857')?.reason ?? '',
    /15\.1\.1415\.10 or 15\.1\.1415\.8/,
  );
  assert.equal(states('15.1.1415.7').get('CVE-2021-26855'), 'vulnerable');
  assert.equal(states('15.1.1466.16').get('CVE-2021-26855'), 'patched');
});

test('a 3-part build gives the CU: certain only where the SU level does not matter', () => {
  const cu9 = states('15.2.858');
  assert.equal(cu9.get('CVE-2021-26855'), 'patched', 'CU9 is newer than every CU that needed Mar21SU');
  assert.equal(cu9.get('CVE-2021-34473'), 'unknown', 'CU9 has an Apr21SU build');
  assert.equal(cu9.get('CVE-2022-41040'), 'vulnerable', 'CU9 never received Nov22SU');
  const cu22 = states('15.1.2375');
  assert.equal(cu22.get('CVE-2021-31207'), 'patched');
  assert.equal(cu22.get('CVE-2022-41082'), 'unknown');
  assert.ok(assessBuild('15.1.2375').notes.some((n) => /only the CU/.test(n)));
});

test('the fixing update names the server CU when it has one, else the newest CU', () => {
  const own = assessBuild('15.2.1118.15').cves.find((c) => c.cve === 'CVE-2022-41040');
  assert.deepEqual([own?.fix?.su, own?.fix?.build, own?.fix?.kb], ['Nov22SU', '15.2.1118.20', 'KB5019758']);
  const a = assessBuild('15.2.922.27');
  const other = a.cves.find((c) => c.cve === 'CVE-2022-41040');
  assert.equal(other?.state, 'vulnerable');
  assert.match(other?.reason ?? '', /never received Nov22SU/);
  assert.equal(other?.fix?.build, '15.2.1118.20');
  assert.ok(a.missing.some((m) => m.su === 'Nov22SU'));
});

test('long form and later products; CVEs released with the campaigns', () => {
  assert.equal(states('15.01.2375.037').get('CVE-2022-41040'), 'patched');
  assert.equal(states('15.2.2562.17').get('CVE-2021-26855'), 'patched', 'Exchange SE');
  assert.equal(
    states('15.2.659.12').get('CVE-2021-26412'),
    'vulnerable',
    'older-CU Mar21SU fixes ProxyLogon only',
  );
  assert.equal(states('15.2.721.13').get('CVE-2021-26412'), 'patched');
  assert.equal(
    states('15.0.1497.2').get('CVE-2022-41123'),
    'not-affected',
    '41123 affects 2016 and 2019 only',
  );
});

test('unknown builds and non-versions are unknown, and the exit code says so', () => {
  for (const b of ['8.3.517.0', '15.3.1.1', 'not-a-build', '15.1.2400.1']) {
    const a = assessBuild(b);
    assert.ok(
      a.cves.some((c) => c.state === 'unknown'),
      b,
    );
    assert.equal(exposureExitCode(a), 1);
  }
  assert.equal(exposureExitCode(assessBuild('15.2.1748.10')), 0);
  assert.equal(exposureExitCode(assessBuild('15.2.986.5')), 1);
});
