// Correlation rules in the scan: base matches from a worker thread, counted on the main thread, generate honoured.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { groupEvent } from './correlate.js';
import { scan } from './scan.js';

const W3C_HEAD =
  '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2021-03-05 03:00:00\r\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n';
const line = (time: string, ip: string, status: number): string =>
  `2021-03-05 ${time} 10.0.0.5 POST /owa/auth.owa - 443 - ${ip} Mozilla/5.0 - ${status} 0 0 1\r\n`;

const rules = (generate: boolean): string => `title: Failed OWA logon
id: base-owa-fail
name: owa_fail
author: Test Author
logsource: {category: webserver}
detection:
  sel:
    cs-uri-stem: /owa/auth.owa
    sc-status: 401
  condition: sel
---
title: OWA password spray
id: corr-owa-spray
author: Corr Author
level: high
tags: [attack.credential-access]
correlation:
  type: event_count
  rules: [owa_fail]
  group-by: [c-ip]
  timespan: 5m
  condition: {gte: 3}
  generate: ${generate}
---
title: Sysmon only
id: sysmon-only
logsource: {product: windows, category: dns_query}
detection:
  sel:
    QueryName: evil.example
  condition: sel
`;

async function evidence(generate: boolean): Promise<{ root: string; rulesDir: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-corr-'));
  const logs = path.join(root, 'inetpub/logs/LogFiles/W3SVC1');
  await mkdir(logs, { recursive: true });
  // Four failures from one address within two minutes, two spread out from another, across two files.
  await writeFile(
    path.join(logs, 'u_ex210305.log'),
    W3C_HEAD +
      line('03:00:00', '198.51.100.9', 401) +
      line('03:00:30', '198.51.100.9', 401) +
      line('03:00:40', '203.0.113.4', 401) +
      line('03:01:00', '198.51.100.9', 200),
  );
  await writeFile(
    path.join(logs, 'u_ex210306.log'),
    W3C_HEAD +
      line('03:01:30', '198.51.100.9', 401) +
      line('03:02:00', '198.51.100.9', 401) +
      line('03:30:00', '203.0.113.4', 401),
  );
  const rulesDir = path.join(root, '..', `${path.basename(root)}-rules`);
  await mkdir(rulesDir, { recursive: true });
  await writeFile(path.join(rulesDir, 'spray.yml'), rules(generate));
  return { root, rulesDir };
}

test('event_count over two files in a worker: one finding per address, evidence cited, base findings suppressed', async () => {
  const { root, rulesDir } = await evidence(false);
  const { report } = await scan(root, { threads: 1, rules: { builtinRules: false, rulePaths: [rulesDir] } });
  const corr = report.findings.filter((f) => f.rule.id === 'corr-owa-spray');
  assert.equal(corr.length, 1);
  const f = corr[0]!;
  assert.equal(f.rule.author, 'Corr Author');
  assert.equal(f.severity, 'high');
  assert.equal(f.stage, 'credential-access');
  assert.equal(f.details?.['c-ip'], '198.51.100.9');
  assert.equal(f.event, undefined, 'an address is no service, task or account');
  assert.equal(f.time, '2021-03-05T03:00:00.000Z');
  assert.deepEqual(f.sourceIps, ['198.51.100.9']);
  assert.deepEqual(
    f.evidence.map((e) => `${e.path}:${e.line}`),
    [
      'inetpub/logs/LogFiles/W3SVC1/u_ex210305.log:5',
      'inetpub/logs/LogFiles/W3SVC1/u_ex210305.log:6',
      'inetpub/logs/LogFiles/W3SVC1/u_ex210306.log:5',
    ],
  );
  assert.match(f.evidence[0]?.excerpt ?? '', /198\.51\.100\.9/);
  assert.equal(report.findings.filter((x) => x.rule.id === 'base-owa-fail').length, 0, 'generate: false');
  assert.equal(report.rules.loaded, 3);
  assert.deepEqual(
    report.rules.notApplicableRules?.map((n) => [n.id, n.reason]),
    [['sysmon-only', 'no Microsoft-Windows-Sysmon/Operational event 22 in the evidence']],
  );
  assert.equal(report.rules.notApplicable, 1);
});

test('generate: true keeps the base rule findings next to the correlation', async () => {
  const { root, rulesDir } = await evidence(true);
  const { report } = await scan(root, { threads: 0, rules: { builtinRules: false, rulePaths: [rulesDir] } });
  assert.equal(report.findings.filter((x) => x.rule.id === 'base-owa-fail').length, 6);
  assert.equal(report.findings.filter((x) => x.rule.id === 'corr-owa-spray').length, 1);
});

test('a correlation grouped by a service, task or account field carries them as its event section', () => {
  assert.deepEqual(groupEvent({ ServiceName: 'updater', TargetUserName: 'helpdesk', 'c-ip': '10.0.0.1' }), {
    service: 'updater',
    targetUser: 'helpdesk',
  });
  assert.deepEqual(groupEvent({ TaskName: '\\Updater' }), { taskName: '\\Updater' });
  assert.equal(groupEvent({ TaskName: null, Image: 'x.exe' }), undefined);
});
