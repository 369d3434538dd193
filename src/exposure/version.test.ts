// Tests for version parsing, formatting and numeric comparison.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareVersions,
  cuKey,
  formatLongVersion,
  formatVersion,
  lineKey,
  parseVersion,
} from './version.js';

test('long and short forms parse to the same numbers', () => {
  assert.deepEqual(parseVersion('15.01.2375.007'), [15, 1, 2375, 7]);
  assert.deepEqual(parseVersion('15.1.2375.7'), [15, 1, 2375, 7]);
  assert.deepEqual(parseVersion(' 15.02.0986.036 '), [15, 2, 986, 36]);
  assert.deepEqual(parseVersion('15.1.2242'), [15, 1, 2242]);
});

test('non-versions are refused', () => {
  for (const s of ['', '15', '15.1', 'a.b.c.d', '15.1.2375.7.1', '15.1.2375.x', '1.2.3.999999']) {
    assert.equal(parseVersion(s), undefined, s);
  }
});

test('comparison is numeric per component, not textual', () => {
  const cmp = (a: string, b: string) => compareVersions(parseVersion(a)!, parseVersion(b)!);
  assert.equal(cmp('15.1.2375.7', '15.01.2375.007'), 0);
  assert.equal(cmp('15.2.986.9', '15.2.986.14'), -1); // textually "9" > "14"
  assert.equal(cmp('15.2.1118.7', '15.2.986.36'), 1); // textually "1118" < "986"
  assert.equal(cmp('15.0.1497.44', '15.1.225.42'), -1);
  assert.equal(cmp('15.1.2242', '15.1.2242.4'), -1);
});

test('formats and keys', () => {
  const v = parseVersion('15.2.858.5')!;
  assert.equal(formatVersion(v), '15.2.858.5');
  assert.equal(formatLongVersion(v), '15.02.0858.005');
  assert.equal(cuKey(v), '15.2.858');
  assert.equal(lineKey(v), '15.2');
  assert.equal(lineKey(parseVersion('14.3.513.0')!), '14');
});
