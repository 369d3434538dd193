// The generated remediation script: the plan's reversible steps as PowerShell, dry run unless -Apply.

import type { RemediationStep, RemediationTarget, ScanReport } from '../core/report.js';
import { psComment, psLiteral } from './escape.js';
import { EPILOGUE, GUARD, PARAMS, PRELUDE } from './powershell-prelude.js';

const VDIR_TYPES = new Set([
  'Oab',
  'Owa',
  'Ecp',
  'WebServices',
  'ActiveSync',
  'Autodiscover',
  'Mapi',
  'PowerShell',
]);
const SHA256 = /^[0-9a-f]{64}$/;

interface ScriptOptions {
  /**
   * The host the script may run on when the report names none (`report.scan.host.name` wins): the fleet's
   * name for the server. Without either the script refuses until `-ExpectedHost` is given.
   */
  host?: string;
}

/**
 * The whole script for a report; steps the script does not carry out are named in its header. Each step
 * names its checklist item (the step's id, the key of the dashboard's remediation checklist), so a
 * responder can tick off what the transcript shows done. It starts with a UTF-8 byte order mark: without
 * one, Windows PowerShell 5.1 reads the file as Windows-1252, where the bytes of some UTF-8 characters
 * (U+0111 is C4 91) become typographic quotes that end a literal.
 */
export function remediationScript(report: ScanReport, opts: ScriptOptions = {}): string {
  const steps = report.remediation?.steps ?? [];
  const host = report.scan.host?.name ?? opts.host;
  const install = installPathExpression(report.scan.installPath);
  const out: string[] = [
    '# exhunt remediation script',
    `# From the scan of ${psComment(report.scan.evidence.root)} finished ${report.scan.finishedAt} (exhunt ${psComment(report.tool.version)}), verdict: ${report.verdict}.`,
    `# For host ${host ? psComment(host) : '(not named: pass -ExpectedHost)'}; Exchange installed in ${install ? psComment(install.shown) : 'the folder ExchangeInstallPath names'}.`,
    '# It refuses to run, changing nothing, on another host or where that folder does not exist.',
    '# Reversible steps only: files are moved to a quarantine folder after their SHA-256 is checked (never',
    '# deleted), script is cleared from virtual directory URLs (the old value is logged), export requests are',
    '# suspended, role assignments, accounts, services and scheduled tasks are disabled.',
    '# Dry run unless -Apply is given; every action is logged to a transcript in the quarantine folder.',
    '# Each step names its checklist item: tick it in the dashboard once the transcript shows it done.',
    '# Run it on the Exchange server, as an administrator, in the Exchange Management Shell:',
    '#   .\\exhunt-remediation.ps1            # shows what it would do',
    '#   .\\exhunt-remediation.ps1 -Apply     # does it',
  ];
  const manual = steps.filter((s) => !s.scripted);
  if (manual.length > 0) {
    out.push('# Steps of the plan that are for people, not this script (see the report):');
    for (const s of manual)
      out.push(`#   ${s.order}. ${psComment(s.title)} [checklist item ${psComment(s.id)}]`);
  }
  out.push(
    '',
    PARAMS.trimEnd(),
    '    # The host this script was made for; another value only after checking it is the same server.',
    `    [string]$ExpectedHost = ${(host ? psLiteral(host) : undefined) ?? "''"},`,
    '    # Where the scan found Exchange installed; the script refuses to run where it does not exist.',
    `    [string]$InstallPath = ${install?.expression ?? '$env:ExchangeInstallPath'}`,
    ')',
    GUARD.trimEnd(),
    '',
    PRELUDE.trimEnd(),
    '',
  );
  const scripted: string[] = [];
  for (const s of steps.filter((x) => x.scripted)) {
    const lines = stepScript(s);
    if (lines.length === 0) continue;
    scripted.push(s.id);
    out.push(...lines, '');
  }
  if (scripted.length > 0) {
    const list = psLiteral(scripted.join(', '));
    if (list) out.push(`Write-Host ('Checklist items this script covers: ' + ${list})`);
  }
  out.push(EPILOGUE.trim(), '');
  return '\ufeff' + out.join('\r\n');
}

/**
 * The install folder the report names (evidence-relative, lower-cased: `program files/microsoft/exchange
 * server/v15/`, possibly below a bundle's top folder) as a path on the server, relative to its system drive
 * as the quarantine targets are; undefined when the evidence did not show where it was.
 */
function installPathExpression(
  installPath: string | undefined,
): { expression: string; shown: string } | undefined {
  const m = /(?:^|\/)(program files(?: \(x86\))?\/.*)$/i.exec(installPath ?? '');
  if (!m?.[1]) return undefined;
  const rel = `\\${m[1].replace(/\//g, '\\').replace(/\\$/, '')}`;
  const q = psLiteral(rel);
  return q ? { expression: `($SystemDrive + ${q})`, shown: `%SystemDrive%${rel}` } : undefined;
}

function stepScript(step: RemediationStep): string[] {
  const body = bodyOf(step);
  if (body.length === 0) return [];
  return [
    `# Checklist item ${psComment(step.id)}: ${psComment(step.title)}`,
    `Invoke-Step ${psLiteral(`${step.order}. ${step.title} [checklist item ${step.id}]`) ?? psLiteral(`step [checklist item ${step.id}]`) ?? "'step'"} {`,
    ...body.map((l) => `    ${l}`),
    '}',
  ];
}

