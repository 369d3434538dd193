// Folding an agent batch's probe group into the stored group of the same rule: counts summed, times widened,
// addresses merged (their count a lower bound), the most frequent requests kept, the first example kept.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventGroup, EventLine } from '../core/report.js';
import { foldGroup } from './agent-events.js';

const line = (finding: string, path: string, excerpt: string): EventLine => ({
  finding,
  log: 'front-end IIS',
  path,
  rule: { id: 'exhunt.probe', title: 'Probe', author: 'exhunt' },
  excerpt,
});

const group = (over: Partial<EventGroup>): EventGroup => ({
  id: 'P1',
  rule: { id: 'exhunt.probe', title: 'Probe', author: 'exhunt' },
  stage: 'recon',
  outcome: 'probe',
  count: 1,
  findingCount: 1,
  sources: [],
  sourceCount: 0,
  requests: [],
  example: [],
  findings: [],
  ...over,
});

test('foldGroup sums, widens and merges; the stored group keeps its id and example', () => {
  const old = group({
    first: '2026-12-01T00:00:00.000Z',
    last: '2026-12-02T00:00:00.000Z',
    count: 3,
    findingCount: 4,
    sources: ['203.0.113.1', '203.0.113.2'],
    sourceCount: 2,
    requests: [{ value: 'GET /autodiscover', count: 3 }],
    example: [line('f1', 'u_ex.log', 'GET /autodiscover')],
    findings: ['f1'],
  });
  const add = group({
    id: 'P7',
    first: '2026-11-30T00:00:00.000Z',
    last: '2026-12-03T00:00:00.000Z',
    count: 2,
    findingCount: 2,
    sources: ['203.0.113.2', '203.0.113.3'],
    sourceCount: 2,
    requests: [
      { value: 'GET /ecp', count: 1 },
      { value: 'GET /autodiscover', count: 1 },
    ],
    example: [line('f2', 'u_ex2.log', 'GET /ecp')],
    findings: ['f2'],
  });
  const g = foldGroup(old, add);
  assert.equal(g.id, 'P1');
  assert.deepEqual([g.count, g.findingCount], [5, 6]);
  assert.deepEqual([g.first, g.last], ['2026-11-30T00:00:00.000Z', '2026-12-03T00:00:00.000Z']);
  assert.deepEqual(g.sources, ['203.0.113.1', '203.0.113.2', '203.0.113.3']);
  assert.equal(g.sourceCount, 3);
  assert.deepEqual(g.requests, [
    { value: 'GET /autodiscover', count: 4 },
    { value: 'GET /ecp', count: 1 },
  ]);
  assert.deepEqual(g.example, old.example);
  assert.deepEqual(g.findings, ['f1', 'f2']);
});
