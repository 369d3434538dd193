// Dispatch on Channel and EventID: the values each rule pins, and candidates that never lose a match.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileEntries } from './compile.js';
import { DispatchIndex, requiredValues } from './dispatch.js';
import { identityFieldMap } from './fieldmap.js';
import type { FieldMap } from './fieldmap.js';
import { DEFAULT_MAPPING_PATH, loadMapping } from './mapping.js';
import { planRules } from './plan.js';
import { detection, rec } from './testkit.js';

const security: FieldMap = { ...identityFieldMap('evtx'), conditions: { Channel: 'Security' } };

const ids = (s: ReadonlySet<string> | undefined): string[] | undefined => (s ? [...s].sort() : undefined);

test('required EventIDs: selections and-ed and or-ed, negations and modifiers give up', () => {
  const cases: [string, string[] | undefined][] = [
    ['  sel:\n    EventID: 4625\n  condition: sel', ['4625']],
    ["  sel:\n    EventID: [4624, '4625']\n    LogonType: 3\n  condition: sel", ['4624', '4625']],
    ['  a:\n    EventID: 4624\n  b:\n    EventID: 4625\n  condition: a or b', ['4624', '4625']],
    ['  a:\n    EventID: 4624\n  b:\n    User: x\n  condition: a or b', undefined],
    ['  a:\n    EventID: [1, 2]\n  b:\n    EventID: 2\n  condition: a and b', ['2']],
    ['  a:\n    EventID: 4624\n  condition: not a', undefined],
    ['  a:\n    EventID|contains: 46\n  condition: a', undefined],
    ["  a:\n    EventID: '46*'\n  condition: a", undefined],
    ['  sel_1:\n    EventID: 1\n  sel_2:\n    EventID: 7\n  condition: 1 of sel_*', ['1', '7']],
  ];
  for (const [body, want] of cases) {
    assert.deepEqual(ids(requiredValues(detection(body), security, 'EventID')), want, body);
  }
  const r = detection('  sel:\n    EventID: 4625\n  condition: sel');
  assert.deepEqual(ids(requiredValues(r, security, 'Channel')), ['security'], 'channel from the mapping');
  assert.equal(requiredValues(r, identityFieldMap(), 'Channel'), undefined);
});

test('dispatch: an event meets only rules of its channel and ID, and matches stay the same', async () => {
  const { mapping } = await loadMapping([DEFAULT_MAPPING_PATH]);
  const text = (id: string, ls: string, body: string): string =>
    `title: ${id}\nid: ${id}\nlogsource: ${ls}\ndetection:\n${body}\n---\n`;
  const { parseRuleText } = await import('./parse.js');
  const { rules } = parseRuleText(
    text('failed', '{product: windows, service: security}', '  s:\n    EventID: 4625\n  condition: s') +
      text(
        'proc',
        '{product: windows, category: process_creation}',
        '  s:\n    Image|endswith: cmd.exe\n  condition: s',
      ) +
      text('any', '{product: windows, service: security}', '  s:\n    SubjectUserName: bob\n  condition: s'),
    'd.yml',
  );
  const plan = planRules(rules, mapping);
  const entries = plan.bySource.get('evtx') ?? [];
  const index = DispatchIndex.build(entries);
  const names = (r: ReturnType<typeof rec>): string[] =>
    index
      .candidates(r)
      .map((i) => `${entries[i]?.rule.id}@${entries[i]?.fieldMap.conditions['EventID'] ?? '*'}`);
  assert.deepEqual(names(rec({ Channel: 'Security', EventID: 4625 })), ['failed@*', 'any@*']);
  assert.deepEqual(names(rec({ Channel: 'security', EventID: '4688' })), ['proc@4688', 'any@*']);
  assert.deepEqual(names(rec({ Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1 })), ['proc@1']);
  assert.deepEqual(names(rec({ Channel: 'System', EventID: 7045 })), []);
  // A field that is not one scalar cannot be dispatched on: every rule of the other field stays a candidate.
  assert.deepEqual(names(rec({ Channel: 'Security', EventID: [4625, 1] })), [
    'failed@*',
    'proc@4688',
    'any@*',
  ]);
  const { set } = compileEntries(entries);
  assert.deepEqual(
    set.match(rec({ Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\cmd.exe' })).map((r) => r.id),
    ['proc'],
  );
  assert.deepEqual(
    set
      .matchEntries(rec({ Channel: 'Security', EventID: 4625, SubjectUserName: 'Bob' }))
      .map((e) => e.rule.id),
    ['failed', 'any'],
  );
});
