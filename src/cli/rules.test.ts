// `exhunt rules lint|test`: our rules all load and pass their tests; broken rules and tests are located.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { BUILTIN_RULES_DIR } from '../engine/sigma.js';
import { UsageError } from './io.js';
import { rulesCommand } from './rules.js';
import { runCaptured } from './testing.js';

const run = (args: string[]) => runCaptured(rulesCommand, args);

async function dir(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-rules-'));
  for (const [p, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, p)), { recursive: true });
    await writeFile(path.join(root, p), text);
  }
  return root;
}

test('every rule in rules/ has a match and a no-match test, and all pass (CI)', async () => {
  const { code, out } = await run(['test', BUILTIN_RULES_DIR, '--require-tests']);
  assert.doesNotMatch(out, /^(FAIL|ERROR|MISSING)/m);
  assert.match(out, /\d+ cases in \d+ test files: (\d+) passed, 0 failed, 0 could not run\.\n$/);
  assert.equal(code, 0);
});

test('lint: rules/ loads cleanly; a broken pack gets every problem located and reasons grouped', async () => {
  assert.equal((await run(['lint', BUILTIN_RULES_DIR])).code, 0);
  const root = await dir({
    'ok.yml':
      'title: ok\nid: ok1\nlogsource: {category: webserver}\ndetection:\n  s:\n    cs-method: POST\n  condition: s\n',
    'dup.yml':
      'title: dup\nid: ok1\nlogsource: {category: webserver}\ndetection:\n  s:\n    cs-method: GET\n  condition: s\n',
    'mod.yml':
      'title: m\nid: m1\nlogsource: {category: webserver}\ndetection:\n  s:\n    cs-uri-stem|startz: /x\n  condition: s\n',
    'agg.yml':
      'title: a\nid: a1\nlogsource: {product: windows, service: security}\ndetection:\n  s:\n    EventID: 4625\n  condition: s | count() by IpAddress > 5\n',
    'yaml.yml': 'title: y\nid: y1\ndetection: [\n',
    'mac.yml':
      'title: p\nid: p1\nlogsource: {product: macos, category: process_creation}\ndetection:\n  s:\n    Image: /bin/sh\n  condition: s\n',
  });
  const { code, out } = await run(['lint', root]);
  assert.equal(code, 1);
  assert.match(out, /agg\.yml:7:14: aggregation expressions .* \[sigma\.aggregation\] \(rule a1\)/);
  assert.match(out, /mod\.yml:6:5: unknown modifier 'startz' \[sigma\.unknown-modifier\] \(rule m1\)/);
  assert.match(out, /ok\.yml:1: duplicate rule id 'ok1' \(first in .*dup\.yml:1\)/);
  assert.match(out, /yaml\.yml:\d+:\d+: .*\[sigma\.yaml\]/);
  assert.match(
    out,
    /1 rules load and can run, 4 would be skipped, 1 load but no exhunt source reads their log source\./,
  );
  assert.match(out, /1 {2}\{product: macos, category: process_creation\}/);
  const json = JSON.parse((await run(['lint', root, '--json'])).out) as {
    loaded: number;
    reasons: { code: string; count: number }[];
  };
  assert.equal(json.loaded, 1);
  assert.deepEqual(json.reasons.map((r) => r.code).sort(), [
    'sigma.aggregation',
    'sigma.duplicate-id',
    'sigma.unknown-modifier',
    'sigma.yaml',
  ]);
});

test('test: a wrong expectation fails and a broken test cannot run, each with file and line', async () => {
  const root = await dir({
    'r.yml':
      'title: posts\nid: r1\nlogsource: {category: webserver}\ndetection:\n  s:\n    cs-method: POST\n  condition: s\n',
    't.yml': [
      'rule: r1',
      'source: iis-w3c',
      'header: "#Fields: date time cs-method cs-uri-stem sc-status"',
      'tests:',
      '  - name: a post',
      '    expect: no-match',
      '    event: 2021-03-03 06:49:42 POST /x 200',
      '  - name: a get',
      '    expect: no-match',
      '    event: 2021-03-03 06:49:42 GET /x 200',
      '---',
      'rule: r1',
      'source: evtx',
      'tests:',
      '  - name: wrong source',
      '    expect: match',
      '    event: {Channel: Security}',
      '---',
      'rule: r1',
      'tests:',
      '  - expect: maybe',
      '',
    ].join('\n'),
  });
  const { code, out } = await run(['test', root, '--require-tests']);
  assert.equal(code, 1);
  assert.match(out, /^FAIL .*t\.yml:5 {2}posts: a post: expected no-match, got match$/m);
  assert.match(out, /^PASS .*t\.yml:8 {2}posts: a get \(no-match\)$/m);
  assert.match(
    out,
    /^ERROR .*t\.yml:15 {2}posts: wrong source: the mapping does not send log source \{category: webserver\} to source 'evtx'$/m,
  );
  assert.match(out, /^ERROR .*t\.yml:19:1: 'source' must be an exhunt source id \[test\.invalid\]$/m);
  assert.match(out, /^MISSING .*r\.yml {2}posts \(r1\): no match case$/m);
});

test('usage: a subcommand and existing folders are required', async () => {
  assert.equal((await run([])).code, 2);
  await assert.rejects(run(['lint']), UsageError);
  await assert.rejects(run(['frob', '.']), UsageError);
  await assert.rejects(run(['test', '/nonexistent/rules']), UsageError);
});
