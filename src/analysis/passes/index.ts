// The analysis passes after matching, in the order they run, and the one loop that runs and applies them.

import type { Finding } from '../../core/finding.js';
import type { Adjustment } from './adjustment.js';
import { applyAdjustments } from './apply.js';
import { collectedCopiesPass } from './collected-copies.js';
import { ecpResetPass } from './ecp-reset.js';
import { exposureWindowsPass } from './exposure-windows.js';
import { internalScannersPass } from './internal-scanners.js';
import type { Pass, PassInput } from './pass.js';
import { stagedGatePass } from './staged-gate.js';
import { webshellsPass } from './webshells.js';

/**
 * The order matters, and is this one:
 * 1. `ecp-reset` raises a reset that writes a webshell to compromise, so later passes see exploitation;
 * 2. `webshells` raises requests to a webshell on disk (and the file they reached) to compromise;
 * 3. `internal-scanners` sets aside failed scanner checks from internal addresses: it reads the raised
 *    outcomes (an address that used a webshell is no scanner);
 * 4. `collected-copies` marks Test-ProxyLogon's copies of security products' files as vendor files, which
 *    5. `staged-gate` then leaves as context: staged files count only with exploitation shown by 1–3;
 * 6. `exposure-windows` marks, last, the CVE findings from a time the server was patched.
 * The verdict is decided after them, from the findings as they leave.
 */
export const PASSES: readonly Pass[] = [
  ecpResetPass,
  webshellsPass,
  internalScannersPass,
  collectedCopiesPass,
  stagedGatePass,
  exposureWindowsPass,
];

/** Runs one pass over the findings and applies what it returns; the adjustments, for tests and callers. */
export function applyPass(
  pass: Pass,
  findings: readonly Finding[],
  input: Omit<PassInput, 'findings'>,
): Adjustment[] {
  const adjustments = pass.run({ ...input, findings });
  applyAdjustments(findings, adjustments);
  return adjustments;
}

/** Every pass in order, each seeing what the ones before it changed; all their adjustments in order. */
export function runPasses(
  findings: readonly Finding[],
  input: Omit<PassInput, 'findings'>,
  passes: readonly Pass[] = PASSES,
): Adjustment[] {
  return passes.flatMap((p) => applyPass(p, findings, input));
}

export type { Adjustment } from './adjustment.js';
export type { Pass, PassInput } from './pass.js';
