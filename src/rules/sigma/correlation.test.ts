// Correlations: each type, windows just inside and just outside the timespan, group-by, aliases, chains.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCorrelator } from './correlation.js';
import type { CorrelationHit } from './correlation.js';
import type { CorrelationRule } from './model.js';
import { parseRuleText } from './parse.js';
import { rec } from './testkit.js';
import type { Fields } from './testkit.js';

function corr(body: string, extra = ''): CorrelationRule {
  const p = parseRuleText(`title: c\nid: c1\n${extra}correlation:\n${body}`, 'c.yml');
  assert.deepEqual(p.errors, []);
  return p.correlations[0] as CorrelationRule;
}

const T0 = Date.parse('2021-03-03T06:00:00Z');
const at = (sec: number): string => new Date(T0 + sec * 1000).toISOString();

type Ev = [ruleId: string, sec: number, fields: Fields];

function run(
  cs: CorrelationRule[],
  events: Ev[],
  ordered = false,
  names: { id: string; name?: string }[] = [],
): CorrelationHit[] {
  const c = createCorrelator(cs, { ordered, rules: names });
  const out: CorrelationHit[] = [];
  for (const [id, sec, f] of events) {
    const r = { ...rec(f), time: at(sec) };
    out.push(...c.onMatch(id, r, (name) => f[name]));
  }
  return [...out, ...c.finish()];
}

const count = (span: string, cond = 'gte: 3') =>
  corr(`  type: event_count\n  rules: [a]\n  group-by: [ip]\n  timespan: ${span}\n  condition: {${cond}}\n`);

test('event_count: three events within 60s, just inside and just outside', () => {
  const c = count('60s');
  const inside = run(
    [c],
    [
      ['a', 0, { ip: '1.1.1.1' }],
      ['a', 30, { ip: '1.1.1.1' }],
      ['a', 60, { ip: '1.1.1.1' }],
    ],
  );
  assert.equal(inside.length, 1);
  assert.equal(inside[0]?.value, 3);
  assert.deepEqual(inside[0]?.group, { ip: '1.1.1.1' });
  assert.equal(inside[0]?.firstTime, at(0));
  assert.equal(inside[0]?.lastTime, at(60));
  const outside = run(
    [c],
    [
      ['a', 0, { ip: '1.1.1.1' }],
      ['a', 30, { ip: '1.1.1.1' }],
      ['a', 60.001, { ip: '1.1.1.1' }],
    ],
  );
  assert.equal(outside.length, 0);
});

test('event_count: groups are separate; unrelated rules ignored', () => {
  const hits = run(
    [count('1m')],
    [
      ['a', 0, { ip: '1.1.1.1' }],
      ['a', 1, { ip: '2.2.2.2' }],
      ['a', 2, { ip: '1.1.1.1' }],
      ['b', 3, { ip: '1.1.1.1' }],
      ['a', 4, { ip: '2.2.2.2' }],
    ],
  );
  assert.equal(hits.length, 0);
});

test('unordered input is sorted before windows are decided; ordered mode answers from onMatch', () => {
  const c = count('60s');
  const evs: Ev[] = [
    ['a', 60, { ip: 'x' }],
    ['a', 0, { ip: 'x' }],
    ['a', 30, { ip: 'x' }],
  ];
  assert.equal(run([c], evs).length, 1);
  const k = createCorrelator([c], { ordered: true });
  const got = [0, 30, 60].map((s) => k.onMatch('a', { ...rec({ ip: 'x' }), time: at(s) }, () => 'x').length);
  assert.deepEqual(got, [0, 0, 1]);
});

test('event_count with an upper bound is decided when the window closes', () => {
  const c = count('60s', 'lt: 3');
  const hits = run(
    [c],
    [
      ['a', 0, { ip: 'x' }],
      ['a', 10, { ip: 'x' }],
      ['a', 100, { ip: 'x' }],
      ['a', 101, { ip: 'x' }],
      ['a', 102, { ip: 'x' }],
    ],
  );
  assert.deepEqual(
    hits.map((h) => [h.value, h.firstTime]),
    [[2, at(0)]],
  );
});

test('value_count: distinct values of a field per group', () => {
  const c = corr(
    '  type: value_count\n  rules: [a]\n  group-by: [ip]\n  timespan: 5m\n  condition: {field: user, gte: 3}\n',
  );
  const base: Ev[] = [
    ['a', 0, { ip: 'x', user: 'u1' }],
    ['a', 1, { ip: 'x', user: 'u2' }],
    ['a', 2, { ip: 'x', user: 'u2' }],
  ];
  assert.equal(run([c], base).length, 0);
  const hits = run([c], [...base, ['a', 300, { ip: 'x', user: 'u3' }]]);
  assert.equal(hits[0]?.value, 3);
  assert.equal(run([c], [...base, ['a', 300.5, { ip: 'x', user: 'u3' }]]).length, 0);
});

