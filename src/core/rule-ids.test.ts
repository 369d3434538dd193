// The gate is read through one typed accessor: the two known gates, nothing else.

import assert from 'node:assert/strict';
import test from 'node:test';
import { GATE, gateOf, RULE_IDS, STAGED_RULE_IDS, WEBSHELL_RULE_IDS } from './rule-ids.js';

test('gateOf gives the known gates and nothing for other text', () => {
  assert.equal(gateOf({ gate: 'exploitation' }), GATE.exploitation);
  assert.equal(gateOf({ gate: 'vendor' }), GATE.vendor);
  assert.equal(gateOf({ gate: 'Exploitation' as never }), undefined);
  // The text copy in details is for readers of older reports only: analysis reads the typed field.
  assert.equal(gateOf({ details: { gate: 'exploitation' } } as never), undefined);
  assert.equal(gateOf({}), undefined);
});

test('the rule sets passes use hold only built-in ids named in RULE_IDS', () => {
  const known = new Set<string>(Object.values(RULE_IDS));
  for (const id of [...STAGED_RULE_IDS, ...WEBSHELL_RULE_IDS]) assert.ok(known.has(id), id);
  for (const id of known) assert.match(id, /^exhunt\.[a-z]+\.[a-z-]+$/);
});
