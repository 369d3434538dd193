// Host behaviour of webshells on real attack recordings: each EVTX sample alone on a system drive, through scan().

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../core/finding.js';
import type { ScanReport } from '../core/report.js';
import { scan } from './scan.js';

const SHARED = new URL('../../../../shared/samples/', import.meta.url);
const ATTACK = fileURLToPath(new URL('evtx-attack-samples/', SHARED));
const PARSER = fileURLToPath(new URL('evtx-parser-samples/', SHARED));
const LOGS = 'Windows/System32/winevt/Logs';
const SYSMON_FILE = 'Microsoft-Windows-Sysmon%4Operational.evtx';

const RULE = {
  unusualChild: '1548e05a-dc61-4564-9d68-e731cbd7df50',
  loopbackTunnel: 'e926f005-985e-4411-bc22-0b97ed6cc3b5',
  internalAdminPort: 'c0c960d9-e567-4f1c-b004-a08f5a9d5e80',
  poolIdentityTool: '376359be-060c-456f-a53e-d6a670affd61',
  appcmdPasswords: '9b7a6c21-4e0d-4f55-8a3b-2d61e5c0f7a4',
  lsassDumpFile: 'e84e93ec-e6e8-4d3e-9e16-26f9cb1e1749',
};
/** Every rule written for host behaviour (issue 14), for the false-alarm check on benign logs. */
const HOST_RULES = new Set([
  ...Object.values(RULE),
  '1cf37f6d-1560-4776-98fd-4db33f557900',
  'c9d92752-f4fc-492a-8662-9e72627b5daf',
  '83bc6c42-7d16-47c0-aaaa-10ffb9e43001',
  '97b0bdf4-a328-4ae2-89dc-ab451ec81408',
  '469de1f6-6126-4ec1-94e7-87d78f4b24ff',
  '6bcd03c1-7241-46db-be8c-c0fc8a842589',
  '9e0ab691-a69f-4afc-b91f-3d9826456bf5',
  '3067e5f0-4826-47f9-9bf4-532edd7c622e',
  '7dcc81f5-7dd5-4fd3-afed-f877a513d54c',
  '45a9f85b-9a2d-429d-9d61-4b8f74883b2a',
  '6af34e82-7303-4cd2-96c7-840501c2fb5d',
  'caee1567-4d3d-43c0-b61e-eaf20154501e',
  'e1e1c741-b286-4594-bba5-2d3d90a40b5b',
  '35378d6c-198a-4ce6-955e-a2fa9b8e37c9',
]);

