// Cross-finding rules: staged files count only with exploitation; resets after a script URL write the shell.

import type { Finding } from '../core/finding.js';

const EXPLOITED = new Set(['success', 'compromise']);
const LSASS_DUMP = 'exhunt.staged.lsass-dump';

/** True when some finding (other than staged files) shows a successful exploit step or compromise. */
export function exploitationShown(findings: readonly Finding[]): boolean {
  return findings.some((f) => EXPLOITED.has(f.outcome) && f.details?.gate !== 'exploitation');
}

/**
 * Test-ProxyLogon lists dumps and archives only when a CVE check hit, because antivirus products leave
 * archives in ProgramData; the same gate applies here, and the finding says which way it went. Files in a
 * security or backup product's folder (gate `vendor`) stay context either way; an LSASS dump without
 * exploitation is left for review rather than dropped.
 */
export function applyStagedGate(findings: Finding[]): void {
  const shown = exploitationShown(findings);
  for (const f of findings) {
    if (f.details?.gate !== 'exploitation') continue;
    const before = f.note ? `${f.note}; ` : '';
    if (shown) {
      f.outcome = 'compromise';
      f.note = `${before}counted as compromise: the server shows exploitation`;
    } else if (f.rule.id === LSASS_DUMP) {
      // Credentials on disk need a look even without an exploit in the logs (which may not cover the dump's day).
      f.outcome = 'suspicious';
      f.note = `${before}needs review: no exploitation was found, but an LSASS dump exposes every credential in it`;
    } else {
      f.outcome = 'context';
      f.note = `${before}context only: no exploitation was found (antivirus archives are a known false positive)`;
    }
  }
}

/** An ECP virtual-directory reset within an hour after a script URL was set is the webshell being written. */
export function applyEcpResetRule(findings: Finding[]): void {
  const sets = findings
    .filter((f) => f.rule.id === 'exhunt.proxylogon.ecp-vdir-script' && f.time)
    .map((f) => Date.parse(f.time ?? ''));
  if (sets.length === 0) return;
  for (const f of findings) {
    if (f.rule.id !== 'exhunt.proxylogon.ecp-vdir-reset' || !f.time) continue;
    const t = Date.parse(f.time);
    if (sets.some((s) => t >= s && t - s <= 3600_000)) {
      f.outcome = 'compromise';
      f.severity = 'critical';
      f.note = 'follows a virtual directory URL set to script: this reset writes the webshell';
    }
  }
}
