// Pass: staged dumps and archives count only where another finding shows exploitation (Test-ProxyLogon's gate).

import type { Finding } from '../../core/finding.js';
import { GATE, gateOf, RULE_IDS } from '../../core/rule-ids.js';
import { Draft } from './adjustment.js';
import type { Pass } from './pass.js';

const NAME = 'staged-gate';
const EXPLOITED = new Set(['success', 'compromise']);

/** True when some finding (other than staged files) shows a successful exploit step or compromise. */
function exploitationShown(findings: readonly Readonly<Finding>[]): boolean {
  return findings.some((f) => EXPLOITED.has(f.outcome) && gateOf(f) !== GATE.exploitation);
}

/**
 * Test-ProxyLogon lists dumps and archives only when a CVE check hit, because antivirus products leave
 * archives in ProgramData; the same gate applies here, and the finding says which way it went. Files in a
 * security or backup product's folder (gate `vendor`) stay context either way; an LSASS dump without
 * exploitation is left for review rather than dropped.
 */
export const stagedGatePass: Pass = {
  name: NAME,
  does: 'a staged file (gate exploitation) is compromise when another finding shows exploitation, else context (an LSASS dump: suspicious)',
  run({ findings }) {
    const d = new Draft(NAME);
    const shown = exploitationShown(findings);
    for (const f of findings) {
      if (gateOf(f) !== GATE.exploitation) continue;
      if (shown) {
        const why = 'the server shows exploitation';
        d.setOutcome(f, 'compromise', why);
        d.addNote(f, 'counted as compromise: the server shows exploitation', why);
      } else if (f.rule.id === RULE_IDS.lsassDump) {
        // Credentials on disk need a look even without an exploit in the logs (which may not cover the dump's day).
        const why = 'no exploitation was found, but an LSASS dump exposes every credential in it';
        d.setOutcome(f, 'suspicious', why);
        d.addNote(f, `needs review: ${why}`, why);
      } else {
        const why = 'no exploitation was found';
        d.setOutcome(f, 'context', why);
        d.addNote(f, 'context only: no exploitation was found (antivirus archives are a known false positive)', why); // prettier-ignore
      }
    }
    return d.adjustments;
  },
};
