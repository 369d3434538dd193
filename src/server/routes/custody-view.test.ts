// The custody view: custody problems counted by kind and listed up to the cap, every other problem left out.

import assert from 'node:assert/strict';
import test from 'node:test';
import { custodyIssues, LIST_MAX } from './custody-view.js';

test('custody problems are counted by kind and listed in order; others are not', () => {
  const problems = [
    { code: 'custody.missing', path: 'C/a.log', message: 'gone', severity: 'error' },
    { code: 'parse.bad-line', path: 'C/b.log', message: 'not custody', severity: 'error' },
    { code: 'custody.hash-mismatch', path: 'C/c.aspx', message: 'other hash', severity: 'error' },
    { code: 'custody.not-collected', message: 'too large', severity: 'warning' },
    { code: 'custody.hash-mismatch', path: 'C/d.aspx', message: 'other hash', severity: 'error' },
    null,
    { code: 42 },
  ];
  const v = custodyIssues(problems);
  assert.deepEqual(v.counts, {
    missing: 1,
    hashMismatch: 2,
    sizeMismatch: 0,
    notCollected: 1,
    unlisted: 0,
    unreadable: 0,
  });
  assert.equal(v.total, 4);
  assert.deepEqual(
    v.list.map((p) => `${p.code} ${p.path ?? '-'}`),
    [
      'custody.missing C/a.log',
      'custody.hash-mismatch C/c.aspx',
      'custody.not-collected -',
      'custody.hash-mismatch C/d.aspx',
    ],
  );
});

test('the list stops at its cap; the counts do not', () => {
  const many = Array.from({ length: LIST_MAX + 7 }, (_, i) => ({
    code: 'custody.unlisted',
    path: `C/x${i}`,
    message: 'added',
    severity: 'warning',
  }));
  const v = custodyIssues(many);
  assert.equal(v.counts.unlisted, LIST_MAX + 7);
  assert.equal(v.total, LIST_MAX + 7);
  assert.equal(v.list.length, LIST_MAX);
});
