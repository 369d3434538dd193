// The rules and markers the analysis passes depend on, named once: the detector that emits a finding and
// the pass that treats it specially use the same constant, so renaming a rule cannot quietly turn a pass off.

/** Ids of built-in rules whose findings a pass reads (rules/builtin emits them; a test checks it still does). */
export const RULE_IDS = {
  /** ECP Server log: a virtual directory's URL set to script (CVE-2021-27065). */
  ecpVdirScript: 'exhunt.proxylogon.ecp-vdir-script',
  /** ECP Server log: the virtual directory reset that writes the shell. */
  ecpVdirReset: 'exhunt.proxylogon.ecp-vdir-reset',
  lsassDump: 'exhunt.staged.lsass-dump',
  memoryDump: 'exhunt.staged.memory-dump',
  stagedArchive: 'exhunt.staged.archive',
  stagedPst: 'exhunt.staged.pst',
  webshellFile: 'exhunt.webshell.file',
  webshellUnknownScript: 'exhunt.webshell.unknown-script',
  webshellSuspiciousCode: 'exhunt.webshell.suspicious-code',
  /** Test-ProxyLogon's suspicious-file list (`<host>-other.csv`): one row per file it names. */
  tplLsassDumpListed: 'exhunt.proxylogon.tpl-lsass-dump-listed',
  tplArchiveListed: 'exhunt.proxylogon.tpl-archive-listed',
  tplFileListed: 'exhunt.proxylogon.tpl-file-listed',
} as const;

/** Staged files: dumps, archives and mailbox exports in staging folders. */
export const STAGED_RULE_IDS: ReadonlySet<string> = new Set([
  RULE_IDS.lsassDump,
  RULE_IDS.memoryDump,
  RULE_IDS.stagedArchive,
  RULE_IDS.stagedPst,
]);

/** Webshells on disk, by content or by place. */
export const WEBSHELL_RULE_IDS: ReadonlySet<string> = new Set([
  RULE_IDS.webshellFile,
  RULE_IDS.webshellUnknownScript,
  RULE_IDS.webshellSuspiciousCode,
]);

/**
 * Rows of Test-ProxyLogon's suspicious-file list: the collected-copies pass finds where a `-CollectFiles`
 * copy came from among them.
 */
export const TPL_LISTED_FILE_RULE_IDS: ReadonlySet<string> = new Set([
  RULE_IDS.tplLsassDumpListed,
  RULE_IDS.tplArchiveListed,
  RULE_IDS.tplFileListed,
]);

/**
 * Marks a rule whose matches are what vulnerability scanners send (a check, not an exploit step): a failed
 * match from an internal scanner is set aside (src/analysis/internal-scanners.ts). Sigma rules carry it in
 * `tags`.
 */
export const SCANNER_CHECK_TAG = 'exhunt.scanner-check';

/**
 * A finding's gate (`Finding.gate`): `exploitation` counts only where another finding shows exploitation
 * (Test-ProxyLogon's rule for staged files, and Sigma rules with `gate: exploitation`); `vendor` is a
 * staged file in a security or backup product's folder, context either way.
 */
export const GATE = { exploitation: 'exploitation', vendor: 'vendor' } as const;

export type Gate = (typeof GATE)[keyof typeof GATE];

/** A finding's gate, from its typed field (reports written before 1.6 kept it in `details.gate`). */
export function gateOf(f: { gate?: Gate | undefined }): Gate | undefined {
  const g = f.gate;
  return g === GATE.exploitation || g === GATE.vendor ? g : undefined;
}
