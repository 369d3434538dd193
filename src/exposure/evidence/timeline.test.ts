// Tests for the build timeline read from `#Version:` directives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTimeline } from './timeline.js';

const obs = (build: string, time: string | undefined, path = 'Logging/HttpProxy/Ecp/x.log') => ({
  build,
  time,
  path,
});

test('builds over time, the update install bracket and the windows per CVE', () => {
  const t = buildTimeline([
    obs('15.01.2176.002', '2021-02-20T00:00:00.000Z'),
    obs('15.01.2176.002', '2021-03-03T10:00:00.000Z'),
    obs('15.01.2176.009', '2021-03-05T08:00:00.000Z'),
    obs('15.1.2176.9', '2021-03-06T08:00:00.000Z'),
    obs('15.01.2375.037', '2022-11-20T08:00:00.000Z'),
  ]);
  assert.deepEqual(
    t.builds.map((b) => [b.build, b.files, b.first, b.last, b.name]),
    [
      ['15.1.2176.2', 2, '2021-02-20T00:00:00.000Z', '2021-03-03T10:00:00.000Z', '2016 CU19'],
      ['15.1.2176.9', 2, '2021-03-05T08:00:00.000Z', '2021-03-06T08:00:00.000Z', '2016 CU19 Mar21SU'],
      ['15.1.2375.37', 1, '2022-11-20T08:00:00.000Z', '2022-11-20T08:00:00.000Z', '2016 CU22 Nov22SU'],
    ],
  );
  assert.deepEqual(t.changes[0], {
    from: '15.1.2176.2',
    to: '15.1.2176.9',
    name: '2016 CU19 Mar21SU',
    after: '2021-03-03T10:00:00.000Z',
    before: '2021-03-05T08:00:00.000Z',
  });
  const pl = t.windows.filter((w) => w.cve === 'CVE-2021-26855');
  assert.deepEqual(
    pl.map((w) => [w.state, w.from, w.to]),
    [
      ['vulnerable', undefined, '2021-03-05T08:00:00.000Z'],
      ['patched', '2021-03-05T08:00:00.000Z', undefined],
    ],
  );
  const pns = t.windows.filter((w) => w.cve === 'CVE-2022-41040');
  assert.deepEqual(
    pns.map((w) => [w.state, w.from, w.to, w.builds]),
    [
      ['vulnerable', undefined, '2022-11-20T08:00:00.000Z', ['15.1.2176.2', '15.1.2176.9']],
      ['patched', '2022-11-20T08:00:00.000Z', undefined, ['15.1.2375.37']],
    ],
  );
});

test('a rollback shows as a new vulnerable window', () => {
  const t = buildTimeline([
    obs('15.2.792.10', '2021-03-10T00:00:00.000Z'),
    obs('15.2.792.3', '2021-03-12T00:00:00.000Z'),
    obs('15.2.792.10', '2021-03-14T00:00:00.000Z'),
  ]);
  assert.deepEqual(
    t.windows.filter((w) => w.cve === 'CVE-2021-26855').map((w) => w.state),
    ['patched', 'vulnerable', 'patched'],
  );
  assert.equal(t.changes.length, 2);
});

test('without times builds are taken in version order; bad directives are listed, not fatal', () => {
  const t = buildTimeline([
    obs('15.0.1497.44', undefined),
    obs('15.0.1497.2', undefined),
    obs('garbage', undefined, 'a.log'),
  ]);
  assert.deepEqual(t.unreadable, [{ build: 'garbage', path: 'a.log' }]);
  const w = t.windows.filter((x) => x.cve === 'CVE-2022-41082');
  assert.deepEqual(
    w.map((x) => [x.state, x.from, x.to]),
    [
      ['vulnerable', undefined, undefined],
      ['patched', undefined, undefined],
    ],
  );
  assert.deepEqual(buildTimeline([]).windows, []);
});
