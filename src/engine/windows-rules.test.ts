// Our Windows event-log rules through the real mapping, on event records shaped as the EVTX source yields them.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { Hit } from '../core/detector.js';
import { fakeRecord } from '../core/fake-record.js';
import type { FieldValue } from '../core/record.js';
import { createRuleSet } from './ruleset.js';
import { loadSigmaMatchers } from './sigma.js';

type Fields = Record<string, FieldValue | readonly FieldValue[]>;
const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

const cases: { name: string; fields: Fields; expect: string[] }[] = [
  {
    name: 'UM crash with InvalidCastException',
    fields: {
      Channel: 'Application',
      Provider_Name: 'MSExchange Unified Messaging',
      Level: 2,
      EventID: 1,
      Data: ['System.InvalidCastException: Unable to cast'],
    },
    expect: ['Unified Messaging Deserialization Crash (CVE-2021-26857)'],
  },
  {
    name: 'UM warning without the exception',
    fields: {
      Channel: 'Application',
      Provider_Name: 'MSExchange Unified Messaging',
      Level: 3,
      EventID: 1,
      Data: ['call ended'],
    },
    expect: [],
  },
  {
    name: 'mailbox export to an aspx file',
    fields: {
      Channel: 'MSExchange Management',
      Provider_Name: 'MSExchange CmdletLogs',
      EventID: 1,
      Data: [
        'New-MailboxExportRequest',
        '-Mailbox "admin" -FilePath "\\\\127.0.0.1\\C$\\inetpub\\wwwroot\\aspnet_client\\x.aspx"',
      ],
    },
    expect: ['Mailbox Exported to a Web Folder or Script File (ProxyShell webshell drop)'],
  },
  {
    name: 'mailbox export to a file share (admin)',
    fields: {
      Channel: 'MSExchange Management',
      Provider_Name: 'MSExchange CmdletLogs',
      EventID: 1,
      Data: ['New-MailboxExportRequest', '-Mailbox "jdoe" -FilePath "\\\\fs01\\pst\\jdoe.pst"'],
    },
    expect: ['Mailbox Export Requested (MSExchange Management)'],
  },
  {
    name: 'OAB URL set to an https address (admin)',
    fields: {
      Channel: 'MSExchange Management',
      EventID: 1,
      Data: ['Set-OabVirtualDirectory', '-ExternalUrl "https://mail.corp.example/OAB"'],
    },
    expect: [],
  },
  {
    name: 'w3wp starting cmd (Sysmon 1)',
    fields: {
      Channel: SYSMON,
      EventID: 1,
      ParentImage: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe',
      Image: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: 'cmd /c whoami',
    },
    expect: ['Unusual Process Started by an Exchange Web or UM Worker'],
  },
  {
    name: 'w3wp starting cmd (Security 4688)',
    fields: {
      Channel: 'Security',
      EventID: 4688,
      ParentProcessName: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe',
      NewProcessName: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: 'cmd /c ipconfig',
    },
    expect: ['Unusual Process Started by an Exchange Web or UM Worker'],
  },
  {
    name: 'w3wp starting the C# compiler (benign)',
    fields: {
      Channel: SYSMON,
      EventID: 1,
      ParentImage: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe',
      Image: 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe',
      CommandLine: 'csc.exe /noconfig',
    },
    expect: [],
  },
  {
    name: 'UMWorkerProcess starting a shell',
    fields: {
      Channel: SYSMON,
      EventID: 1,
      ParentImage: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\UMWorkerProcess.exe',
      Image: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: 'cmd',
    },
    expect: [
      'Unusual Process Started by an Exchange Web or UM Worker',
      'Unified Messaging Worker Starting a Process (CVE-2021-26857)',
    ],
  },
  {
    name: 'comsvcs MiniDump of LSASS',
    fields: {
      Channel: SYSMON,
      EventID: 1,
      Image: 'C:\\Windows\\System32\\rundll32.exe',
      ParentImage: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine:
        'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\Windows\\Temp\\lsass.dmp full',
    },
    expect: ['LSASS Memory Dumped (comsvcs MiniDump or ProcDump)'],
  },
  {
    name: 'webshell written by w3wp (Sysmon 11)',
    fields: {
      Channel: SYSMON,
      EventID: 11,
      Image: 'c:\\windows\\system32\\inetsrv\\w3wp.exe',
      TargetFilename: 'C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx',
    },
    expect: ['Script or Program File Written by an Exchange Web or UM Worker (Sysmon 11)'],
  },
  {
    name: 'new service (gated)',
    fields: { Channel: 'System', EventID: 7045, ServiceName: 'updater', ImagePath: 'C:\\ProgramData\\u.exe' },
    expect: ['Service Installed'],
  },
  {
    name: 'Defender finds an aspx',
    fields: {
      Channel: 'Microsoft-Windows-Windows Defender/Operational',
      EventID: 1116,
      Path: 'file:_C:\\inetpub\\wwwroot\\aspnet_client\\discover.aspx',
    },
    expect: ['Defender Detected Malware in a Web Folder'],
  },
];

test('each Windows rule fires on its events and not on the benign look-alikes', async () => {
  const sigma = await loadSigmaMatchers({ builtinRules: true, rulePaths: [], mappingPaths: [] });
  assert.deepEqual(sigma.errors, []);
  const set = createRuleSet(sigma.forSource).forSource('evtx');
  for (const c of cases) {
    const hits: Hit[] = [];
    const text = Object.values(c.fields)
      .map((v) => (Array.isArray(v) ? v.join(' ') : String(v)))
      .join(' ');
    set.run(fakeRecord('evtx', c.fields, { text }), { path: 'Security.evtx' }, hits);
    assert.deepEqual(hits.map((h) => h.rule.title).sort(), [...c.expect].sort(), c.name);
  }
});

