// Invariants of the shipped build table: sources, completeness of CUs and SUs, the recorded disagreement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildIndex, indexBuildData, type BuildData } from './data.js';

const { data } = buildIndex();
const has = (product: string, cu: string, su?: string) =>
  data.builds.some((r) => r.product === product && r.cu === cu && r.su === su);

test('every row cites a known source and has a date', () => {
  for (const r of data.builds) {
    assert.ok(r.sources.length > 0 && r.sources.every((s) => data.sources[s]), r.build);
    assert.match(r.released, /^\d{4}-\d{2}/);
  }
});

test('every CU from 2013 CU1, 2016 RTM and 2019 RTM to the last is listed', () => {
  const range = (n: number) => Array.from({ length: n }, (_, i) => `CU${i + 1}`);
  for (const cu of range(23).map((c) => (c === 'CU4' ? 'SP1' : c))) assert.ok(has('2013', cu), `2013 ${cu}`);
  for (const cu of ['RTM', ...range(23)]) assert.ok(has('2016', cu), `2016 ${cu}`);
  for (const cu of ['RTM', ...range(15)]) assert.ok(has('2019', cu), `2019 ${cu}`);
});

test('the March 2021 to November 2022 SUs are there, with a KB each', () => {
  const count = (su: string) => data.builds.filter((r) => r.su === su).length;
  assert.equal(count('Mar21SU'), 4 + 12 + 9);
  assert.equal(count('Apr21SU'), 1 + 2 + 2);
  assert.equal(count('May21SU'), 1 + 2 + 2);
  assert.equal(count('Nov22SU'), 1 + 2 + 2);
  for (const su of [
    'Mar21SU',
    'Apr21SU',
    'May21SU',
    'Jul21SU',
    'Oct21SU',
    'Nov21SU',
    'Jan22SU',
    'Mar22SU',
    'May22SU',
    'Aug22SU',
    'Oct22SU',
    'Nov22SU',
  ]) {
    for (const r of data.builds.filter((b) => b.su === su)) assert.match(r.kb ?? '', /^KB\d{7}$/, r.build);
  }
  assert.ok(
    has('2013', 'CU23', 'Oct22SU') && has('2019', 'CU12', 'Oct22SU') && has('2016', 'CU21', 'Mar22SU'),
  );
});

test('both values of the 2016 CU8/CU9 March 2021 builds are recorded', () => {
  const cu8 = data.builds.find((r) => r.build === '15.1.1415.10');
  assert.deepEqual(
    cu8?.alternatives?.map((a) => a.build),
    ['15.1.1415.8'],
  );
  const cu9 = data.builds.find((r) => r.build === '15.1.1466.16');
  assert.deepEqual(
    cu9?.alternatives?.map((a) => a.build),
    ['15.1.1466.13'],
  );
});

test('a bad row fails at load with the row named', () => {
  const bad: BuildData = {
    ...data,
    builds: [
      { product: '2016', cu: 'CU1', build: '15.2.1.1', released: '2020-01-01', sources: ['css-dict'] },
    ],
  };
  assert.throws(() => indexBuildData(bad), /15\.2\.1\.1: product 2016/);
  const noSource: BuildData = {
    ...data,
    builds: [{ product: '2016', cu: 'CU1', build: '15.1.1.1', released: '2020-01-01', sources: [] }],
  };
  assert.throws(() => indexBuildData(noSource), /no source/);
});
