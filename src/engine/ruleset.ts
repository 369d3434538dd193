// The rules a scan runs: built-in detectors and compiled Sigma rules, grouped by the source they read.

import { detectorsFor } from '../rules/builtin/index.js';
import { detectorMatcher, MatcherSet } from './matchers.js';
import type { Matcher } from './matchers.js';

export interface RuleConfig {
  /** Run exhunt's own Sigma rules from `rules/`. */
  builtinRules: boolean;
  /** Extra rule files or folders (`--rules`). */
  rulePaths: string[];
  /** Extra mapping files merged over ours. */
  mappingPaths: string[];
}

export interface RuleSet {
  forSource(source: string): MatcherSet;
}

/** Builds matcher sets on first use per source, so a worker only compiles what its files need. */
export function createRuleSet(extra: (source: string) => Matcher[] = () => []): RuleSet {
  const cache = new Map<string, MatcherSet>();
  return {
    forSource(source) {
      let set = cache.get(source);
      if (!set) {
        set = new MatcherSet([...detectorsFor(source).map(detectorMatcher), ...extra(source)]);
        cache.set(source, set);
      }
      return set;
    },
  };
}