/** Scans a system-drive tree holding only `sample`, stored under the channel's file name. */
async function scanAlone(
  t: TestContext,
  sample: string,
  as = SYSMON_FILE,
): Promise<{ report: ScanReport; rel: string } | undefined> {
  if (!existsSync(sample)) {
    t.skip(`../shared/samples is absent (${sample}): real-sample test skipped`);
    return undefined;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-host-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(path.join(dir, LOGS), { recursive: true });
  await copyFile(sample, path.join(dir, LOGS, as));
  const { report } = await scan(dir, { threads: 0 });
  return { report, rel: `${LOGS}/${as}` };
}

function byRule(report: ScanReport, id: string): Finding[] {
  return report.findings.filter((f) => f.rule.id === id).sort((a, b) => line(a) - line(b));
}

function line(f: Finding): number {
  return f.evidence[0]?.line ?? -1;
}

/** Without web logs, the explanation must stand on the host evidence it names. */
function assertHostOnlyCompromise(report: ScanReport, rel: string, decisive: Finding): void {
  assert.equal(report.verdict, 'compromised');
  assert.equal(
    report.coverage.some((c) => /^(IIS|HttpProxy)/.test(c.family)),
    false,
    'the tree holds no web logs',
  );
  assert.ok(report.decisive.includes(decisive.id), 'the host finding decides the verdict');
  assert.ok(report.explanation.includes(rel), report.explanation);
  // It names the host evidence as proof, and says only that the entry point is not shown.
  assert.doesNotMatch(report.explanation, /cannot be ruled out/);
  assert.match(report.explanation, /how the attacker got in .* is not shown/);
}

test('Tunna through IIS: w3wp relaying RDP and SMB to loopback is a compromise', async (t) => {
  const got = await scanAlone(
    t,
    path.join(ATTACK, 'Command and Control/tunna_iis_rdp_smb_tunneling_sysmon_3.evtx'),
  );
  if (!got) return;
  const { report, rel } = got;
  const tunnel = byRule(report, RULE.loopbackTunnel);
  // w3wp's own outbound connections, two to 3389 and two to 445; the services answering them (svchost,
  // System) and the NetBIOS broadcasts are not the worker's.
  assert.deepEqual(tunnel.map(line), [35076, 35079, 35202, 35205]);
  for (const f of tunnel) {
    assert.equal(f.outcome, 'compromise');
    assert.equal(f.evidence[0]?.path, rel);
    assert.match(f.evidence[0]?.excerpt ?? '', /inetsrv\\w3wp\.exe/);
    assert.match(f.evidence[0]?.excerpt ?? '', /127\.0\.0\.1/);
  }
  assert.match(tunnel[0]?.evidence[0]?.excerpt ?? '', / 3389 /);
  assert.match(tunnel[2]?.evidence[0]?.excerpt ?? '', / 445 /);
  assert.equal(tunnel[0]?.time, '2019-09-03T11:04:07.207Z');
  assert.deepEqual(byRule(report, RULE.internalAdminPort), [], 'loopback is not an internal host');
  assertHostOnlyCompromise(report, rel, tunnel[0]);
});

test('a typical IIS webshell: w3wp starting cmd, and its grandchildren under the pool identity', async (t) => {
  const got = await scanAlone(
    t,
    path.join(ATTACK, 'Lateral Movement/LM_typical_IIS_webshell_sysmon_1_10_traces.evtx'),
  );
  if (!got) return;
  const { report, rel } = got;
  const child = byRule(report, RULE.unusualChild);
  assert.deepEqual(child.map(line), [1044]);
  assert.match(child[0]?.evidence[0]?.excerpt ?? '', /cmd\.exe" \/c net user/);
  assert.equal(child[0]?.details?.ParentImage, 'C:\\Windows\\System32\\inetsrv\\w3wp.exe');
  // cmd.exe, then net.exe and net1.exe that cmd started: all run as IIS APPPOOL\DefaultAppPool.
  const pool = byRule(report, RULE.poolIdentityTool);
  assert.deepEqual(pool.map(line), [1044, 1046, 1047]);
  assert.match(pool[2]?.evidence[0]?.excerpt ?? '', /net1\s+user/);
  assert.ok(pool.every((f) => f.outcome === 'compromise'));
  assertHostOnlyCompromise(report, rel, child[0]);
});

test('IIS credential discovery: PowerShell under w3wp reading application pool passwords with appcmd', async (t) => {
  const got = await scanAlone(
    t,
    path.join(ATTACK, 'Credential Access/discovery_sysmon_1_iis_pwd_and_config_discovery_appcmd.evtx'),
  );
  if (!got) return;
  const { report, rel } = got;
  const child = byRule(report, RULE.unusualChild);
  assert.deepEqual(child.map(line), [5875], 'only PowerShell is w3wp’s own child');
  assert.match(child[0]?.evidence[0]?.excerpt ?? '', /powershell\.exe/);
  const reads = byRule(report, RULE.appcmdPasswords);
  assert.ok(reads.length > 0);
  for (const f of reads) {
    assert.equal(f.outcome, 'suspicious');
    assert.match(f.details?.CommandLine ?? '', /\/text:(processmodel\.)?password/i);
  }
  // Listing names and paths is discovery, not a password read.
  assert.ok(!reads.some((f) => /\/text:(name|physicalpath|username)/i.test(f.details?.CommandLine ?? '')));
  assert.ok(reads.some((f) => line(f) === 5892));
  const pool = byRule(report, RULE.poolIdentityTool);
  assert.ok(pool.some((f) => line(f) === 5877 && /appcmd\.exe/.test(f.details?.Image ?? '')));
  assertHostOnlyCompromise(report, rel, child[0] as Finding);
});

test('LSASS dumps written to disk (ProcDump, Task Manager, PPLdump) are a compromise', async (t) => {
  const cases: [string, number[]][] = [
    ['Credential Access/sysmon_10_11_lsass_memdump.evtx', [4433, 4441]],
    ['Credential Access/ppl_bypass_ppldump_knowdll_hijack_sysmon_security.evtx', [564596]],
  ];
  for (const [sample, records] of cases) {
    const got = await scanAlone(t, path.join(ATTACK, sample));
    if (!got) return;
    const dumps = byRule(got.report, RULE.lsassDumpFile);
    assert.deepEqual(dumps.map(line), records, sample);
    for (const f of dumps) assert.match(f.details?.TargetFilename ?? '', /lsass.*\.dmp$/i, sample);
    assertHostOnlyCompromise(got.report, got.rel, dumps[0] as Finding);
  }
});

test('benign logs from a parser corpus raise none of the host-behaviour rules', async (t) => {
  const samples: [string, string][] = [
    ['sysmon.evtx', SYSMON_FILE],
    ['security.evtx', 'Security.evtx'],
    ['system.evtx', 'System.evtx'],
    ['MSExchange_Management_wec.evtx', 'MSExchange Management.evtx'],
  ];
  for (const [name, as] of samples) {
    const got = await scanAlone(t, path.join(PARSER, name), as);
    if (!got) return;
    const hits = got.report.findings.filter((f) => HOST_RULES.has(f.rule.id));
    assert.deepEqual(
      hits.map((f) => `${f.rule.title} @${line(f)}`),
      [],
      name,
    );
    assert.ok(
      got.report.coverage.some((c) => c.records > 0),
      `${name} was read`,
    );
  }
});
