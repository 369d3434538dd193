// Sigma rules as matchers: loads ours and the user's, maps log sources to our sources, compiles once per source.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hit } from '../core/detector.js';
import type { Outcome, Stage } from '../core/finding.js';
import type { RuleStats } from '../core/report.js';
import type { LogRecord } from '../core/record.js';
import { addressesOf, userAgentOf } from '../rules/builtin/util.js';
import {
  applyFilters,
  compilePlan,
  DEFAULT_MAPPING_PATH,
  loadMapping,
  loadRuleFiles,
  planRules,
  requiredLiterals,
  ruleRef,
} from '../rules/sigma/index.js';
import type { CompiledRuleSet, RuleError, SigmaRule } from '../rules/sigma/index.js';
import type { Matcher } from './matchers.js';
import type { RuleConfig } from './ruleset.js';

/** exhunt's own rules, shipped beside the compiled code. */
export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../../rules', import.meta.url));

export interface SigmaMatchers {
  forSource(source: string): Matcher[];
  stats: RuleStats;
  errors: RuleError[];
}

export async function loadSigmaMatchers(config: RuleConfig): Promise<SigmaMatchers> {
  const { mapping, errors: mappingErrors } = await loadMapping([
    DEFAULT_MAPPING_PATH,
    ...config.mappingPaths,
  ]);
  const rules: SigmaRule[] = [];
  const errors: RuleError[] = [...mappingErrors];
  const packs = [...(config.builtinRules ? [{ dir: BUILTIN_RULES_DIR, source: 'exhunt' }] : [])];
  // A third-party pack is named after its folder or file, so findings say which set a rule came from.
  for (const p of config.rulePaths) packs.push({ dir: p, source: path.basename(path.resolve(p)) });
  const filters = [];
  for (const pack of packs) {
    const loaded = await loadRuleFiles([pack.dir], {
      source: pack.source,
      placeholders: mapping.placeholders,
    });
    rules.push(...loaded.rules);
    filters.push(...loaded.filters);
    errors.push(...loaded.errors);
  }
  const filtered = applyFilters(rules, filters);
  errors.push(...filtered.errors);
  const plan = planRules(filtered.rules, mapping);
  const { sets, errors: compileErrors } = compilePlan(plan);
  errors.push(...compileErrors);
  const compiled = new Set<string>();
  for (const set of sets.values()) for (const e of set.entries) compiled.add(e.rule.id);
  const matchers = new Map<string, Matcher[]>();
  for (const [source, set] of sets) if (set.entries.length > 0) matchers.set(source, [ruleSetMatcher(set)]);
  return {
    forSource: (source) => matchers.get(source) ?? [],
    errors,
    stats: {
      loaded: compiled.size,
      skipped: errors.map((e) => ({
        ...(e.ruleId ? { id: e.ruleId } : {}),
        path: e.path,
        reason: `${e.message}${e.line ? ` (line ${e.line})` : ''}`,
      })),
      notApplicable: plan.notApplicable.length,
      detectors: 0,
    },
  };
}

/** One matcher for all rules of a source: the set shares field reads; the prefilter is the union of literals. */
function ruleSetMatcher(set: CompiledRuleSet): Matcher {
  const lits: string[] = [];
  let gate = true;
  for (const e of set.entries) {
    const l = requiredLiterals(e.rule);
    if (!l) gate = false;
    else lits.push(...l);
  }
  const check = (r: LogRecord): Hit[] | undefined => {
    const matched = set.match(r);
    return matched.length === 0 ? undefined : matched.map((rule) => hitOf(rule, r));
  };
  return gate && lits.length > 0 ? { literals: [...new Set(lits)], check } : { check };
}

function hitOf(rule: SigmaRule, r: LogRecord): Hit {
  const hit: Hit = {
    rule: ruleRef(rule),
    severity: rule.level ?? 'medium',
    cves: [...rule.cves],
    stage: rule.stage ?? stageFromTags(rule.tags),
    outcome: rule.outcome ?? THIRD_PARTY_OUTCOME,
    time: r.time,
    sourceIps: addressesOf(r),
    summary: rule.title,
  };
  const ua = userAgentOf(r);
  if (ua) hit.userAgent = ua;
  const details = keyFields(r);
  // `gate: exploitation`: common events (new services, tasks, accounts) that count only where exploitation shows.
  if (rule.custom.gate === 'exploitation') {
    details.gate = 'exploitation';
    hit.outcome = 'context';
  }
  if (Object.keys(details).length > 0) hit.details = details;
  return hit;
}

/** Event fields that say what happened, copied onto the finding (bounded) for the report and the incident. */
const KEY_FIELDS = [
  'CommandLine',
  'Image',
  'ParentImage',
  'NewProcessName',
  'ParentProcessName',
  'TargetFilename',
  'ServiceName',
  'ImagePath',
  'TaskName',
  'TargetUserName',
  'SubjectUserName',
  'MemberName',
  'Path',
  'Threat Name',
  'Computer',
];

function keyFields(r: LogRecord): Record<string, string> {
  const out: Record<string, string> = {};
  if (r.source !== 'evtx') return out;
  for (const f of KEY_FIELDS) {
    const v = r.get(f);
    if (typeof v === 'string' && v.length > 0) out[f] = v.slice(0, 1024);
  }
  const data = r.get('Data');
  if (Array.isArray(data)) {
    // The MSExchange Management log: the cmdlet, then its parameters.
    if (typeof data[0] === 'string') out.cmdlet = data[0].slice(0, 256);
    if (typeof data[1] === 'string') out.parameters = data[1].slice(0, 2048);
  }
  const id = r.get('EventID');
  if (id !== undefined && id !== null) out.eventId = String(id);
  return out;
}

/**
 * Rules without our `outcome` attribute (third-party packs) cannot say whether a match is a probe or a
 * success, so their findings are listed for review and never decide the verdict on their own.
 */
const THIRD_PARTY_OUTCOME: Outcome = 'suspicious';

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
