// Sigma rules as matchers: loads ours and the user's, maps log sources to our sources, compiles once per source.

import { sourceKind } from '../core/fields.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hit } from '../core/detector.js';
import { fakeRecord } from '../core/fake-record.js';
import type { RuleStats } from '../core/report.js';
import type { FieldValue, LogRecord } from '../core/record.js';
import { addressesOf, userAgentOf } from '../rules/builtin/util.js';
import {
  applyFilters,
  checkLoaded,
  compileEntries,
  compilePlan,
  correlationFields,
  DEFAULT_MAPPING_PATH,
  fieldLookup,
  fieldText,
  loadMapping,
  planRules,
  logsourceText,
  parseMappingText,
  readRuleFiles,
  literalClauses,
  ruleRef,
  keyFields,
  stageFromTags,
  THIRD_PARTY_OUTCOME,
} from '../rules/sigma/index.js';
import type {
  CaseResult,
  CompiledRuleSet,
  CorrelationRule,
  LoadedRules,
  Mapping,
  RuleEntry,
  RuleError,
  RulePlan,
  RuleTestCase,
  RuleTestDoc,
  SigmaRule,
  LiteralClauses,
} from '../rules/sigma/index.js';
import { SOURCES } from '../sources/registry.js';
import { parseWith } from '../sources/parse-text.js';
import { MatcherSet, MAX_GROUPS } from './matchers.js';
import type { LiteralGroup, Matcher } from './matchers.js';
import type { RuleConfig } from './ruleset.js';
import { GATE } from '../core/rule-ids.js';
import { parseBuiltin } from './rule-cache.js';

/** exhunt's own rules, shipped beside the compiled code. */
export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../../rules', import.meta.url));

/** Everything loaded from the rule packs, planned and compiled once; shared by scan, lint and tests. */
export interface RulePacks {
  mapping: Mapping;
  /** Rules after filters, before planning (some may not compile for a source). */
  rules: SigmaRule[];
  correlations: CorrelationRule[];
  /** Load, filter and compile errors: each one is a rule skipped, with its reason. */
  errors: RuleError[];
  plan: RulePlan;
  sets: Map<string, CompiledRuleSet>;
  /** Ids of rules that compiled for at least one source. */
  compiled: Set<string>;
  /** Base rule id → Sigma fields its matches must carry for correlations. */
  correlationFields: Map<string, string[]>;
}

/**
 * What the rule files say, read and parsed but not compiled: plain data, so the main thread reads the
 * YAML once and hands this to the workers (structured clone), which only compile it.
 */
export interface ReadRulePacks {
  mapping: Mapping;
  mappingErrors: RuleError[];
  loaded: LoadedRules;
}

export async function readRulePacks(config: RuleConfig): Promise<ReadRulePacks> {
  // Our mapping and rules are parsed once per install (see rule-cache.ts); the user's files every time.
  const builtin = parseBuiltin(DEFAULT_MAPPING_PATH, config.builtinRules ? BUILTIN_RULES_DIR : undefined);
  let mapping: Mapping;
  let mappingErrors: RuleError[];
  if (builtin) {
    mapping = builtin.mapping;
    mappingErrors = [...builtin.mappingErrors];
    for (const f of config.mappingPaths) {
      let text: string;
      try {
        text = await readFile(f, 'utf8');
      } catch (e) {
        mappingErrors.push({ path: f, line: 1, message: `cannot read: ${(e as Error).message}`, code: 'mapping.io' }); // prettier-ignore
        continue;
      }
      mapping = parseMappingText(text, f, mapping, mappingErrors);
    }
  } else {
    ({ mapping, errors: mappingErrors } = await loadMapping([DEFAULT_MAPPING_PATH, ...config.mappingPaths]));
  }
  const packs = [...(config.builtinRules ? [{ dir: BUILTIN_RULES_DIR, source: 'exhunt' }] : [])];
  // A third-party pack is named after its folder or file, so findings say which set a rule came from.
  for (const p of config.rulePaths) packs.push({ dir: p, source: path.basename(path.resolve(p)) });
  const all: LoadedRules = { rules: [], correlations: [], filters: [], errors: [] };
  for (const pack of packs) {
    const cached = pack.dir === BUILTIN_RULES_DIR && pack.source === 'exhunt' ? builtin?.rules : undefined;
    const read = cached ?? (await readRuleFiles([pack.dir], { source: pack.source }));
    all.rules.push(...read.rules);
    all.correlations.push(...read.correlations);
    all.filters.push(...read.filters);
    all.errors.push(...read.errors);
  }
  return { mapping, mappingErrors, loaded: all };
}

