// Loading: folders, multi-document files, every error located, the rule model's fields.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadRuleFiles } from './load.js';
import { parseRuleText } from './parse.js';

const GOOD = `title: Good
id: 11111111-0000-0000-0000-000000000001
author: Someone
level: high
status: test
tags: [attack.initial_access, cve.2021-26855, cve.2021.27065]
stage: exploit
outcome: attempt
x-custom: kept
logsource: {category: webserver}
detection:
  sel:
    cs-uri-query|contains: /ecp/
  condition: sel
falsepositives: [Unknown]
`;

const BROKEN = `title: Broken
id: 22222222-0000-0000-0000-000000000002
logsource: {category: webserver}
detection:
  sel:
    cs-uri-query|contains: [a, b
  condition: sel
`;

async function withDir(files: Record<string, string>, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-sigma-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), text);
    }
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a folder with one broken and one good rule: one located error, one rule', async () => {
  await withDir({ 'a/good.yml': GOOD, 'b/broken.yaml': BROKEN, 'notes.txt': 'ignored' }, async (dir) => {
    const res = await loadRuleFiles([dir], { source: 'test' });
    assert.equal(res.rules.length, 1);
    assert.equal(res.errors.length, 1);
    const e = res.errors[0];
    assert.ok(e);
    assert.match(e.path, /b\/broken\.yaml$/);
    assert.ok(e.line >= 6 && e.line <= 8, `line ${e.line}`);
    assert.equal(e.code, 'sigma.yaml');
  });
});

test('the rule model keeps metadata, exhunt extensions, CVEs and custom attributes', async () => {
  await withDir({ 'good.yml': GOOD }, async (dir) => {
    const { rules, errors } = await loadRuleFiles([join(dir, 'good.yml')], { source: 'exhunt' });
    assert.deepEqual(errors, []);
    const r = rules[0];
    assert.ok(r);
    assert.equal(r.id, '11111111-0000-0000-0000-000000000001');
    assert.equal(r.author, 'Someone');
    assert.equal(r.level, 'high');
    assert.equal(r.stage, 'exploit');
    assert.equal(r.outcome, 'attempt');
    assert.equal(r.source, 'exhunt');
    assert.deepEqual(r.cves, ['CVE-2021-26855', 'CVE-2021-27065']);
    assert.deepEqual(r.falsepositives, ['Unknown']);
    assert.equal(r.custom['x-custom'], 'kept');
    assert.equal(r.line, 1);
    assert.ok(Object.isFrozen(r) && Object.isFrozen(r.detection));
  });
});

test('all errors of a file are collected, each with its line', () => {
  const text = `title: A
id: a
logsource: {category: webserver}
level: severe
stage: nowhere
detection:
  sel:
    f|bogus: x
    g|contains|alsobogus: y
  condition: sel and missing
---
title: B
id: b
logsource: {category: webserver}
detection:
  sel:
    f: x
  condition: sel
---
id: c
logsource: {category: webserver}
detection:
  sel:
    f: x
  condition: sel
`;
  const res = parseRuleText(text, 'multi.yml');
  assert.deepEqual(
    res.rules.map((r) => r.id),
    ['b'],
  );
  const got = res.errors.map((e) => [e.line, e.code, e.ruleId]);
  assert.deepEqual(
    got,
    [
      [4, 'sigma.level', 'a'],
      [8, 'sigma.unknown-modifier', 'a'],
      [9, 'sigma.unknown-modifier', 'a'],
      [10, 'sigma.condition', 'a'],
      [5, 'sigma.stage', 'a'],
      [20, 'sigma.missing', 'c'],
    ].map(([l, c, id]) => [l, c, id]),
  );
  assert.match(res.errors[1]?.message ?? '', /bogus/);
});

test('trial compile at load rejects bad values with a reason; duplicates are reported', async () => {
  const bad = `title: Bad cidr
id: bad
logsource: {category: webserver}
detection:
  sel:
    c-ip|cidr: 300.0.0.0/8
  condition: sel
---
title: Placeholder
id: ph
logsource: {category: webserver}
detection:
  sel:
    cs-username|expand: '%Admins%'
  condition: sel
`;
  await withDir({ 'bad.yml': bad, 'dup1.yml': GOOD, 'dup2.yml': GOOD }, async (dir) => {
    const res = await loadRuleFiles([dir], { source: 't' });
    assert.deepEqual(
      res.rules.map((r) => r.id),
      ['ph', '11111111-0000-0000-0000-000000000001'],
    );
    assert.deepEqual(
      res.errors.map((e) => [e.code, e.line]),
      [
        ['sigma.modifier', 6],
        ['sigma.duplicate-id', 1],
      ],
    );
    // With the configuration's placeholders known, an unresolvable one is a load error too.
    const strict = await loadRuleFiles([join(dir, 'bad.yml')], { source: 't', placeholders: {} });
    assert.deepEqual(
      strict.errors.map((e) => [e.code, e.ruleId]),
      [
        ['sigma.modifier', 'bad'],
        ['sigma.placeholder', 'ph'],
      ],
    );
  });
});

test('a missing path is an error, not a crash', async () => {
  const res = await loadRuleFiles(['/nonexistent/exhunt-rules'], { source: 't' });
  assert.equal(res.errors[0]?.code, 'sigma.io');
});

test('correlations and filters are separate documents', () => {
  const text = `title: Base
id: base
name: failed_logon
logsource: {product: windows, service: security}
detection:
  sel: {EventID: 4625}
  condition: sel
---
title: Many failures
id: corr
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [IpAddress]
  timespan: 5m
  condition: {gte: 10}
level: high
---
title: Filter admin
id: flt
logsource: {product: windows, service: security}
filter:
  rules: [base]
  selection:
    TargetUserName: admin
  condition: not selection
`;
  const res = parseRuleText(text, 'c.yml');
  assert.deepEqual(res.errors, []);
  assert.equal(res.rules.length, 1);
  assert.equal(res.correlations[0]?.timespanMs, 300_000);
  assert.deepEqual(res.correlations[0]?.condition, { gte: 10 });
  assert.deepEqual(res.filters[0]?.rules, ['base']);
});
