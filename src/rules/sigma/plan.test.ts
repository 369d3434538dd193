// Planning: rules grouped per source through every binding, matched once, not-applicable ones set aside.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MAPPING_PATH, loadMapping } from './mapping.js';
import { parseRuleText } from './parse.js';
import { compilePlan, planRules } from './plan.js';
import { rec } from './testkit.js';

const RULES = `title: cmd from w3wp
id: p1
logsource: {product: windows, category: process_creation}
detection:
  sel:
    ParentImage|endswith: '\\w3wp.exe'
  condition: sel
---
title: web
id: w1
logsource: {category: webserver}
detection:
  sel:
    cs-uri-query|contains: /ecp/
  condition: sel
---
title: linux only
id: l1
logsource: {product: linux, category: process_creation}
detection:
  sel:
    Image|endswith: /sh
  condition: sel
`;

test('plan: bindings per source, one match per rule, not-applicable rules counted', async () => {
  const { mapping } = await loadMapping([DEFAULT_MAPPING_PATH]);
  const { rules } = parseRuleText(RULES, 'p.yml');
  const plan = planRules(rules, mapping);
  assert.deepEqual(
    plan.notApplicable.map((r) => r.id),
    ['l1'],
  );
  assert.deepEqual([...plan.bySource.keys()], ['evtx', 'iis-w3c', 'httpproxy']);
  assert.equal(plan.bySource.get('evtx')?.length, 2);
  const { sets, errors } = compilePlan(plan);
  assert.deepEqual(errors, []);
  const evtx = sets.get('evtx');
  assert.ok(evtx);
  const sec = rec({ Channel: 'Security', EventID: 4688, ParentProcessName: 'C:\\x\\w3wp.exe' });
  const sys = rec({
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    EventID: '1',
    ParentImage: 'C:\\x\\W3WP.EXE',
  });
  assert.deepEqual(
    evtx.match(sec).map((r) => r.id),
    ['p1'],
  );
  assert.deepEqual(
    evtx.match(sys).map((r) => r.id),
    ['p1'],
  );
  assert.equal(
    evtx.match(rec({ Channel: 'System', EventID: 4688, ParentProcessName: 'w3wp.exe' })).length,
    0,
  );
  assert.deepEqual(
    sets
      .get('httpproxy')
      ?.match(rec({ Uri: '/ecp/x.js?a=b' }))
      .map((r) => r.id),
    ['w1'],
  );
});
