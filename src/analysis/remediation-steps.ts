// Each step of the remediation plan: why, what to do, on which targets, and whether the script does it.

import type {
  DataExposureSection,
  RemediationStep,
  RemediationTarget,
  ScanReport,
  SessionsSection,
  UpdateRef,
} from '../core/report.js';
import { buildIndex } from '../exposure/data.js';
import { credentialTargets } from './credentials.js';
import { OUTCOME_RANK } from './events.js';
import { mitigationTargets } from './mitigations.js';
import { serverPathOf } from './server-paths.js';

export type Draft = Omit<RemediationStep, 'order'>;

export function preserve(report: ScanReport, files: RemediationTarget[]): Draft {
  // The install path is kept lower-cased; an artifact under it gives the case the server uses.
  const lower = report.scan.installPath;
  const under = lower ? report.artifacts.find((a) => a.path.toLowerCase().startsWith(lower)) : undefined;
  const install = serverPathOf((under && lower ? under.path.slice(0, lower.length) : lower) ?? '');
  const targets: RemediationTarget[] = [
    { kind: 'evidence', value: 'memory of the server (before any reboot or cleanup)' },
    { kind: 'evidence', value: '%SystemDrive%\\inetpub\\logs\\LogFiles' },
    {
      kind: 'evidence',
      value: install ? `${install.replace(/\\$/, '')}\\Logging` : 'the Exchange Logging folder',
    },
    { kind: 'evidence', value: '%SystemRoot%\\System32\\winevt\\Logs' },
    ...files.map((f) => ({
      kind: 'evidence' as const,
      value: f.serverPath ?? f.value,
      ...(f.sha256 ? { sha256: f.sha256 } : {}),
    })),
  ];
  return {
    id: 'preserve-evidence',
    phase: 'preserve',
    title: 'Preserve the evidence first',
    why: 'Cleaning destroys evidence, and Exchange deletes its logs after 30 days: what is not copied now may be needed to know what was taken.',
    actions: [
      'Capture the memory of the server before rebooting or cleaning it: a webshell may live only in a w3wp process.',
      'Copy the log folders and event logs listed, with their SHA-256, to storage the server cannot write to; take a disk image if you can.',
      'Keep this report and its JSON with the copies.',
    ],
    targets,
    scripted: false,
  };
}

export function blockAddresses(sessions: SessionsSection): Draft | undefined {
  const hostile = sessions.list.filter((s) => OUTCOME_RANK[s.outcome] >= OUTCOME_RANK.attempt);
  const addresses = [...new Set(hostile.flatMap((s) => s.addresses))];
  if (addresses.length === 0) return undefined;
  return {
    id: 'block-addresses',
    phase: 'contain',
    title: 'Block the attacker addresses and restrict the admin interfaces',
    why: 'Keeps the attackers seen so far away while the rest is done; addresses change, so this is not a fix.',
    actions: [
      'Block these addresses at the firewall or reverse proxy in front of Exchange.',
      'Until the server is patched and clean, allow /ecp and /powershell only from the internal network.',
    ],
    targets: addresses.map((a) => ({
      kind: 'address',
      value: a,
      detail: `sessions ${hostile
        .filter((s) => s.addresses.includes(a))
        .map((s) => s.id)
        .join(', ')}`,
    })),
    scripted: false,
  };
}

export function quarantine(files: RemediationTarget[]): Draft {
  return {
    id: 'quarantine-files',
    phase: 'eradicate',
    title: 'Quarantine the webshells and staged files',
    why: 'Each file here is a way back in or data ready to leave. Moving (not deleting) keeps them as evidence.',
    actions: [
      'Move each file to a quarantine folder after checking its SHA-256 (the generated script does this; it never deletes).',
      'Files whose hash differs or is not known are left in place and listed: review them by hand.',
      'Then recycle the Exchange application pools (MSExchangeOWAAppPool, MSExchangeECPAppPool): a webshell already loaded stays in memory until then.',
    ],
    targets: files,
    scripted: true,
  };
}

export function revertVdirs(vdirs: RemediationTarget[]): Draft | undefined {
  if (vdirs.length === 0) return undefined;
  return {
    id: 'revert-virtual-directories',
    phase: 'eradicate',
    title: 'Revert the virtual directory changes',
    why: 'The attacker wrote script into a virtual directory URL and reset the directory to drop it as a webshell; the script must not stay in the configuration, where the next reset writes it again.',
    actions: [
      'List the virtual directories named here and read their ExternalUrl and InternalUrl.',
      'Clear any URL that holds script (the generated script does this and logs the old value).',
      'Compare the recreated directories with a healthy server (authentication methods, URLs).',
    ],
    targets: vdirs,
    scripted: true,
  };
}

export function exportsAndRoles(targets: RemediationTarget[]): Draft {
  return {
    id: 'remove-exports-and-roles',
    phase: 'eradicate',
    title: 'Remove mailbox export requests, role assignments and mailbox permissions',
    why:
      targets.length > 0
        ? 'The attacker created these to copy mailboxes or to keep rights.'
        : 'None was found in the evidence read, but attackers with this access often export mailboxes or grant themselves the Mailbox Import Export role: check.',
    actions: [
      'List all export requests (Get-MailboxExportRequest) and remove the ones nobody in IT made.',
      "List who holds the Mailbox Import Export role (Get-ManagementRoleAssignment -Role 'Mailbox Import Export') and remove what is not expected.",
      'The generated script suspends the export requests and disables the role assignments named here; remove them once reviewed.',
    ],
    targets,
    scripted: targets.length > 0,
  };
}

