// Field maps: how a Sigma field name becomes a source's native field, plus named value transforms.

export type ValueTransform = (s: string) => string;

/**
 * Transforms a mapping may name. Each applies to both the record's value and the rule's literals, so
 * a rule written in either form matches (IIS writes spaces in the user agent as `+`).
 */
export const TRANSFORMS: ReadonlyMap<string, ValueTransform> = new Map<string, ValueTransform>([
  ['plus-to-space', (s) => (s.includes('+') ? s.replaceAll('+', ' ') : s)],
]);

export interface FieldTarget {
  /** Native field name the record's `get` understands. */
  readonly field: string;
  /** Name of an entry of TRANSFORMS. */
  readonly transform?: string;
}

export type ConditionValue = string | number;

export interface FieldMap {
  readonly source: string;
  /** Sigma field name → native field; names not listed are used as they are. */
  readonly fields: ReadonlyMap<string, FieldTarget>;
  /** Native field values every matching record must have (`Channel`, `EventID`), AND-ed before the rule. */
  readonly conditions: Readonly<Record<string, ConditionValue>>;
  /** Values for `expand` placeholders (`Administrators` → ['adm_*', ...]). */
  readonly placeholders: Readonly<Record<string, readonly string[]>>;
}

export function resolveField(fm: FieldMap, sigmaField: string): FieldTarget {
  return fm.fields.get(sigmaField) ?? { field: sigmaField };
}

/** Sigma names used as they are, no conditions: for tests and for checking rules at load. */
export function identityFieldMap(
  source = '*',
  placeholders: Readonly<Record<string, readonly string[]>> = {},
): FieldMap {
  return { source, fields: new Map(), conditions: {}, placeholders };
}
