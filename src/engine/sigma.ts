// Sigma rules as matchers: loads ours and the user's, maps log sources to our sources, compiles per source.

import type { RuleStats } from '../core/report.js';
import type { Matcher } from './matchers.js';
import type { RuleConfig } from './ruleset.js';

export interface SigmaMatchers {
  forSource(source: string): Matcher[];
  stats: RuleStats;
}

/** Placeholder until the Sigma engine lands: no rules. */
export async function loadSigmaMatchers(_config: RuleConfig): Promise<SigmaMatchers> {
  return { forSource: () => [], stats: { loaded: 0, skipped: [], notApplicable: 0, detectors: 0 } };
}
