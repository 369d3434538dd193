// Applicability: a rule is listed, with what it needs, when no artifact of the evidence can satisfy it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FactsBuilder, notApplicableRules } from './applicability.js';
import { DEFAULT_MAPPING_PATH, loadMapping } from './mapping.js';
import { parseRuleText } from './parse.js';
import { planRules } from './plan.js';

const doc = (id: string, ls: string, body: string): string =>
  `title: ${id}\nid: ${id}\nlogsource: ${ls}\ndetection:\n${body}\n---\n`;

const RULES =
  doc('web', '{category: webserver}', '  s:\n    cs-method: POST\n  condition: s') +
  doc(
    'proc',
    '{product: windows, category: process_creation}',
    '  s:\n    Image|endswith: cmd.exe\n  condition: s',
  ) +
  doc('sysmon-dns', '{product: windows, category: dns_query}', '  s:\n    QueryName: x\n  condition: s') +
  doc('failed', '{product: windows, service: security}', '  s:\n    EventID: 4625\n  condition: s') +
  doc('mac', '{product: macos, category: process_creation}', '  s:\n    Image: /bin/sh\n  condition: s');

async function listed(build: (f: FactsBuilder) => void): Promise<Record<string, string>> {
  const { mapping } = await loadMapping([DEFAULT_MAPPING_PATH]);
  const plan = planRules(parseRuleText(RULES, 'a.yml').rules, mapping);
  const f = new FactsBuilder();
  build(f);
  return Object.fromEntries(notApplicableRules(plan, f.facts()).map((n) => [n.rule.id, n.reason]));
}

test('a Security log with 4688 only: Sysmon, web and 4625 rules are listed with what they need', async () => {
  const na = await listed((f) => {
    f.sources.add('evtx');
    f.event('Security', 4688);
  });
  assert.deepEqual(Object.keys(na).sort(), ['failed', 'mac', 'sysmon-dns', 'web']);
  assert.match(
    na['mac'] ?? '',
    /no exhunt source reads log source \{product: macos, category: process_creation\}/,
  );
  assert.equal(na['web'], 'no IIS W3C logs or HttpProxy logs in the evidence');
  assert.equal(na['sysmon-dns'], 'no Microsoft-Windows-Sysmon/Operational event 22 in the evidence');
  assert.equal(na['failed'], 'no Security event 4625 in the evidence');
});

test('process creation applies through either binding; IIS logs make web rules applicable', async () => {
  const na = await listed((f) => {
    f.sources.add('evtx');
    f.sources.add('iis-w3c');
    f.event('Microsoft-Windows-Sysmon/Operational', '1');
    f.event('Security', '4625');
  });
  assert.deepEqual(Object.keys(na).sort(), ['mac', 'sysmon-dns']);
  const none = await listed(() => {});
  assert.match(none['proc'] ?? '', /Microsoft-Windows-Sysmon\/Operational event 1 or Security event 4688/);
});
