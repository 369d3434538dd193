// Filter documents: exclusions AND-ed into the named rules, `them` untouched, bad references reported.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRule } from './compile.js';
import { identityFieldMap } from './fieldmap.js';
import { applyFilters } from './filters.js';
import { parseRuleText } from './parse.js';
import { rec } from './testkit.js';

const TEXT = `title: Child of w3wp
id: r1
name: w3wp_child
logsource: {product: windows, category: process_creation}
detection:
  sel_a:
    ParentImage|endswith: '\\w3wp.exe'
  sel_b:
    Image|endswith: '\\cmd.exe'
  condition: all of them
---
title: Known admin script
id: f1
logsource: {product: windows, category: process_creation}
filter:
  rules: [w3wp_child, missing-rule]
  selection:
    CommandLine|contains: 'healthcheck.bat'
  condition: not selection
---
title: Wrong log source
id: f2
logsource: {product: windows, service: security}
filter:
  rules: [r1]
  selection:
    User: x
  condition: not selection
`;

test('a filter excludes matches of the rules it names', () => {
  const p = parseRuleText(TEXT, 'f.yml');
  assert.deepEqual(p.errors, []);
  const { rules, errors } = applyFilters(p.rules, p.filters);
  assert.deepEqual(
    errors.map((e) => [e.ruleId, e.message]),
    [
      ['f1', "filter names rule 'missing-rule', which is not loaded"],
      ['f2', "filter log source does not fit rule 'r1'"],
    ],
  );
  const m = compileRule(rules[0]!, identityFieldMap());
  const ev = {
    ParentImage: 'c:\\inetsrv\\w3wp.exe',
    Image: 'c:\\windows\\cmd.exe',
    CommandLine: 'cmd /c whoami',
  };
  assert.equal(m(rec(ev)), true);
  assert.equal(m(rec({ ...ev, CommandLine: 'cmd /c healthcheck.bat' })), false);
  // `all of them` did not pick up the filter's selection (it would require CommandLine to match).
  assert.equal(m(rec({ ParentImage: ev.ParentImage, Image: ev.Image })), true);
  assert.equal(p.rules[0]?.detection.conditions.length, 1, 'the original rule is unchanged');
});
