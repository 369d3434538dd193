import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SessionsSection } from '../core/report.js';
import { extractIndicators, indicatorKey } from './extract.js';
import { extractSessions } from './extract-sessions.js';
import { finding, makeReport, webshell } from './testing.js';

const SHA = 'AB'.repeat(32);

test('one indicator, one row: variants of an agent, an address and a webshell name collapse', () => {
  const report = makeReport(
    'compromised',
    [
      finding('f1', { userAgent: 'Mozilla/5.0+(compatible;+Foo,+Bar)', sourceIps: ['::ffff:198.51.100.9'] }),
      finding('f2', { userAgent: 'Mozilla/5.0 (compatible; Foo  Bar)', sourceIps: ['198.51.100.9'] }),
      finding('f3', { userAgent: 'mozilla/5.0 (COMPATIBLE; foo, bar)', sourceIps: ['10.0.0.5'] }),
    ],
    {
      webshells: [
        webshell('inetpub/wwwroot/aspnet_client/Shell.aspx', SHA),
        webshell('FrontEnd/HttpProxy/owa/auth/SHELL.ASPX', SHA.toLowerCase()),
      ],
    },
  );
  const got = extractIndicators(report).map((u) => `${u.kind} ${u.value}`);
  assert.deepEqual(got, [
    'ip 198.51.100.9',
    'user-agent mozilla/5.0 (compatible; foo bar)',
    `webshell-hash ${SHA.toLowerCase()}`,
    'webshell-name shell.aspx',
  ]);
});

test('sessions of the report become groups of indicators; a webshell name and hash are one group', () => {
  const sessions: SessionsSection = {
    rule: 'r',
    internalAddresses: [],
    server: { stages: [], timeline: [] },
    links: [],
    unattributed: [],
    list: [
      {
        id: 'S1',
        addresses: ['198.51.100.9'],
        userAgents: ['Evil+Tool/1.0'],
        webshells: ['/owa/auth/Shell.aspx?cmd=whoami'],
        firstSeen: '2021-03-03T06:00:00.000Z',
        lastSeen: '2021-03-03T07:00:00.000Z',
        outcome: 'compromise',
        stages: [],
        findings: ['f1'],
        requestIds: [],
        ecpCanaries: [],
        timeline: [],
      },
    ],
  };
  const report = makeReport(
    'compromised',
    [finding('f1', { userAgent: 'Evil Tool/1.0', stage: 'webshell-use', cves: ['cve-2021-27065'] })],
    { sessions, webshells: [webshell('inetpub/wwwroot/owa/auth/shell.aspx', SHA)] },
  );
  const known = new Set(extractIndicators(report).map((u) => indicatorKey(u.kind, u.value)));
  const groups = extractSessions(report, known);
  const s1 = groups.find((g) => g.indicators.includes('ip\x00198.51.100.9'));
  assert.ok(s1);
  assert.deepEqual(s1.indicators, [
    'ip\x00198.51.100.9',
    'user-agent\x00evil tool/1.0',
    `webshell-hash\x00${SHA.toLowerCase()}`,
    'webshell-name\x00shell.aspx',
  ]);
  assert.deepEqual(s1.stages, ['webshell-use']);
  assert.deepEqual(s1.cves, ['CVE-2021-27065']);
  assert.equal(s1.first, '2021-03-03T06:00:00.000Z');
  assert.ok(
    groups.some((g) => g.indicators.length === 2 && g.indicators.every((k) => k.startsWith('webshell-'))),
  );
  // The same report again gives the same keys: a rescan adds no group.
  assert.deepEqual(
    extractSessions(report, known).map((g) => g.key),
    groups.map((g) => g.key),
  );
});

test('without a sessions section, the findings of one public address are its group', () => {
  const report = makeReport('exploited', [
    finding('a', { sourceIps: ['198.51.100.9'], userAgent: 'ToolA/1' }),
    finding('b', { sourceIps: ['198.51.100.9'], userAgent: 'ToolB/1', stage: 'recon' }),
    finding('c', { sourceIps: ['203.0.113.5'], userAgent: 'ToolC/1' }),
    finding('d', { sourceIps: ['10.1.1.1'], userAgent: 'ToolD/1' }),
  ]);
  const known = new Set(extractIndicators(report).map((u) => indicatorKey(u.kind, u.value)));
  const groups = extractSessions(report, known).map((g) => g.indicators.join(' | '));
  assert.deepEqual(groups.sort(), [
    'ip\x00198.51.100.9 | user-agent\x00toola/1 | user-agent\x00toolb/1',
    'ip\x00203.0.113.5 | user-agent\x00toolc/1',
  ]);
});
