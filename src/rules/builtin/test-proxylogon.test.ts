// Tests for Test-ProxyLogon's outputs as findings: what each list says, with what outcome, and what it does not.

import assert from 'node:assert/strict';
import test from 'node:test';
import { fakeRecord } from '../../core/fake-record.js';
import { RULE_IDS, TPL_LISTED_FILE_RULE_IDS } from '../../core/rule-ids.js';
import {
  tplEcpLogDetector,
  tplOabLogDetector,
  tplOabPathDetector,
  tplSuspiciousFileDetector,
  tplUmCrashDetector,
} from './test-proxylogon.js';
import { ageDays, tplLogAgeDetector } from './tpl-log-age.js';

const ctx = { path: 'p' };

test('UM errors: the script exception is an attempt without a UTC time; other messages are not', () => {
  const hit = tplUmCrashDetector.check(
    fakeRecord('tpl-26857', {
      TimeCreated: '3/2/2021 11:20:31 PM',
      TimeCreatedLocal: '2021-03-02T23:20:31.000',
      MachineName: 'EX01',
      Message: 'x\nSystem.InvalidCastException: y',
    }),
    ctx,
  )?.[0];
  assert.equal(hit?.outcome, 'attempt');
  assert.deepEqual(hit?.cves, ['CVE-2021-26857']);
  assert.equal(hit?.time, undefined);
  assert.equal(hit?.details?.timeCreatedLocal, '2021-03-02T23:20:31.000');
  assert.equal(
    tplUmCrashDetector.check(fakeRecord('tpl-26857', { Message: 'service started' }), ctx),
    undefined,
  );
});

test('OAB download paths: outside ClientAccess\\OAB a success, inside nothing', () => {
  const out = tplOabPathDetector.check(
    fakeRecord('tpl-26858-paths', { Path: "'C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx'" }),
    ctx,
  )?.[0];
  assert.equal(out?.outcome, 'success');
  assert.equal(out?.details?.downloadPath, 'C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx');
  assert.deepEqual(out?.serverFile, { path: 'C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx', writtenBy: 'oab-generator' }); // prettier-ignore
  const inside = "'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\Temp\\a.lzx'";
  assert.equal(tplOabPathDetector.check(fakeRecord('tpl-26858-paths', { Path: inside }), ctx), undefined);
});

test('log lists name a log to collect: suspicious, never a verdict by themselves', () => {
  const oab = tplOabLogDetector.check(fakeRecord('tpl-26858', { Path: 'C:\\L\\OABGen.LOG' }), ctx)?.[0];
  const ecp = tplEcpLogDetector.check(fakeRecord('tpl-27065', { Path: 'C:\\L\\ECPServer.LOG' }), ctx)?.[0];
  assert.deepEqual([oab?.outcome, oab?.details?.logPath], ['suspicious', 'C:\\L\\OABGen.LOG']);
  assert.deepEqual([ecp?.outcome, ecp?.details?.logPath], ['suspicious', 'C:\\L\\ECPServer.LOG']);
});

test('suspicious files: an LSASS dump needs review, an archive is context, a vendor folder says so', () => {
  const row = (Type: string, Path: string) =>
    tplSuspiciousFileDetector.check(
      fakeRecord('tpl-other', {
        Type,
        Path,
        Name: Path.slice(Path.lastIndexOf('\\') + 1),
        LastWrite: '3/3/2021 2:10:44 AM',
        LastWriteUtc: '2021-03-03T02:10:44.000Z',
      }),
      ctx,
    )?.[0];
  const dump = row('LsassDump', 'C:\\root\\lsass.dmp');
  assert.deepEqual(
    [dump?.outcome, dump?.stage, dump?.time],
    ['suspicious', 'credential-access', '2021-03-03T02:10:44.000Z'],
  );
  assert.equal(row('SuspiciousArchive', 'C:\\ProgramData\\VSS\\a.7z')?.outcome, 'context');
  assert.match(
    row('SuspiciousArchive', 'C:\\ProgramData\\Symantec\\x.zip')?.note ?? '',
    /security or backup/,
  );
  assert.equal(row('Other', 'C:\\x\\y.aspx')?.outcome, 'suspicious');
  // The row's file is the server's, with the vendor whose folder holds it (what collected-copies reads).
  assert.deepEqual(row('SuspiciousArchive', 'C:\\ProgramData\\Symantec\\x.zip')?.serverFile?.path, 'C:\\ProgramData\\Symantec\\x.zip'); // prettier-ignore
  assert.ok(row('SuspiciousArchive', 'C:\\ProgramData\\Symantec\\x.zip')?.serverFile?.vendorProduct);
  assert.equal(row('SuspiciousArchive', 'C:\\ProgramData\\VSS\\a.7z')?.serverFile?.vendorProduct, undefined);
  // The collected-copies pass finds a copy's row by these ids: the detector emits the constants it reads.
  const ids = [dump, row('SuspiciousArchive', 'C:\\ProgramData\\VSS\\a.7z'), row('Other', 'C:\\x\\y.aspx')].map((h) => h?.rule.id); // prettier-ignore
  assert.deepEqual(ids, [RULE_IDS.tplLsassDumpListed, RULE_IDS.tplArchiveListed, RULE_IDS.tplFileListed]);
  assert.ok(ids.every((id) => TPL_LISTED_FILE_RULE_IDS.has(id ?? '')));
});

test('log age: days in the server culture, turned into dates from the file write time', () => {
  assert.deepEqual(['12.5', '12,5', '1,234.5', '7', 'x'].map(ageDays), [12.5, 12.5, 1234.5, 7, undefined]);
  const hit = tplLogAgeDetector.check(
    fakeRecord('tpl-log-age', {
      Oabgen: '29.5',
      EcpProxy: '6.0',
      OwaProxy: '6.0',
      WrittenAt: '2021-03-09T12:00:00.000Z',
    }),
    ctx,
  )?.[0];
  assert.equal(hit?.outcome, 'context');
  assert.equal(hit?.details?.EcpProxySince, '2021-03-03');
  assert.equal(hit?.details?.OabgenSince, '2021-02-08');
  assert.match(hit?.summary ?? '', /before 2021-03-03/);
  const undated = tplLogAgeDetector.check(fakeRecord('tpl-log-age', { EcpProxy: '6.0' }), ctx)?.[0];
  assert.match(undated?.note ?? '', /cannot be turned into dates/);
});
