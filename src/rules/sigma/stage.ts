// How a third-party Sigma rule's match counts: its stage from ATT&CK tactic tags, and a review-only outcome.

import type { Outcome, Stage } from '../../core/finding.js';

/**
 * Rules without our `outcome` attribute (third-party packs) cannot say whether a match is a probe or a
 * success, so their findings are listed for review and never decide the verdict on their own.
 */
export const THIRD_PARTY_OUTCOME: Outcome = 'suspicious';

const TACTIC_STAGE: [string, Stage][] = [
  ['attack.reconnaissance', 'recon'],
  ['attack.discovery', 'recon'],
  ['attack.initial-access', 'exploit'],
  ['attack.initial_access', 'exploit'],
  ['attack.execution', 'execution'],
  ['attack.persistence', 'persistence'],
  ['attack.privilege-escalation', 'execution'],
  ['attack.privilege_escalation', 'execution'],
  ['attack.defense-evasion', 'defense-evasion'],
  ['attack.defense_evasion', 'defense-evasion'],
  ['attack.stealth', 'defense-evasion'],
  ['attack.credential-access', 'credential-access'],
  ['attack.credential_access', 'credential-access'],
  ['attack.collection', 'collection'],
  ['attack.exfiltration', 'exfiltration'],
  ['attack.lateral-movement', 'execution'],
  ['attack.command-and-control', 'execution'],
  ['attack.impact', 'execution'],
];

export function stageFromTags(tags: readonly string[]): Stage {
  const lower = tags.map((t) => t.toLowerCase());
  for (const [tag, stage] of TACTIC_STAGE) if (lower.includes(tag)) return stage;
  return 'context';
}
