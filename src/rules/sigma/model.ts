// The Sigma rule model: immutable data read from YAML, kept apart from compilation and evaluation.

import type { Outcome, Severity, Stage } from '../../core/finding.js';

/** A located rule-loading or compile problem; every one is reported, none stops loading. */
export interface RuleError {
  /** Path of the rule file as given to the loader (forward slashes). */
  path: string;
  /** 1-based line; 1 when the problem concerns the whole file. */
  line: number;
  column?: number;
  ruleId?: string;
  message: string;
  /** Stable dotted code: `sigma.yaml`, `sigma.unknown-modifier`, `sigma.condition`, ... */
  code: string;
}

export type RuleStatus = 'stable' | 'test' | 'experimental' | 'deprecated' | 'unsupported';

export interface Logsource {
  readonly category?: string;
  readonly product?: string;
  readonly service?: string;
  readonly definition?: string;
}

/** A scalar value as written in the rule (hex and float literals are kept as their source text). */
export type RawValue = string | number | boolean | null;

/**
 * One node of a search identifier: a map is `and`, a list is `or`, and the leaves are one field
 * (or, with `field` undefined, the whole record text) with its modifier chain and values.
 */
export type DetectionNode =
  | { readonly t: 'and'; readonly items: readonly DetectionNode[] }
  | { readonly t: 'or'; readonly items: readonly DetectionNode[] }
  | {
      readonly t: 'field';
      /** Sigma field name; undefined for keyword search over the record text. */
      readonly field: string | undefined;
      readonly modifiers: readonly string[];
      readonly values: readonly RawValue[];
      /** Location of the key (or keyword list) in the rule file. */
      readonly line: number;
      readonly column: number;
    };

/** Parsed condition expression. `of` keeps its pattern; it is resolved against identifiers at compile. */
export type ConditionNode =
  | { readonly t: 'id'; readonly name: string }
  | { readonly t: 'and'; readonly items: readonly ConditionNode[] }
  | { readonly t: 'or'; readonly items: readonly ConditionNode[] }
  | { readonly t: 'not'; readonly item: ConditionNode }
  | { readonly t: 'of'; readonly all: boolean; readonly pattern: string };

export interface Detection {
  readonly identifiers: Readonly<Record<string, DetectionNode>>;
  /** One or more conditions, OR-ed. */
  readonly conditions: readonly ConditionNode[];
  /** Condition source text, for messages. */
  readonly conditionText: readonly string[];
}

interface RuleMeta {
  readonly id: string;
  /** Optional unique name, referable from correlations. */
  readonly name?: string;
  readonly title: string;
  /** Empty when the rule names no author. Carried on every finding (DRL 1.1). */
  readonly author: string;
  readonly description?: string;
  readonly references: readonly string[];
  readonly tags: readonly string[];
  readonly date?: string;
  readonly modified?: string;
  /** Rule-pack name given to the loader (`exhunt`, `sigmahq`, ...). */
  readonly source: string;
  /** Where the document starts. */
  readonly path: string;
  readonly line: number;
}

export interface SigmaRule extends RuleMeta {
  readonly kind: 'rule';
  readonly level?: Severity;
  readonly status?: RuleStatus;
  readonly logsource: Logsource;
  readonly detection: Detection;
  readonly falsepositives: readonly string[];
  readonly fields: readonly string[];
  /** exhunt extension: where in the attack a match sits. */
  readonly stage?: Stage;
  /** exhunt extension: what a match proves. */
  readonly outcome?: Outcome;
  /** From tags `cve.2021-26855` → `CVE-2021-26855`. */
  readonly cves: readonly string[];
  /** Top-level attributes the model does not know, kept verbatim. */
  readonly custom: Readonly<Record<string, unknown>>;
}

export const CORRELATION_TYPES = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
] as const;
export type CorrelationType = (typeof CORRELATION_TYPES)[number];

export const COMPARE_OPS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];

export interface CorrelationRule extends RuleMeta {
  readonly kind: 'correlation';
  readonly level?: Severity;
  readonly status?: RuleStatus;
  readonly type: CorrelationType;
  /** Ids or names of rules (or other correlations). */
  readonly rules: readonly string[];
  readonly groupBy: readonly string[];
  /** Window length in milliseconds. */
  readonly timespanMs: number;
  /** Conjunction of comparisons; `temporal*` without a condition means "all rules seen". */
  readonly condition: Readonly<Partial<Record<CompareOp, number>>>;
  /** Field for value_* types. */
  readonly field?: string;
  /** For value_percentile: the percentile rank (0-100) to compute; default 50. */
  readonly percentile?: number;
  /** alias → (rule id or name → field name). */
  readonly aliases: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly generate: boolean;
}

export interface SigmaFilter extends RuleMeta {
  readonly kind: 'filter';
  readonly logsource: Logsource;
  /** Ids or names of the rules the filter applies to. */
  readonly rules: readonly string[];
  readonly detection: Detection;
}

export type SigmaDocument = SigmaRule | CorrelationRule | SigmaFilter;
