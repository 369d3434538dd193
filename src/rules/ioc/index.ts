// Threat-intelligence indicators: import (STIX, MISP, lists), the store, per-source matchers and hash matching.

export { matchArtifactHashes } from './artifacts.js';
export { IOC_FIELDS } from './fields.js';
export type { SourceFields } from './fields.js';
export { indicatorHit, ruleRefOf } from './hits.js';
export { importExhunt } from './import-exhunt.js';
export { importMisp } from './import-misp.js';
export { importStix } from './import-stix.js';
export { importText } from './import-text.js';
export { valueRuleId } from './import-util.js';
export type { ImportResult } from './import-util.js';
export { BUILTIN_IOCS_DIR, importFeed, loadIndicatorFiles } from './load.js';
export type { FeedFormat } from './load.js';
export { iocMatchers } from './match.js';
export type { IocMatcher } from './match.js';
export { classify, detectType } from './normalise.js';
export { parsePattern } from './stix-pattern.js';
export { IndicatorStore } from './store.js';
export type { StoreJSON } from './store.js';
export { INDICATOR_TYPES } from './types.js';
export type { Indicator, IndicatorMeta, IndicatorType } from './types.js';
