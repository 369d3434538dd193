// The indicator model shared by the importers, the store, the matchers and the STIX export.

/** What kind of value an indicator is; `filepath` is a file name with the folders it was seen in. */
export const INDICATOR_TYPES = [
  'ip',
  'cidr',
  'domain',
  'url',
  'filename',
  'filepath',
  'md5',
  'sha1',
  'sha256',
  'user-agent',
] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/** Where an indicator came from: one per STIX indicator, MISP event or list file, shared by its values. */
export interface IndicatorMeta {
  /** The STIX indicator id when imported from STIX; otherwise set per value (`ioc.<type>.<hash>`). */
  stixId?: string;
  /** Feed, event or indicator name. */
  title?: string;
  description?: string;
  /** The feed's creator: STIX `created_by_ref` identity, MISP organisation, or the list's author. */
  author: string;
  /** Base name of the file the indicator was loaded from (`builtin:<name>` for our own data). */
  source: string;
  references?: string[];
  tags?: string[];
  /** 0–100 (STIX confidence); below 50 a match is `suspicious` rather than an attempt. */
  confidence?: number;
  validFrom?: string;
  validUntil?: string;
  /** Original STIX fields, so an export can re-emit the indicator unchanged. */
  pattern?: string;
  created?: string;
  modified?: string;
  /** Set when the pattern had conditions besides the one indexed (an AND); they were not checked. */
  partial?: boolean;
}

export interface Indicator {
  type: IndicatorType;
  /** Normalised value (see normalise.ts): what lookups compare against. */
  value: string;
  meta: IndicatorMeta;
  /** A per-value note (a list's comment column). */
  note?: string;
}