function bodyOf(step: RemediationStep): string[] {
  const lines: string[] = [];
  const each = (t: RemediationTarget, line: (t: RemediationTarget) => string | undefined, indent = '') => {
    const l = line(t);
    if (l) lines.push(indent + l);
    else
      lines.push(
        `${indent}# SKIPPED, handle by hand (control characters or no place on this server): ${psComment(t.value)}`,
      );
  };
  switch (step.id) {
    case 'quarantine-files': {
      for (const t of step.targets) each(t, quarantineLine);
      if (step.targets.some((t) => t.detail?.startsWith('webshell')))
        lines.push(
          "Restart-ExchangePool 'MSExchangeOWAAppPool'",
          "Restart-ExchangePool 'MSExchangeECPAppPool'",
        );
      break;
    }
    case 'revert-virtual-directories': {
      const types = [...new Set(step.targets.map((t) => t.value).filter((v) => VDIR_TYPES.has(v)))];
      lines.push('if (Test-ExchangeShell) {');
      for (const type of types) lines.push(`    Clear-ScriptedUrl '${type}'`);
      lines.push('}');
      break;
    }
    case 'remove-exports-and-roles': {
      lines.push('if (Test-ExchangeShell) {');
      lines.push(
        "    foreach ($r in @(Get-MailboxExportRequest)) { Write-Action ('export request ' + $r.Identity + ', file ' + $r.FilePath + ', status ' + $r.Status) }",
        "    foreach ($a in @(Get-ManagementRoleAssignment -Role 'Mailbox Import Export')) { Write-Action ('Mailbox Import Export: ' + $a.RoleAssigneeName + ' (' + $a.Name + ', enabled ' + $a.Enabled + ')') }",
      );
      for (const t of step.targets) {
        if (t.value.startsWith('(')) continue; // the log did not name the mailbox or user
        if (t.kind === 'export-request') each(t, (x) => call('Suspend-ExportRequest', [x.value]), '    ');
        else if (t.kind === 'role-assignment')
          each(t, (x) => call('Disable-RoleAssignment', [x.value, x.detail ?? '']), '    ');
        else if (t.kind === 'permission')
          lines.push(
            `    # review by hand (removing a permission is not reversible here): ${psComment(`${t.value} ${t.detail ?? ''}`)}`,
          );
      }
      lines.push('}');
      break;
    }
    case 'remove-persistence': {
      for (const t of step.targets) {
        if (t.kind === 'account') each(t, (x) => call('Disable-LocalAccount', [x.value]));
        else if (t.kind === 'service') each(t, (x) => call('Disable-ServiceByName', [x.value]));
        else if (t.kind === 'scheduled-task') each(t, (x) => call('Disable-TaskByName', [x.value]));
      }
      break;
    }
  }
  return lines;
}

/** `Name 'arg1' 'arg2'`, or undefined when an argument cannot be quoted safely. */
function call(fn: string, args: string[]): string | undefined {
  const quoted = args.map(psLiteral);
  if (quoted.some((q) => q === undefined)) return undefined;
  return `${fn} ${quoted.join(' ')}`;
}

/** The path expression of a file on this server: `($SystemDrive + '\rest')`, or an absolute literal. */
export function serverPathExpression(serverPath: string | undefined): string | undefined {
  if (!serverPath || serverPath.startsWith('\\\\')) return undefined;
  const rel = /^%SystemDrive%(\\.*)$/i.exec(serverPath)?.[1];
  if (rel) {
    const q = psLiteral(rel);
    return q ? `($SystemDrive + ${q})` : undefined;
  }
  return /^[A-Za-z]:\\/.test(serverPath) ? psLiteral(serverPath) : undefined;
}

function quarantineLine(t: RemediationTarget): string | undefined {
  const path = serverPathExpression(t.serverPath);
  if (!path) return undefined;
  const sha = t.sha256 && SHA256.test(t.sha256) ? t.sha256 : '';
  return `Move-ToQuarantine ${path} '${sha}'`;
}

/** Commands shown in the reports next to each step: fixed text, no value from the evidence. */
export const STEP_COMMANDS: Record<string, string[]> = {
  'quarantine-files': ['.\\exhunt-remediation.ps1', '.\\exhunt-remediation.ps1 -Apply'],
  'revert-virtual-directories': [
    'Get-OabVirtualDirectory | Format-List Server,Name,ExternalUrl,InternalUrl',
    'Get-EcpVirtualDirectory | Format-List Server,Name,ExternalUrl,InternalUrl',
  ],
  'remove-exports-and-roles': [
    'Get-MailboxExportRequest | Format-List Identity,Mailbox,FilePath,Status',
    "Get-ManagementRoleAssignment -Role 'Mailbox Import Export' | Format-List Name,RoleAssigneeName,Enabled",
  ],
  'remove-persistence': [
    'Get-ScheduledTask | Where-Object { $_.Date -gt (Get-Date).AddDays(-60) }',
    'Get-LocalGroupMember -Group Administrators',
    'Get-CimInstance Win32_Service | Select-Object Name,PathName,StartName',
  ],
  'reset-credentials': ['Reset-ComputerMachinePassword'],
  'apply-updates': ['Get-ExchangeServer | Format-List Name,AdminDisplayVersion'],
  mitigate: ['Get-OrganizationConfig | Format-List MitigationsEnabled'],
};