export async function loadRulePacks(config: RuleConfig): Promise<RulePacks> {
  return buildRulePacks(await readRulePacks(config));
}

/** Checks, filters, plans and compiles what `readRulePacks` read (no I/O). */
export function buildRulePacks(read: ReadRulePacks): RulePacks {
  const { mapping, mappingErrors, loaded: all } = read;
  // Checked together: duplicate ids across packs, and correlations naming rules of another pack.
  const loaded = checkLoaded(all, mapping.placeholders);
  const errors: RuleError[] = [...mappingErrors, ...loaded.errors];
  const filtered = applyFilters(loaded.rules, loaded.filters);
  errors.push(...filtered.errors);
  const plan = planRules(filtered.rules, mapping);
  const { sets, errors: compileErrors } = compilePlan(plan);
  errors.push(...compileErrors);
  const compiled = new Set<string>();
  for (const set of sets.values()) for (const e of set.entries) compiled.add(e.rule.id);
  return {
    mapping,
    rules: filtered.rules,
    correlations: loaded.correlations,
    errors,
    plan,
    sets,
    compiled,
    correlationFields: correlationFields(loaded.correlations, filtered.rules),
  };
}

export interface SigmaMatchers {
  forSource(source: string): Matcher[];
  /** Counts before the evidence is known (not applicable = the mapping sends the rule nowhere). */
  stats: RuleStats;
  errors: RuleError[];
  packs: RulePacks;
}

export async function loadSigmaMatchers(config: RuleConfig): Promise<SigmaMatchers> {
  return sigmaMatchersOf(await loadRulePacks(config));
}

/** Matchers per source from rule packs already compiled. */
export function sigmaMatchersOf(packs: RulePacks): SigmaMatchers {
  const matchers = new Map<string, Matcher[]>();
  for (const [source, set] of packs.sets)
    if (set.entries.length > 0) matchers.set(source, [ruleSetMatcher(set, packs.correlationFields)]);
  return {
    forSource: (source) => matchers.get(source) ?? [],
    errors: packs.errors,
    packs,
    stats: {
      loaded: packs.compiled.size + packs.correlations.length,
      skipped: skippedOf(packs.errors),
      notApplicable: packs.plan.notApplicable.length,
      detectors: 0,
    },
  };
}

export function skippedOf(errors: readonly RuleError[]): RuleStats['skipped'] {
  return errors.map((e) => ({
    ...(e.ruleId ? { id: e.ruleId } : {}),
    path: e.path,
    reason: `${e.message} (line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ''})`,
  }));
}

/**
 * One matcher for all rules of a source: the set shares field reads and dispatches EVTX events on
 * Channel and EventID. Text logs also get the rules' literals as a prefilter, grouped by what each rule
 * needs (one gate bit per group, so a line runs only the rules whose literals it holds); EVTX does not,
 * because its record text means decoding every field, which costs more than dispatch saves.
 */
