// The remediation plan: ordered, with exact targets, scoped by verdict and exposure, and the build's updates.

import assert from 'node:assert/strict';
import test from 'node:test';
import { assessBuild } from '../exposure/assess.js';
import { buildIncident } from './incident.js';
import { finding, report, resetIds } from './testkit.js';

function compromised() {
  resetIds();
  const shell = 'EXCH01/inetpub/wwwroot/aspnet_client/discover.aspx';
  const fs = [
    finding({
      time: '2021-03-03T06:49:46.000Z',
      sourceIps: ['203.0.113.51'],
      stage: 'exploit',
      outcome: 'success',
      cves: ['CVE-2021-26855'],
    }),
    finding({
      rule: { id: 'exhunt.webshell.file', title: 'Webshell', author: 'exhunt', source: 'exhunt' },
      time: '2021-03-03T06:50:00.000Z',
      stage: 'webshell-write',
      outcome: 'compromise',
      path: shell,
      line: null,
      details: { path: shell },
    }),
    finding({
      time: '2021-03-03T06:50:30.000Z',
      sourceIps: ['203.0.113.51'],
      stage: 'webshell-use',
      outcome: 'compromise',
      details: {
        url: '/aspnet_client/discover.aspx',
        httpStatus: '200',
        method: 'GET',
        command: 'cmd /c net user helpdesk P@ss /add & schtasks /create /tn Updater /tr x',
      },
    }),
    finding({
      time: '2021-03-03T06:51:00.000Z',
      stage: 'webshell-write',
      outcome: 'success',
      path: 'Logging/ECP/Server/ECPServer20210303-1.LOG',
      details: {
        cmd: "Set-OabVirtualDirectory.ExternalUrl='http://f/<script>'.Identity='EXCH01\\OAB (Default Web Site)'",
      },
    }),
    finding({
      time: '2021-03-03T06:52:00.000Z',
      stage: 'collection',
      outcome: 'compromise',
      path: 'x.evtx',
      details: {
        cmdlet: 'New-ManagementRoleAssignment',
        parameters: '-Role "Mailbox Import Export" -User "svc-backup"',
      },
    }),
  ];
  return report(fs, {
    verdict: 'compromised',
    webshells: [{ path: shell, sha256: 'a'.repeat(64), size: 67, reasons: ['China Chopper'] }],
  });
}

