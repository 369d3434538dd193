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
export { loadRuleFiles, checkLoaded } from './load.js';
export type { LoadOptions, LoadedRules } from './load.js';
export { parseRuleText } from './parse.js';
export type { ParsedRules } from './parse.js';
export { compileEntries, compileRule, compileRuleSet, tryCompileRule, RuleCompileError } from './compile.js';
export type { CompileOptions, CompiledRuleSet, RuleEntry, RuleMatcher } from './compile.js';
export { compilePlan, planRules } from './plan.js';
export type { RulePlan } from './plan.js';
export { identityFieldMap, resolveField, TRANSFORMS } from './fieldmap.js';
export type { FieldMap, FieldTarget, ValueTransform } from './fieldmap.js';
export { DEFAULT_MAPPING_PATH, fieldMapFor, loadMapping, parseMappingText, sourcesFor } from './mapping.js';
export type { Mapping, SourceBinding } from './mapping.js';
export { requiredLiterals } from './prefilter.js';
export { MODIFIERS } from './modifiers/index.js';
export { ruleRef, ruleErrorToProblem } from './report.js';
export { applyFilters } from './filters.js';
export { createCorrelator, fieldLookup, MAX_HIT_EVENTS } from './correlation.js';
export type {
  CorrelatedEvent,
  CorrelationHit,
  Correlator,
  CorrelatorOptions,
  FieldLookup,
} from './correlation.js';