function ruleSetMatcher(
  set: CompiledRuleSet,
  corrFields: ReadonlyMap<string, readonly string[]> = new Map(),
): Matcher {
  let gate = set.entries.length > 0 && sourceKind(set.entries[0]?.fieldMap.source ?? '') !== 'event-log';
  const needs: LiteralClauses[] = [];
  for (const e of set.entries) {
    const l = gate ? literalClauses(e.rule) : undefined;
    if (!l) gate = false;
    else needs.push(l);
  }
  const hits = (matched: readonly RuleEntry[], r: LogRecord): Hit[] | undefined =>
    matched.length === 0 ? undefined : matched.map((e) => hitOf(e, r, corrFields));
  if (!gate || needs.length === 0) return { check: (r) => hits(set.matchEntries(r), r) };
  const { groups, groupOf } = groupByNeed(needs);
  // The groups a record may hit, for `only` (set just before each call).
  let want = 0;
  const only = (i: number) => (want & (1 << (groupOf[i] as number))) !== 0;
  const all = groups.length >= 31 ? -1 : (1 << groups.length) - 1;
  return {
    groups,
    check: (r, _ctx, g) => {
      want = g ?? -1;
      return hits(want === all || want === -1 ? set.matchEntries(r) : set.matchEntries(r, only), r);
    },
  };
}

/**
 * Rules with the same needs share a group; past MAX_GROUPS, the groups with the fewest rules are merged
 * into one (its literals the union, with no extra sets: what one needs, the others may not).
 */
function groupByNeed(needs: readonly LiteralClauses[]): { groups: LiteralGroup[]; groupOf: Uint8Array } {
  const byKey = new Map<string, { need: LiteralClauses; entries: number[] }>();
  needs.forEach((n, i) => {
    const key = JSON.stringify([[...n.any].sort(), n.also.map((a) => [...a].sort()).sort()]);
    const g = byKey.get(key);
    if (g) g.entries.push(i);
    else byKey.set(key, { need: n, entries: [i] });
  });
  let list = [...byKey.values()];
  if (list.length > MAX_GROUPS) {
    list.sort((a, b) => b.entries.length - a.entries.length);
    const rest = list.slice(MAX_GROUPS - 1);
    const any = [...new Set(rest.flatMap((g) => g.need.any))];
    list = [
      ...list.slice(0, MAX_GROUPS - 1),
      { need: { any, also: [] }, entries: rest.flatMap((g) => g.entries) },
    ];
  }
  const groupOf = new Uint8Array(needs.length);
  list.forEach((g, gi) => {
    for (const i of g.entries) groupOf[i] = gi;
  });
  return {
    groups: list.map((g) => ({
      literals: g.need.any,
      ...(g.need.also.length > 0 ? { also: g.need.also } : {}),
    })),
    groupOf,
  };
}

function hitOf(entry: RuleEntry, r: LogRecord, corrFields: ReadonlyMap<string, readonly string[]>): Hit {
  const rule = entry.rule;
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
  if (rule.custom.gate === GATE.exploitation) {
    hit.gate = GATE.exploitation;
    details.gate = GATE.exploitation; // the text copy readers of 1.5 reports know; analysis reads `gate`
    hit.outcome = 'context';
  }
  if (Object.keys(details).length > 0) hit.details = details;
  const fields = corrFields.get(rule.id);
  if (fields) {
    // Correlations run on the main thread: copy what they group and measure by, read through this entry's map.
    const get = fieldLookup(r, entry.fieldMap);
    markForCorrelation(hit, Object.fromEntries(fields.map((f) => [f, fieldText(get(f))])));
  }
  return hit;
}

/** Where a hit carries its correlation fields from the matcher to the artifact reader (never into a finding). */
const CORRELATION_MARK = 'sigmaCorrelation';
type CorrelationValues = Record<string, string | null>;

function markForCorrelation(hit: Hit, values: CorrelationValues): void {
  (hit as Hit & { [CORRELATION_MARK]?: CorrelationValues })[CORRELATION_MARK] = values;
}

/** The correlation fields of a hit, removed from it so they do not travel on into the finding. */
export function takeCorrelationMark(hit: Hit): CorrelationValues | undefined {
  const h = hit as Hit & { [CORRELATION_MARK]?: CorrelationValues };
  const v = h[CORRELATION_MARK];
  if (v !== undefined) delete h[CORRELATION_MARK];
  return v;
}

/**
 * Runs rule test cases the way the scan reads evidence: the rule compiled for the case's source through
 * the mapping, the event read by the real source (text logs, with the test's header) or built from its
 * fields (EVTX), then the scan's own matcher with its prefilter.
 */
