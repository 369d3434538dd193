// Tests for one event read from several files: merged into the original's finding, never within one file.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { Finding } from '../core/finding.js';
import { copyRank, mergeDuplicates } from './duplicates.js';

const f = (path: string, line: number, over: Partial<Finding> = {}, excerpt = `line ${line}`): Finding => ({
  id: `${path}:${line}`,
  rule: { id: 'r', title: 'R', author: 'a', source: 'exhunt' },
  severity: 'high',
  cves: [],
  stage: 'exploit',
  outcome: 'success',
  time: '2021-03-02T22:14:08.907Z',
  sourceIps: ['198.51.100.23'],
  evidence: [{ path, line, excerpt }],
  ...over,
});

const RANKS: Record<string, number> = { 'orig.LOG': 0, 'copy.LOG': 1, 'tpl.csv': 3 };
const rank = (p: string) => RANKS[p] ?? 0;

test('the same request in a log, its copy and Test-ProxyLogon rows is one finding citing all three', () => {
  const id = '3c6f1f0e-5b1a-4e55-9d1e-000000000003';
  const out = mergeDuplicates(
    [
      f('tpl.csv', 5, { outcome: 'compromise' }, `"x","${id}","y"`),
      f('copy.LOG', 10, {}, `x,${id},15,1`),
      f('orig.LOG', 10, {}, `x,${id},15,1`),
    ],
    rank,
  );
  assert.equal(out.length, 1);
  assert.deepEqual(
    out[0]?.evidence.map((e) => `${e.path}:${e.line}`),
    ['orig.LOG:10', 'copy.LOG:10', 'tpl.csv:5'],
  );
  assert.equal(out[0]?.id, 'orig.LOG:10');
  assert.equal(out[0]?.outcome, 'compromise'); // never weaker than any witness
});

test('two look-alike lines of one file stay two; across files they pair one to one', () => {
  const same = { details: { url: '/owa/auth/x.aspx' }, summary: 'GET /owa/auth/x.aspx' };
  const one = mergeDuplicates([f('orig.LOG', 1, same, 'a'), f('orig.LOG', 2, same, 'b')], rank);
  assert.equal(one.length, 2);
  const two = mergeDuplicates(
    [
      f('orig.LOG', 1, same, 'a'),
      f('orig.LOG', 2, same, 'b'),
      f('tpl.csv', 3, same, 'a2'),
      f('tpl.csv', 4, same, 'b2'),
    ],
    rank,
  );
  assert.equal(two.length, 2);
  assert.deepEqual(
    two.map((x) => x.evidence.length),
    [2, 2],
  );
});

test('different requests, other rules, other times and undated findings are not merged', () => {
  // Each row's request id, as the engine reads it from the row's fields into the request section.
  const a = f('orig.LOG', 1, { request: { guids: ['3c6f1f0e-5b1a-4e55-9d1e-00000000000a'] } }, 'x,a');
  const b = f('tpl.csv', 1, { request: { guids: ['3c6f1f0e-5b1a-4e55-9d1e-00000000000b'] } }, 'x,b');
  assert.equal(mergeDuplicates([a, b], rank).length, 2);
  const c = f(
    'tpl.csv',
    1,
    { rule: { id: 'other', title: 'O', author: 'a', source: 'exhunt' } },
    a.evidence[0]!.excerpt,
  );
  assert.equal(mergeDuplicates([f('orig.LOG', 1, {}, c.evidence[0]!.excerpt), c], rank).length, 2);
  const d = f('tpl.csv', 1, { time: '2021-03-02T22:14:09.000Z' }, a.evidence[0]!.excerpt);
  assert.equal(mergeDuplicates([f('orig.LOG', 1, {}, d.evidence[0]!.excerpt), d], rank).length, 2);
  const undated = [f('tpl.csv', 1), f('orig.LOG', 1)];
  for (const u of undated) delete u.time;
  assert.equal(mergeDuplicates(undated, rank).length, 2);
});

test('copy rank: an original log, a collected copy, an export, Test-ProxyLogon rows', () => {
  assert.deepEqual(
    [
      { path: 'Logging/HttpProxy/Ecp/a.LOG', family: 'HttpProxy/Ecp' },
      { path: 'x/CollectedLogFiles/EX01/CVE26855/a.LOG', family: 'HttpProxy' },
      { path: 'siem/h.csv', family: 'HttpProxy', reader: 'httpproxy-export' },
      {
        path: 'o/EX01-Cve-2021-26855.csv',
        family: 'Test-ProxyLogon/CVE-2021-26855',
        reader: 'tpl-httpproxy',
      },
    ].map(copyRank),
    [0, 1, 2, 3],
  );
});

test('files on disk are never merged, and two original logs with different lines stay two witnesses', () => {
  // Two webshells copied at the same second, with the same reasons: two files, two findings.
  const shell = (path: string): Finding => ({
    ...f(path, 1, { details: { reasons: 'evaluates request data' } }, '<%eval(Request["x"])%>'),
    evidence: [{ path, excerpt: '<%eval(Request["x"])%>' }],
  });
  assert.equal(mergeDuplicates([shell('a/one.aspx'), shell('b/two.aspx')], rank).length, 2);
  // The same request seen by two servers' logs (or two sites) at one second: both originals, both kept.
  const details = { url: '/ecp/y.js', method: 'POST' };
  const two = mergeDuplicates([f('ex01.LOG', 3, { details }, 'a'), f('ex02.LOG', 7, { details }, 'b')], rank);
  assert.equal(two.length, 2);
});