test('value_sum and value_avg', () => {
  const sum = corr(
    '  type: value_sum\n  rules: [a]\n  group-by: [ip]\n  timespan: 1h\n  condition: {field: bytes, gt: 1000}\n',
  );
  assert.equal(
    run(
      [sum],
      [
        ['a', 0, { ip: 'x', bytes: 600 }],
        ['a', 10, { ip: 'x', bytes: '500' }],
      ],
    )[0]?.value,
    1100,
  );
  assert.equal(
    run(
      [sum],
      [
        ['a', 0, { ip: 'x', bytes: 600 }],
        ['a', 3601, { ip: 'x', bytes: 500 }],
      ],
    ).length,
    0,
  );
  const avg = corr(
    '  type: value_avg\n  rules: [a]\n  group-by: [ip]\n  timespan: 1h\n  condition: {field: bytes, gt: 500}\n',
  );
  assert.equal(
    run(
      [avg],
      [
        ['a', 0, { ip: 'x', bytes: 600 }],
        ['a', 10, { ip: 'x', bytes: 500 }],
      ],
    )[0]?.value,
    550,
  );
  assert.equal(
    run(
      [avg],
      [
        ['a', 0, { ip: 'x', bytes: 400 }],
        ['a', 10, { ip: 'x', bytes: 500 }],
      ],
    ).length,
    0,
  );
});

test('value_percentile: values whose share of the window is small', () => {
  const c = corr(
    '  type: value_percentile\n  rules: [a]\n  group-by: [host]\n  timespan: 24h\n  condition: {field: image, lte: 10}\n',
  );
  const evs: Ev[] = [];
  for (let i = 0; i < 19; i++) evs.push(['a', i, { host: 'h', image: 'svchost.exe' }]);
  evs.push(['a', 30, { host: 'h', image: 'evil.exe' }]);
  const hits = run([c], evs);
  assert.deepEqual(
    hits.map((h) => [h.fieldValue, h.value, h.events.length]),
    [['evil.exe', 5, 1]],
  );
});

test('temporal: all rules within the timespan, any order; just outside does not fire', () => {
  const c = corr('  type: temporal\n  rules: [a, b, c]\n  group-by: [user]\n  timespan: 5m\n');
  const ok = run(
    [c],
    [
      ['c', 0, { user: 'u' }],
      ['a', 100, { user: 'u' }],
      ['b', 300, { user: 'u' }],
    ],
  );
  assert.equal(ok.length, 1);
  assert.equal(ok[0]?.value, 3);
  assert.equal(
    run(
      [c],
      [
        ['c', 0, { user: 'u' }],
        ['a', 100, { user: 'u' }],
        ['b', 300.001, { user: 'u' }],
      ],
    ).length,
    0,
  );
  assert.equal(
    run(
      [c],
      [
        ['c', 0, { user: 'u' }],
        ['a', 1, { user: 'v' }],
        ['b', 2, { user: 'u' }],
      ],
    ).length,
    0,
  );
});

test('temporal_ordered: order matters', () => {
  const c = corr('  type: temporal_ordered\n  rules: [a, b]\n  group-by: [user]\n  timespan: 1h\n');
  assert.equal(
    run(
      [c],
      [
        ['a', 0, { user: 'u' }],
        ['b', 10, { user: 'u' }],
      ],
    ).length,
    1,
  );
  assert.equal(
    run(
      [c],
      [
        ['b', 0, { user: 'u' }],
        ['a', 10, { user: 'u' }],
      ],
    ).length,
    0,
  );
  assert.equal(
    run(
      [c],
      [
        ['a', 0, { user: 'u' }],
        ['b', 3600, { user: 'u' }],
      ],
    ).length,
    1,
  );
  assert.equal(
    run(
      [c],
      [
        ['a', 0, { user: 'u' }],
        ['b', 3601, { user: 'u' }],
      ],
    ).length,
    0,
  );
});

test('rules by name, aliases in group-by', () => {
  const c = corr(`  type: temporal
  rules: [internal_error, new_conn]
  group-by: [ip]
  timespan: 10s
  aliases:
    ip:
      internal_error: dst
      new_conn: src
`);
  const names = [
    { id: 'id-err', name: 'internal_error' },
    { id: 'id-conn', name: 'new_conn' },
  ];
  const hits = run(
    [c],
    [
      ['id-err', 0, { dst: '10.0.0.1' }],
      ['id-conn', 5, { src: '10.0.0.1' }],
    ],
    false,
    names,
  );
  assert.deepEqual(
    hits.map((h) => h.group),
    [{ ip: '10.0.0.1' }],
  );
  assert.equal(
    run(
      [c],
      [
        ['id-err', 0, { dst: '10.0.0.1' }],
        ['id-conn', 5, { src: '10.0.0.2' }],
      ],
      false,
      names,
    ).length,
    0,
  );
});

test('chained correlations: a correlation can count another one', () => {
  const inner = count('60s');
  const p = parseRuleText(
    'title: outer\nid: c2\ncorrelation:\n  type: event_count\n  rules: [c1]\n  group-by: [ip]\n  timespan: 1h\n  condition: {gte: 2}\n',
    'o.yml',
  );
  const outer = p.correlations[0] as CorrelationRule;
  const evs: Ev[] = [];
  for (const s of [0, 1, 2, 600, 601, 602]) evs.push(['a', s, { ip: 'x' }]);
  const hits = run([inner, outer], evs);
  assert.deepEqual(
    hits.map((h) => h.correlation.id),
    ['c1', 'c1', 'c2'],
  );
});

test('matches without a time are counted, not correlated', () => {
  const k = createCorrelator([count('1m')]);
  k.onMatch('a', rec({ ip: 'x' }), () => 'x');
  assert.equal(k.stats.noTime, 1);
  assert.deepEqual(k.finish(), []);
});
