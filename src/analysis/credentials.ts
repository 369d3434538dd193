// Which credentials to reset, scoped by what the scan shows was exposed (a dump, an identity, SYSTEM, mail).

import type { DataExposureSection, RemediationTarget, ScanReport, SessionsSection } from '../core/report.js';

export function credentialTargets(
  report: ScanReport,
  sessions: SessionsSection,
  exposure: DataExposureSection,
): RemediationTarget[] {
  const out: RemediationTarget[] = [];
  const dumps = exposure.items.filter((i) => i.kind === 'credentials' && i.confidence !== 'possible');
  for (const d of dumps)
    out.push({
      kind: 'credential',
      value: `every account logged on to the server before ${d.firstSeen ?? 'the dump'}`,
      detail: `exposed by ${d.target} (${d.confidence}); the Security log (event 4624) of the server lists who had logged on`,
      findings: d.findings,
    });
  if (dumps.length > 0)
    out.push(
      {
        kind: 'credential',
        value:
          'service accounts whose passwords the server holds (services, scheduled tasks, application pools)',
        detail: 'their secrets are in LSASS and the registry of the server',
      },
      {
        kind: 'credential',
        value: 'krbtgt, twice, at least 10 hours apart',
        detail:
          'only if a domain administrator had logged on to the server: their Kerberos tickets were in the dump',
      },
    );
  for (const i of exposure.items.filter((x) => x.kind === 'identity')) {
    const generic = i.target.startsWith('the SID') || i.target.startsWith('an Exchange admin center');
    if (generic && out.some((t) => t.value.startsWith('the administrator whose identity'))) continue;
    out.push({
      kind: 'credential',
      value: generic ? 'the administrator whose identity was used in the Exchange admin center' : i.target,
      detail: generic
        ? 'find the account in the ECP Server log (S:SID) and the Security log at the times of the findings; reset its password and review everything it changed'
        : 'remote PowerShell ran as this account: reset its password and review the cmdlets it ran',
      findings: i.findings,
    });
  }
  if (report.verdict === 'compromised') {
    if (dumps.length === 0)
      out.push({
        kind: 'credential',
        value: 'administrators and service accounts that logged on to the server',
        detail:
          'the webshells ran as SYSTEM and could dump LSASS without a line in these logs (likely, not seen)',
      });
    out.push({
      kind: 'credential',
      value: "the server's computer account",
      detail:
        'SYSTEM holds it, and Exchange servers have wide rights in Active Directory: Reset-ComputerMachinePassword',
    });
  }
  if (exposure.items.some((i) => i.kind === 'mailbox' && i.confidence !== 'possible'))
    out.push({
      kind: 'credential',
      value: 'secrets sent by mail in the mailboxes on this server',
      detail: 'passwords, keys and links shared by mail may have been read: rotate the ones that matter',
    });
  // Sessions are cited so a reader can see which attacker activity a reset answers.
  const hostile = sessions.list.filter((s) => s.outcome === 'compromise').map((s) => s.id);
  if (hostile.length > 0) for (const t of out) t.findings ??= hostile;
  return out;
}