test('gated rules wait for exploitation, and findings carry the event fields that matter', async () => {
  const sigma = await loadSigmaMatchers({ builtinRules: true, rulePaths: [], mappingPaths: [] });
  const set = createRuleSet(sigma.forSource).forSource('evtx');
  const hits: Hit[] = [];
  const svc = cases.find((c) => c.name.startsWith('new service'))!;
  set.run(fakeRecord('evtx', svc.fields, { text: 'x 7045 updater' }), { path: 'System.evtx' }, hits);
  assert.equal(hits[0]?.outcome, 'context');
  assert.equal(hits[0]?.details?.gate, 'exploitation');
  assert.equal(hits[0]?.details?.ServiceName, 'updater');
  const exp: Hit[] = [];
  const exportCase = cases[2]!;
  set.run(
    fakeRecord('evtx', exportCase.fields, { text: 'New-MailboxExportRequest .aspx' }),
    { path: 'm.evtx' },
    exp,
  );
  assert.equal(exp[0]?.details?.cmdlet, 'New-MailboxExportRequest');
  assert.match(exp[0]?.details?.parameters ?? '', /-FilePath/);
});

const SHARED = new URL('../../../../shared/samples/', import.meta.url);

test('the real MSExchange Management sample: a forwarding address set with Set-Mailbox is reported', async (t) => {
  const { existsSync } = await import('node:fs');
  const { mkdtemp, copyFile } = await import('node:fs/promises');
  const os = await import('node:os');
  const path = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const sample = fileURLToPath(new URL('evtx-parser-samples/MSExchange_Management_wec.evtx', SHARED));
  if (!existsSync(sample)) return t.skip(`../shared/samples is absent (${sample}): real-sample test skipped`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-msx-'));
  await copyFile(sample, path.join(dir, 'MSExchange Management.evtx'));
  const { scan } = await import('./scan.js');
  const { report } = await scan(dir, { threads: 0 });
  const f = report.findings.find((x) => x.rule.title.startsWith('Mailbox Forwarding'));
  assert.ok(f, 'forwarding finding');
  assert.equal(f.details?.cmdlet, 'Set-Mailbox');
  assert.match(f.details?.parameters ?? '', /ForwardingSmtpAddress "smtp:test2@example.com"/);
  assert.equal(f.evidence[0]?.line, 3229);
  assert.equal(f.time, '2021-11-19T16:52:33.833Z');
});

/** The data items of a real MSExchange Management event (the sample's record 3229), with another cmdlet. */
function cmdletData(cmdlet: string, parameters: string, error = ''): string[] {
  return [
    cmdlet,
    parameters,
    'corp.example/Users/Administrator',
    'S-1-5-21-186559946-3925841745-111227986-500',
    'S-1-5-21-186559946-3925841745-111227986-500',
    'Remote-ManagementShell-Unknown',
    '5668 w3wp#MSExchangePowerShellAppPool',
    '',
    '5',
    '00:00:01.0389557',
    'View Entire Forest: False',
    error,
    '',
  ];
}

test('transport agents: installed, enabled and failed are told apart, and a failure is never "installed"', async () => {
  const sigma = await loadSigmaMatchers({ builtinRules: true, rulePaths: [], mappingPaths: [] });
  const set = createRuleSet(sigma.forSource).forSource('evtx');
  const params =
    '-Name "Mail Filter" -TransportAgentFactory "Vendor.Filter.Factory" -AssemblyPath "C:\\ProgramData\\f.dll"';
  const run = (eventId: number, level: number, data: string[]): Hit[] => {
    const hits: Hit[] = [];
    const fields: Fields = {
      Channel: 'MSExchange Management',
      Provider_Name: 'MSExchange CmdletLogs',
      EventID: eventId,
      Level: level,
      Data: data,
    };
    set.run(
      fakeRecord('evtx', fields, { text: data.join(' ') }),
      { path: 'MSExchange Management.evtx' },
      hits,
    );
    return hits;
  };
  const installed = run(1, 4, cmdletData('Install-TransportAgent', params));
  assert.deepEqual(
    installed.map((h) => h.rule.title),
    ['Exchange Transport Agent Installed'],
  );
  assert.equal(installed[0]?.outcome, 'suspicious');
  assert.equal(installed[0]?.details?.cmdlet, 'Install-TransportAgent');
  assert.match(installed[0]?.details?.parameters ?? '', /-AssemblyPath "C:\\ProgramData\\f\.dll"/);
  assert.equal(
    installed[0]?.details?.gate,
    undefined,
    'counted for review on its own, not only after exploitation',
  );

  const failed = run(6, 2, cmdletData('Install-TransportAgent', params, 'The assembly could not be loaded.'));
  assert.deepEqual(
    failed.map((h) => h.rule.title),
    ['Exchange Transport Agent Installation or Enabling Failed'],
  );

  const enabled = run(1, 4, cmdletData('Enable-TransportAgent', '-Identity "Mail Filter"'));
  assert.deepEqual(
    enabled.map((h) => h.rule.title),
    ['Exchange Transport Agent Enabled'],
  );

  // Uninstall-TransportAgent contains the text "Install-TransportAgent": neither installed nor failed.
  assert.deepEqual(run(1, 4, cmdletData('Uninstall-TransportAgent', '-Identity "Mail Filter"')), []);
  assert.deepEqual(run(6, 2, cmdletData('Uninstall-TransportAgent', '-Identity "Mail Filter"', 'x')), []);
});