test('a compromised server: evidence first, then containment, eradication, credentials, updates, re-scan', () => {
  const r = compromised();
  const plan = buildIncident(r).remediation;
  assert.deepEqual(
    plan.steps.map((s) => s.id),
    [
      'preserve-evidence',
      'block-addresses',
      'quarantine-files',
      'revert-virtual-directories',
      'remove-exports-and-roles',
      'remove-persistence',
      'reset-credentials',
      'apply-updates',
      'mitigate',
      'rescan',
    ],
  );
  assert.deepEqual(
    plan.steps.map((s) => s.order),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  const step = (id: string) => plan.steps.find((s) => s.id === id);
  assert.deepEqual(
    step('quarantine-files')?.targets.map((t) => [t.serverPath, t.sha256]),
    [['%SystemDrive%\\inetpub\\wwwroot\\aspnet_client\\discover.aspx', 'a'.repeat(64)]],
  );
  assert.deepEqual(
    step('block-addresses')?.targets.map((t) => t.value),
    ['203.0.113.51'],
  );
  assert.deepEqual(
    step('revert-virtual-directories')?.targets.map((t) => [t.value, t.detail]),
    [['Oab', 'identity EXCH01\\OAB (Default Web Site)']],
  );
  assert.deepEqual(
    step('remove-exports-and-roles')?.targets.map((t) => [t.kind, t.value, t.detail]),
    [['role-assignment', 'svc-backup', 'Mailbox Import Export']],
  );
  assert.deepEqual(
    step('remove-persistence')
      ?.targets.map((t) => [t.kind, t.value])
      .sort(),
    [
      ['account', 'helpdesk'],
      ['scheduled-task', 'Updater'],
    ],
  );
  assert.ok(step('reset-credentials')?.targets.some((t) => /computer account/.test(t.value)));
  assert.deepEqual(
    step('apply-updates')?.targets.map((t) => t.value),
    ["Mar21SU (or later) for the server's CU"],
    'no build: the CVEs seen name the update',
  );
  assert.ok(step('mitigate')?.targets.some((t) => /EOMT/.test(t.value)));
  assert.deepEqual(
    plan.steps.filter((s) => s.scripted).map((s) => s.id),
    ['quarantine-files', 'revert-virtual-directories', 'remove-exports-and-roles', 'remove-persistence'],
  );
});

test('with the server build, the updates are the ones the build lacks', () => {
  const a = assessBuild('15.1.2176.2');
  const r = compromised();
  r.exposure = {
    build: '15.1.2176.2',
    cves: a.cves,
    missing: a.missing,
    timeline: { builds: [], changes: [], windows: [] },
    mitigations: [
      {
        path: 'inetpub/wwwroot/web.config',
        cve: 'CVE-2022-41040',
        tool: 'EOMTv2',
        state: 'partial',
        rules: ['x'],
      },
    ],
    notes: [],
  };
  const plan = buildIncident(r).remediation;
  assert.equal(plan.build, '15.1.2176.2');
  const updates = plan.steps.find((s) => s.id === 'apply-updates');
  assert.match(updates?.title ?? '', /build 15\.1\.2176\.2/);
  assert.ok(
    updates?.targets.some(
      (t) => t.value === 'Mar21SU for Exchange 2016 CU19' && /15\.1\.2176\.9, KB5000871/.test(t.detail ?? ''),
    ),
  );
  assert.ok(plan.updates.some((u) => u.kb === 'KB5000871'));
  const mitigations = plan.steps.find((s) => s.id === 'mitigate')?.targets ?? [];
  assert.ok(
    mitigations.some(
      (t) => t.value === 'EOMTv2 for CVE-2022-41040: partial' && /does not fully block/.test(t.detail ?? ''),
    ),
  );
  // An injected assessment is used as given: the plan does not second-guess the exposure module.
  const fake = buildIncident(r, {
    assess: () => ({ missing: [], vulnerableCampaigns: ['OWASSRF'] }),
  }).remediation;
  assert.deepEqual(fake.updates, []);
  assert.ok(fake.steps.find((s) => s.id === 'mitigate')?.targets.some((t) => /OWASSRF/.test(t.detail ?? '')));
});

test('a clean server gets no cleanup steps, only the updates', () => {
  resetIds();
  const plan = buildIncident(report([], { verdict: 'clean' })).remediation;
  assert.deepEqual(
    plan.steps.map((s) => s.id),
    ['apply-updates'],
  );
});

test('the credentials to reset follow what was exposed', () => {
  resetIds();
  const lsass = finding({
    rule: { id: 'exhunt.staged.lsass-dump', title: 'LSASS', author: 'exhunt', source: 'exhunt' },
    time: '2021-03-05T03:12:14.020Z',
    stage: 'credential-access',
    outcome: 'compromise',
    path: 'Windows/Temp/lsass.dmp',
    line: null,
    details: { path: 'Windows/Temp/lsass.dmp' },
  });
  const r = report([lsass], { verdict: 'compromised' });
  const creds = buildIncident(r).remediation.steps.find((s) => s.id === 'reset-credentials')?.targets ?? [];
  assert.match(
    creds[0]?.value ?? '',
    /every account logged on to the server before 2021-03-05T03:12:14\.020Z/,
  );
  assert.deepEqual(creds[0]?.findings, [lsass.id]);
  assert.ok(creds.some((t) => /krbtgt/.test(t.value)));
});

test('a refused request names an account but never leads to resetting it; an answered one does', () => {
  resetIds();
  const name = 'administrator@corp.local';
  const token = Buffer.concat([
    Buffer.from('V\x01\x00T\x07WindowsC\x00A\x08Kerberos', 'latin1'),
    Buffer.from([0x4c, name.length]),
    Buffer.from(name),
    Buffer.from('U\x0cS-1-5-21-1-2', 'latin1'),
  ]).toString('base64');
  const line = (status: number) =>
    `2021-08-13 10:00:00 10.0.0.5 GET /autodiscover/autodiscover.json @x.com/powershell/?X-Rps-CAT=${encodeURIComponent(token)} 443 - 203.0.113.9 python-requests/2.25 - ${status} 0 0 12`;
  const shell = (status: number) =>
    finding({
      rule: {
        id: 'exhunt.proxyshell.rps',
        title: 'ProxyShell PowerShell',
        author: 'exhunt',
        source: 'exhunt',
      },
      stage: 'exploit',
      outcome: status < 400 ? 'success' : 'attempt',
      time: '2021-08-13T10:00:00.000Z',
      excerpt: line(status),
      details: { httpStatus: String(status) },
    });
  const targets = (status: number) =>
    buildIncident(report([shell(status)], { verdict: status < 400 ? 'exploited' : 'attempted' }))
      .remediation.steps.find((s) => s.id === 'reset-credentials')
      ?.targets.map((t) => t.value) ?? [];
  assert.deepEqual(targets(401), []);
  assert.deepEqual(targets(403), []);
  assert.ok(targets(200).includes(name), String(targets(200)));
});

test('a clean, fully patched server has no open mitigation step, whatever mitigations its web.config still holds', () => {
  resetIds();
  const r = report([], { verdict: 'clean' });
  r.exposure = {
    build: '15.2.1544.4',
    cves: [],
    missing: [],
    timeline: { builds: [], changes: [], windows: [] },
    mitigations: [
      {
        path: 'inetpub/wwwroot/web.config',
        cve: 'CVE-2022-41040',
        tool: 'EOMTv2',
        state: 'partial',
        rules: ['x'],
      },
    ],
    notes: [],
  };
  const patched = buildIncident(r, { assess: () => ({ missing: [], vulnerableCampaigns: [] }) }).remediation;
  assert.equal(
    patched.steps.find((s) => s.id === 'mitigate'),
    undefined,
  );
  // The same web.config on a build still open to ProxyNotShell: the partial rule must be fixed.
  const open = buildIncident(r, { assess: () => ({ missing: [], vulnerableCampaigns: ['ProxyNotShell'] }) });
  assert.ok(
    open.remediation.steps
      .find((s) => s.id === 'mitigate')
      ?.targets.some((t) => /EOMTv2 for CVE-2022-41040: partial/.test(t.value)),
  );
});
