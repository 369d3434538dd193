// Test helpers: an in-memory LogRecord over plain fields, and one-line rule compilation.

import type { FieldValue, LogRecord } from '../../core/record.js';
import { compileRule } from './compile.js';
import type { FieldMap } from './fieldmap.js';
import { identityFieldMap } from './fieldmap.js';
import type { SigmaRule } from './model.js';
import { parseRuleText } from './parse.js';

export type Fields = Record<string, FieldValue | readonly FieldValue[]>;

/** A record whose text is its fields as `k=v` pairs unless given. */
export function rec(fields: Fields, text?: string, source = 'test'): LogRecord {
  return {
    source,
    line: 1,
    time: undefined,
    get: (f) => fields[f],
    text: () =>
      text ??
      Object.entries(fields)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' '),
    fieldNames: () => Object.keys(fields),
  };
}

/** Parse exactly one rule; throws with the errors otherwise. */
export function rule(yamlText: string): SigmaRule {
  const p = parseRuleText(yamlText, 'test.yml');
  if (p.errors.length > 0 || p.rules.length !== 1) {
    throw new Error(`rule did not parse: ${JSON.stringify(p.errors)}`);
  }
  return p.rules[0] as SigmaRule;
}

/** A rule from a detection body (YAML, indented by 2) with the standard header. */
export function detection(body: string): SigmaRule {
  return rule(`title: t\nid: r1\nlogsource: {category: test}\ndetection:\n${body}`);
}

/** Compile a detection body and return a matcher over plain field objects. */
export function matcher(
  body: string,
  fm: FieldMap = identityFieldMap(),
): (f: Fields, text?: string) => boolean {
  const m = compileRule(detection(body), fm);
  return (f, text) => m(rec(f, text));
}
