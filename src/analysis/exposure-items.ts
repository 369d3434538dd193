// What each kind of evidence exposes: back-end services reached through an SSRF, command effects, files on disk.

import type { Finding } from '../core/finding.js';
import type { Confidence, ExposureKind, ScanReport } from '../core/report.js';
import type { commandEffects } from './commands.js';
import { RULE_IDS } from '../core/rule-ids.js';

interface Service {
  path: RegExp;
  kind: ExposureKind;
  what: string;
  description: string;
}

/** Back-end paths an SSRF reaches, and what answering them gives away. */
export const SERVICES: Service[] = [
  {
    path: /^\/mapi\/emsmdb/,
    kind: 'identity',
    what: 'the SID of the mailbox user named in the request body',
    description:
      'The attacker obtained the security identifier of a mailbox user (usually an administrator) to log on to the Exchange admin center as that user.',
  },
  {
    path: /^\/ecp\/proxylogon\.ecp/,
    kind: 'identity',
    what: 'an Exchange admin center session as that user',
    description: 'The attacker opened an Exchange admin center (ECP) session as the impersonated user.',
  },
  {
    path: /^\/ews\//,
    kind: 'mailbox',
    what: 'every mailbox, through EWS',
    description:
      'Exchange Web Services answered as the Exchange server itself, which can read any mailbox: mail, calendar and contacts.',
  },
  {
    path: /^\/(?:owa|rpc|microsoft-server-activesync)\b|^\/mapi\/(?!nspi)/,
    kind: 'mailbox',
    what: 'mailboxes, through OWA, MAPI or ActiveSync',
    description: 'A mailbox access protocol answered requests the attacker sent through the SSRF.',
  },
  {
    path: /^\/mapi\/nspi/,
    kind: 'address-book',
    what: 'the address book (NSPI)',
    description: 'The address book service answered: every user, group and address of the organisation.',
  },
  {
    path: /^\/oab\//,
    kind: 'address-book',
    what: 'the offline address book',
    description: 'The offline address book holds the whole directory of users, groups and addresses.',
  },
  {
    path: /^\/powershell/,
    kind: 'command',
    what: 'Exchange remote PowerShell',
    description:
      'Exchange remote PowerShell answered: the attacker could run Exchange cmdlets as the impersonated user.',
  },
];

export const ok = (status: number | undefined) =>
  status !== undefined && ((status >= 200 && status < 300) || status === 241);

export type Add = (
  kind: ExposureKind,
  target: string,
  description: string,
  confidence: Confidence,
  basis: string,
  fs: Finding[],
) => void;

export function addEffect(x: ReturnType<typeof commandEffects>[number], fs: Finding[], add: Add): void {
  if (x.kind === 'export-request')
    add(
      'mailbox-export',
      `${x.mailbox} → ${x.path}`,
      'A mailbox export request: the whole mailbox written to a PST file.',
      'seen',
      'the export request is logged',
      fs,
    );
  else if (x.kind === 'credentials')
    add(
      'credentials',
      x.what,
      'A command that dumps credentials ran; the accounts it exposed depend on who was logged on.',
      'likely',
      'the command is logged, its output is not',
      fs,
    );
  else if (x.kind === 'archive')
    add(
      'archive',
      x.what,
      'A command that packs files ran: data gathered for exfiltration.',
      'likely',
      'the command is logged, the files it packed are not',
      fs,
    );
  else if (x.kind === 'address-book')
    add(
      'address-book',
      x.what,
      'A cmdlet that lists recipients ran: the directory of users was read.',
      'seen',
      'the cmdlet is logged',
      fs,
    );
}

/** Dumps, archives and PSTs on disk, and post-exploitation findings of other rules. */
export function fileExposure(f: Finding, report: ScanReport, add: Add): void {
  if (f.outcome !== 'compromise' && f.outcome !== 'success') return;
  const path = f.file?.path ?? f.evidence[0]?.path ?? '';
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const fetched = name
    ? report.findings.some(
        (g) => ok(g.request?.status) && (g.request?.path ?? '').toLowerCase().endsWith(`/${name}`),
      )
    : false;
  switch (f.rule.id) {
    case RULE_IDS.lsassDump:
      return add(
        'credentials',
        path,
        'A memory dump of LSASS: the password hashes, Kerberos tickets and sometimes clear-text passwords of every account logged on to the server at the time.',
        'seen',
        'the dump is on disk',
        [f],
      );
    case RULE_IDS.memoryDump:
      return add(
        'credentials',
        path,
        'A process memory dump in a staging folder: whatever the process held (credentials, mail) is exposed.',
        'likely',
        'the dump is on disk; which process it holds was not read',
        [f],
      );
    case RULE_IDS.stagedPst:
      return add(
        'mailbox-export',
        path,
        'A mailbox exported to a PST file, ready to be taken.',
        'seen',
        fetched ? 'on disk, and a request for its name was answered' : 'the file is on disk',
        [f],
      );
    case RULE_IDS.stagedArchive:
      return add(
        'archive',
        path,
        fetched
          ? 'An archive staged for exfiltration, and a request for its name was answered: it was most likely downloaded.'
          : 'An archive staged for exfiltration: its content and whether it left the server are not in the logs.',
        'seen',
        'the archive is on disk',
        [f],
      );
  }
  if (f.stage === 'credential-access')
    add(
      'credentials',
      f.summary ?? f.rule.title,
      'Credential access found by this rule.',
      'likely',
      `rule ${f.rule.id}`,
      [f],
    );
  else if (f.stage === 'exfiltration' || f.stage === 'collection')
    add(
      'archive',
      f.summary ?? f.rule.title,
      'Data gathered or sent out, found by this rule.',
      'likely',
      `rule ${f.rule.id}`,
      [f],
    );
}
