// The Sigma engine's public face: load rules, read the mapping, compile per source, prefilter, correlate.

export type {
  ConditionNode,
  CorrelationRule,
  CorrelationType,
  Detection,
  DetectionNode,
  Logsource,
  RawValue,
  RuleError,
  RuleStatus,
  SigmaDocument,
  SigmaFilter,
  SigmaRule,
} from './model.js';
export { loadRuleFiles, readRuleFiles, checkLoaded } from './load.js';
export type { LoadOptions, LoadedRules } from './load.js';
export { isRuleTest, parseRuleText } from './parse.js';
export type { ParsedRules } from './parse.js';
export { compileEntries, compileRule, compileRuleSet, tryCompileRule, RuleCompileError } from './compile.js';
export type { CompileOptions, CompiledRuleSet, RuleEntry, RuleMatcher } from './compile.js';
export { compilePlan, planRules } from './plan.js';
export type { RulePlan } from './plan.js';
export { identityFieldMap, resolveField, TRANSFORMS } from './fieldmap.js';
export type { FieldMap, FieldTarget, ValueTransform } from './fieldmap.js';
export { DEFAULT_MAPPING_PATH, fieldMapFor, loadMapping, parseMappingText, sourcesFor } from './mapping.js';
export type { Mapping, SourceBinding } from './mapping.js';
export { literalClauses, requiredLiterals } from './prefilter.js';
export type { LiteralClauses } from './prefilter.js';
export { MODIFIERS } from './modifiers/index.js';
export { ruleRef, ruleErrorToProblem } from './report.js';
export { applyFilters } from './filters.js';
export {
  correlationFields,
  createCorrelator,
  fieldLookup,
  fieldText,
  MAX_HIT_EVENTS,
  suppressedRules,
} from './correlation.js';
export type {
  CorrelatedEvent,
  CorrelationHit,
  Correlator,
  CorrelatorOptions,
  FieldLookup,
} from './correlation.js';
export { canonical, DispatchIndex, DISPATCH_FIELDS, requiredValues } from './dispatch.js';
export { FactsBuilder, logsourceText, notApplicableRules } from './applicability.js';
export type { EvidenceFacts, NotApplicable } from './applicability.js';
export { stageFromTags, THIRD_PARTY_OUTCOME } from './stage.js';
export { formatProblem, lintReport, REASONS } from './lint.js';
export type { LintReport } from './lint.js';
export { formatResult, parseRuleTests, passed } from './rule-tests.js';
export type { CaseResult, Expect, RuleTestCase, RuleTestDoc } from './rule-tests.js';
export { keyFields } from './details.js';
