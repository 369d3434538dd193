// The rules the agent runs: the scan's own (built-in detectors, Sigma packs) and indicator matchers from
// the fleet server's feeds, rebuilt whole when the server announces a new version (no restart).

import { createHash } from 'node:crypto';
import type { Hit } from '../core/detector.js';
import type { Finding } from '../core/finding.js';
import type { LogRecord } from '../core/record.js';
import { toFinding } from '../engine/read-artifact.js';
import { createRuleSet } from '../engine/ruleset.js';
import type { RuleConfig, RuleSet } from '../engine/ruleset.js';
import { loadSigmaMatchers, takeCorrelationMark } from '../engine/sigma.js';
import type { SigmaMatchers } from '../engine/sigma.js';
import type { CorrelationEvent } from '../engine/correlate.js';
import { IndicatorStore, iocMatchers, loadIndicatorFiles } from '../rules/ioc/index.js';
import type { StoreJSON } from '../rules/ioc/index.js';

export interface AgentRules {
  /** What the server calls this set (its feeds and rules); `local` before the server was asked. */
  version: string;
  set: RuleSet;
  sigma: SigmaMatchers;
  /** Indicators loaded: reported in heartbeats. */
  indicators: number;
}

export async function loadAgentRules(
  config: RuleConfig,
  feeds: { version: string; indicators: StoreJSON } | undefined,
): Promise<AgentRules> {
  const sigma = await loadSigmaMatchers(config);
  // Without the server's feeds, our curated indicators, as a scan loads them by default.
  const store = feeds
    ? IndicatorStore.fromJSON(feeds.indicators)
    : (await loadIndicatorFiles([], { builtin: true })).store;
  const ioc = iocMatchers(store);
  return {
    version: feeds?.version ?? 'local',
    set: createRuleSet((source) => [...sigma.forSource(source), ...ioc(source)]),
    sigma,
    indicators: store.all().length,
  };
}

/** A hit's finding and, when a correlation counts its rule, the event the correlator needs. */
export function hitToFinding(
  h: Hit,
  r: LogRecord,
  path: string,
): { finding: Finding; correlation?: CorrelationEvent } {
  const values = takeCorrelationMark(h);
  const finding = toFinding(h, r, path);
  return values
    ? {
        finding,
        correlation: { ruleId: h.rule.id, line: r.line, values, ...(r.time ? { time: r.time } : {}) },
      }
    : { finding };
}

/**
 * The idempotent id of a finding the agent sends: the server, the file's identity (which survives a
 * rename and changes when the file is replaced), the record (line or EVTX record id, or a web file's
 * content hash) and the rule. A retry, a restart or a re-read gives the same key, so the server stores it once.
 */
export function findingKey(server: string, fileKey: string, record: string | number, f: Finding): string {
  return createHash('sha256')
    .update([server, fileKey, String(record), f.rule.id, f.details?.anchorMailbox ?? ''].join('\0'))
    .digest('hex')
    .slice(0, 32);
}
