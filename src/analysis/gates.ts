// Cross-finding rules: staged files count only with exploitation; resets after a script URL write the shell.

import type { Finding } from '../core/finding.js';
import { GATE, gateOf, RULE_IDS } from '../core/rule-ids.js';

const EXPLOITED = new Set(['success', 'compromise']);

/** True when some finding (other than staged files) shows a successful exploit step or compromise. */
function exploitationShown(findings: readonly Finding[]): boolean {
  return findings.some((f) => EXPLOITED.has(f.outcome) && gateOf(f) !== GATE.exploitation);
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
    if (gateOf(f) !== GATE.exploitation) continue;
    const before = f.note ? `${f.note}; ` : '';
    if (shown) {
      f.outcome = 'compromise';
      f.note = `${before}counted as compromise: the server shows exploitation`;
    } else if (f.rule.id === RULE_IDS.lsassDump) {
      // Credentials on disk need a look even without an exploit in the logs (which may not cover the dump's day).
      f.outcome = 'suspicious';
      f.note = `${before}needs review: no exploitation was found, but an LSASS dump exposes every credential in it`;
    } else {
      f.outcome = 'context';
      f.note = `${before}context only: no exploitation was found (antivirus archives are a known false positive)`;
    }
  }
}

const COPY = /(?:^|\/)collectedlogfiles\/([^/]+)\/suspiciousfiles\/([^/]+)_(\d+)$/i;
const LISTED = /^exhunt\.proxylogon\.tpl-[a-z-]+-listed$/;

/**
 * Test-ProxyLogon's -CollectFiles copies each file of its suspicious-file list to
 * `CollectedLogFiles/<host>/SuspiciousFiles/<name>_<i>`, where the folder it came from is lost; the list
 * (`<host>-other.csv`) still says it. A copy of an archive or dump the list places in a security or backup
 * product's folder is judged as that file: context. Runs before the staged-file gate.
 */
export function applyCollectedCopies(findings: Finding[]): void {
  const listed = findings
    .filter((f) => LISTED.test(f.rule.id) && f.details?.path)
    .sort((a, b) => (a.evidence[0]?.line ?? 0) - (b.evidence[0]?.line ?? 0));
  if (listed.length === 0) return;
  const nameOf = (p: string) => p.slice(Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/')) + 1).toLowerCase();
  for (const f of findings) {
    if (gateOf(f) !== GATE.exploitation || f.rule.id === RULE_IDS.lsassDump) continue;
    const m = COPY.exec(f.evidence[0]?.path ?? '');
    if (!m) continue;
    const [, host, name, index] = m as unknown as [string, string, string, string];
    const rows = listed.filter((l) => (l.details?.computer ?? '').toLowerCase() === host.toLowerCase());
    // The copy's number is the row's place in the list; the name must agree, or the only row of that name.
    const at = rows[Number(index)];
    const byName = rows.filter((l) => nameOf(l.details?.path ?? '') === name.toLowerCase());
    const row =
      at && nameOf(at.details?.path ?? '') === name.toLowerCase()
        ? at
        : byName.length === 1
          ? byName[0]
          : undefined;
    if (!row?.details?.vendorProduct) continue;
    f.gate = GATE.vendor;
    f.details = {
      ...f.details,
      gate: GATE.vendor,
      vendorProduct: row.details.vendorProduct,
      originalPath: row.details.path ?? '',
    };
    f.outcome = 'context';
    f.note = `${f.note ? `${f.note}; ` : ''}a copy made by Test-ProxyLogon -CollectFiles of ${row.details.path ?? ''}, in a folder of ${row.details.vendorProduct} (row ${row.evidence[0]?.line ?? '?'} of ${row.evidence[0]?.path ?? 'its list'}): listed as context`;
  }
}

/** An ECP virtual-directory reset within an hour after a script URL was set is the webshell being written. */
export function applyEcpResetRule(findings: Finding[]): void {
  const sets = findings
    .filter((f) => f.rule.id === RULE_IDS.ecpVdirScript && f.time)
    .map((f) => Date.parse(f.time ?? ''));
  if (sets.length === 0) return;
  for (const f of findings) {
    if (f.rule.id !== RULE_IDS.ecpVdirReset || !f.time) continue;
    const t = Date.parse(f.time);
    if (sets.some((s) => t >= s && t - s <= 3600_000)) {
      f.outcome = 'compromise';
      f.severity = 'critical';
      f.note = 'follows a virtual directory URL set to script: this reset writes the webshell';
    }
  }
}