export function ruleTestEvaluator(packs: RulePacks): (doc: RuleTestDoc, c: RuleTestCase) => CaseResult {
  const compiled = new Map<string, MatcherSet | string>();
  const resolve = (doc: RuleTestDoc): SigmaRule | string => {
    const byFile = /\.ya?ml$/i.test(doc.rule) ? path.resolve(path.dirname(doc.path), doc.rule) : undefined;
    const found = packs.rules.filter((r) =>
      byFile ? path.resolve(r.path) === byFile : r.id === doc.rule || r.name === doc.rule,
    );
    if (found.length === 1) return found[0] as SigmaRule;
    if (found.length > 1) return `'${doc.rule}' holds ${found.length} rules; name one by id`;
    if (packs.correlations.some((c) => c.id === doc.rule || c.name === doc.rule))
      return 'correlation rules cannot be tested one event at a time';
    const skipped = packs.errors.find(
      (e) => e.ruleId === doc.rule || (byFile && path.resolve(e.path) === byFile),
    );
    return skipped ? `rule is skipped: ${skipped.message}` : `rule '${doc.rule}' is not loaded`;
  };
  const matcherFor = (rule: SigmaRule, source: string): MatcherSet | string => {
    const key = `${rule.id}\0${source}`;
    let m = compiled.get(key);
    if (m === undefined) {
      const entries = packs.plan.bySource.get(source)?.filter((e) => e.rule === rule) ?? [];
      const { set, errors } = compileEntries(entries);
      m =
        entries.length === 0
          ? `the mapping does not send log source ${logsourceText(rule.logsource)} to source '${source}'`
          : errors[0]
            ? `rule does not compile for '${source}': ${errors[0].message}`
            : new MatcherSet([ruleSetMatcher(set)]);
      compiled.set(key, m);
    }
    return m;
  };
  return (doc, c) => {
    const base = { path: doc.path, line: c.line, name: c.name, rule: doc.rule, expect: c.expect };
    const fail = (message: string, rule?: SigmaRule): CaseResult => ({
      ...base,
      ...(rule ? { ruleId: rule.id, title: rule.title } : {}),
      got: 'error',
      message,
    });
    const rule = resolve(doc);
    if (typeof rule === 'string') return fail(rule);
    const m = matcherFor(rule, doc.source);
    if (typeof m === 'string') return fail(m, rule);
    const record = testRecord(doc, c);
    if (typeof record === 'string') return fail(record, rule);
    const hits: Hit[] = [];
    m.run(record, { path: doc.path }, hits);
    const got = hits.some((h) => h.rule.id === rule.id) ? 'match' : 'no-match';
    return { ...base, ruleId: rule.id, title: rule.title, got };
  };
}

/** The case's event as the source would yield it, or why it cannot be. */
function testRecord(doc: RuleTestDoc, c: RuleTestCase): LogRecord | string {
  if (!SOURCES.has(doc.source))
    return `unknown source '${doc.source}'; known: ${[...SOURCES.keys()].join(', ')}`;
  if (typeof c.event !== 'string') {
    if (sourceKind(doc.source) !== 'event-log')
      return `source '${doc.source}' reads log lines: give the event as one line`;
    const fields = c.event as Record<string, FieldValue | readonly FieldValue[]>;
    // The EVTX source's text: every value, space-separated, for keyword search.
    const text = Object.values(fields)
      .flat()
      .filter((v) => v !== null && v !== '')
      .join(' ');
    return fakeRecord('evtx', fields, { text, line: c.line, ...(c.time ? { time: c.time } : {}) });
  }
  if (sourceKind(doc.source) === 'event-log') return 'EVTX events are given as a map of fields';
  const input = `${(doc.header ?? '').replace(/\s+$/, '')}\r\n${c.event}\r\n`;
  const { records, problems } = parseWith(doc.source, 'test.log', input.replace(/^\r\n/, ''));
  if (records.length !== 1 || problems.length > 0) {
    const why = problems.map((p) => p.message).join('; ');
    return `the event gave ${records.length} records${why ? ` (${why})` : ''}; check the header and the line`;
  }
  return records[0] as LogRecord;
}