export function persistence(targets: RemediationTarget[]): Draft {
  return {
    id: 'remove-persistence',
    phase: 'eradicate',
    title: 'Remove persistence: services, scheduled tasks and accounts',
    why:
      targets.length > 0
        ? 'These let the attacker come back after the webshells are gone.'
        : 'None was found in the evidence read; the webshells ran as SYSTEM and could have added some without a log line here.',
    actions: [
      'Disable each one first (the generated script does), delete it after review.',
      'Check what the logs cannot show: scheduled tasks, services, members of the local Administrators group and domain accounts created since the first attacker activity.',
    ],
    targets,
    scripted: targets.length > 0,
  };
}

export function credentials(
  report: ScanReport,
  sessions: SessionsSection,
  exposure: DataExposureSection,
): Draft | undefined {
  const targets = credentialTargets(report, sessions, exposure);
  if (targets.length === 0) return undefined;
  return {
    id: 'reset-credentials',
    phase: 'recover',
    title: 'Reset the credentials that were exposed',
    why: 'Removing the webshells does not take back what the attacker already holds: passwords, hashes and tickets.',
    actions: [
      'Reset the passwords listed, starting with administrators and service accounts.',
      'Sign the affected users out of their sessions and review recent sign-ins and mailbox rules.',
    ],
    targets,
    scripted: false,
  };
}

export function updates(
  report: ScanReport,
  build: string | undefined,
  missing: UpdateRef[] | undefined,
): Draft {
  const actions = [
    'Install the latest cumulative update (CU) and the latest security update (SU) for it; the list gives the minimum.',
    'Then check the build: Get-ExchangeServer | Format-List Name,AdminDisplayVersion, and exhunt exposure --build <build>.',
  ];
  const why =
    'The updates close the holes used here; a server cleaned but not patched is compromised again within days.';
  if (build && missing) {
    return {
      id: 'apply-updates',
      phase: 'patch',
      title:
        missing.length > 0
          ? `Install the missing updates (server build ${build})`
          : `Keep the server current (build ${build} has the campaign fixes)`,
      why,
      actions,
      targets: missing.map((u) => ({
        kind: 'update',
        value: `${u.su} for Exchange ${u.product} ${u.cu}`,
        detail: `build ${u.build}${u.kb ? `, ${u.kb}` : ''}, released ${u.released}`,
      })),
      scripted: false,
    };
  }
  // Without a build, the CVEs the findings show name the updates needed at least.
  const cves = [
    ...new Set(report.findings.filter((f) => f.outcome !== 'context').flatMap((f) => f.cves)),
  ].sort();
  const fixes = buildIndex().data.fixes.filter((f) => f.cves.some((c) => cves.includes(c)));
  const sus = [...new Set(fixes.flatMap((f) => f.su))];
  return {
    id: 'apply-updates',
    phase: 'patch',
    title: 'Install the missing updates (server build unknown)',
    why: `${why} The scan did not read the server build, so the exact update cannot be named; the CVEs seen tell which updates are needed at least.`,
    actions: [
      'Read the build: Get-ExchangeServer | Format-List Name,AdminDisplayVersion; exhunt exposure --build <build> names the exact update.',
      ...actions,
    ],
    targets: sus.map((su) => ({
      kind: 'update',
      value: `${su} (or later) for the server's CU`,
      detail: `fixes ${fixes
        .filter((f) => f.su.includes(su))
        .flatMap((f) => f.cves)
        .filter((c) => cves.includes(c))
        .join(', ')}`,
    })),
    scripted: false,
  };
}

export function mitigate(report: ScanReport, vulnerableCampaigns: string[] | undefined): Draft | undefined {
  const targets = mitigationTargets(report, vulnerableCampaigns);
  if (targets.length === 0) return undefined;
  return {
    id: 'mitigate',
    phase: 'patch',
    title: 'Until the updates are installed: mitigations',
    why: 'Mitigations close the known entry points while updates wait for a maintenance window; they are not a substitute.',
    actions: ['Apply the mitigations listed, then remove them once the updates are installed.'],
    targets,
    scripted: false,
  };
}

export function rescan(): Draft {
  return {
    id: 'rescan',
    phase: 'verify',
    title: 'Scan again and compare',
    why: 'Proves that what this report found is gone and that nothing new has appeared.',
    actions: [
      'Collect the logs and web folders again after the steps above and scan them: exhunt scan <new evidence> --json after.json',
      'Compare with this report: exhunt diff before.json after.json (exit code 0: nothing remains and nothing is new).',
      "Run Microsoft's Safety Scanner (MSERT) and Test-ProxyLogon.ps1 as a second opinion.",
      'Keep watching for the attacker addresses, user agents and webshell names for at least 30 days.',
    ],
    targets: [],
    scripted: false,
  };
}
