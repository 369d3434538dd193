// Tests for turning YARA matches into findings: author kept, stage and outcome by meta, severity and target.

import assert from 'node:assert/strict';
import test from 'node:test';
import { parseSize } from './index.js';
import { yaraFindings } from './findings.js';
import type { YaraMatch } from './types.js';

const base: YaraMatch = {
  rule: 'r',
  namespace: 'ns',
  source: 'pack.yar',
  tags: ['webshell'],
  meta: {},
  strings: [{ id: '$a', offset: 16, data: 'x\x01y' }],
  target: 'content',
  path: 'C/inetpub/wwwroot/aspnet_client/a.aspx',
};

test('a third-party rule keeps its author; its score decides compromise or suspicious on a web file', () => {
  const [strong] = yaraFindings(
    [{ ...base, meta: { author: 'Someone Else', score: 85, reference: 'https://x.example/r' } }],
    {
      source: 'web-file',
      modified: '2021-03-03T07:00:00.000Z',
    },
  );
  assert.equal(strong?.rule.author, 'Someone Else');
  assert.equal(strong?.rule.source, 'pack.yar');
  assert.equal(strong?.rule.id, 'yara.ns.r');
  assert.deepEqual(strong?.rule.references, ['https://x.example/r']);
  assert.equal(strong?.severity, 'critical');
  assert.equal(strong?.outcome, 'compromise');
  assert.equal(strong?.stage, 'webshell-write');
  assert.equal(strong?.time, '2021-03-03T07:00:00.000Z');
  assert.equal(strong?.evidence[0]?.excerpt, '$a@0x10: x.y');
  const [weak] = yaraFindings([{ ...base, meta: { score: 40 } }], { source: 'web-file' });
  assert.equal(weak?.rule.author, 'unknown');
  assert.equal(weak?.outcome, 'suspicious');
  assert.equal(weak?.severity, 'medium');
  assert.equal(weak?.time, undefined);
});

test('meta stage/outcome/cve are honoured; staged files and listings wait for the exploitation gate', () => {
  const meta = {
    author: 'exhunt',
    stage: 'webshell-write',
    outcome: 'compromise',
    severity: 'critical',
    cve: 'cve-2021-27065',
  };
  const [web] = yaraFindings([{ ...base, meta }], { source: 'web-file' });
  assert.deepEqual([web?.outcome, web?.cves], ['compromise', ['CVE-2021-27065']]);
  const [listing] = yaraFindings(
    [{ ...base, target: 'listing', meta: { ...meta, stage: 'credential-access' } }],
    {
      source: 'staged-file',
    },
  );
  assert.equal(listing?.outcome, 'context');
  assert.equal(listing?.stage, 'credential-access');
  assert.equal(listing?.details?.gate, 'exploitation');
  assert.notEqual(listing?.id, web?.id, 'content and listing matches of one rule are distinct findings');
});

test('--yara-max-size values', () => {
  assert.equal(parseSize('1048576'), 1048576);
  assert.equal(parseSize('512M'), 512 * 1024 ** 2);
  assert.equal(parseSize('2GiB'), 2 * 1024 ** 3);
  assert.equal(parseSize('1.5k'), 1536);
  assert.equal(parseSize('lots'), undefined);
});
