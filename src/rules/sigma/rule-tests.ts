// Rule tests as data: (rule, event, expected) cases in YAML beside the rules, read with located errors.

import type { FieldValue } from '../../core/record.js';
import { isMap } from './doc.js';
import type { RuleError } from './model.js';
import { isRuleTest } from './parse.js';
import { readYamlDocuments } from './yamldoc.js';

export type Expect = 'match' | 'no-match';

export interface RuleTestCase {
  name: string;
  expect: Expect;
  /** A raw log line (text sources) or the event's fields (EVTX). */
  event: string | Readonly<Record<string, FieldValue | readonly FieldValue[]>>;
  /** UTC ISO-8601 time for EVTX events. */
  time?: string;
  /** Where the case starts in the test file. */
  line: number;
}

/** One test document: a rule, the source its events are read with, and the cases. */
export interface RuleTestDoc {
  path: string;
  line: number;
  /** Rule id or name, or a rule file path relative to the test file. */
  rule: string;
  source: string;
  /** Text sources: the lines before each event (`#Fields:` and the like). */
  header?: string;
  cases: RuleTestCase[];
}

const DOC_KEYS = new Set(['rule', 'source', 'header', 'description', 'tests']);
const CASE_KEYS = new Set(['name', 'expect', 'event', 'time']);

/**
 * Read every test document of one file. Documents that are not tests (no `tests` key) are ignored,
 * so rules and their tests may share a folder; a malformed test document is an error, never skipped.
 */
export function parseRuleTests(text: string, path: string): { docs: RuleTestDoc[]; errors: RuleError[] } {
  const docs: RuleTestDoc[] = [];
  const errors: RuleError[] = [];
  // Unreadable YAML is a test problem only in a file that looks like a test; broken rules are lint's.
  const looksLikeTest = /^rule\s*:/m.test(text) && /^tests\s*:/m.test(text);
  for (const doc of readYamlDocuments(text)) {
    const v = doc.value;
    if (doc.errors.length > 0) {
      if (!looksLikeTest) continue;
      for (const e of doc.errors)
        errors.push({ path, line: e.line, column: e.column, message: e.message, code: 'test.yaml' });
      continue;
    }
    // A Sigma rule may carry its own `tests` list (SigmaHQ regression data): only rule-less documents are ours.
    if (!isMap(v) || !isRuleTest(v)) continue;
    const err = (at: (string | number)[], message: string): void => {
      const p = doc.locate(at);
      errors.push({ path, line: p.line, column: p.column, message, code: 'test.invalid' });
    };
    const before = errors.length;
    for (const k of Object.keys(v)) if (!DOC_KEYS.has(k)) err([k], `unknown key '${k}'`);
    const { rule, source, header, tests } = v;
    if (typeof rule !== 'string' || rule === '') err(['rule'], "'rule' must name a rule (id, name or file)");
    if (typeof source !== 'string' || source === '') err(['source'], "'source' must be an exhunt source id");
    if (header !== undefined && typeof header !== 'string') err(['header'], "'header' must be text");
    if (!Array.isArray(tests) || tests.length === 0) err(['tests'], "'tests' must be a non-empty list");
    const cases: RuleTestCase[] = [];
    (Array.isArray(tests) ? tests : []).forEach((t: unknown, i: number) => {
      const at = ['tests', i];
      if (!isMap(t)) return err(at, 'a test case must be a map');
      for (const k of Object.keys(t)) if (!CASE_KEYS.has(k)) err([...at, k], `unknown key '${k}'`);
      const { name, expect, event, time } = t;
      if (expect !== 'match' && expect !== 'no-match')
        err([...at, 'expect'], "'expect' must be match or no-match");
      const text = typeof event === 'string';
      const fields = isMap(event) && Object.values(event).every(isFieldValue);
      if (!text && !fields) err([...at, 'event'], "'event' must be a log line or a map of field values");
      if (time !== undefined && typeof time !== 'string')
        err([...at, 'time'], "'time' must be an ISO-8601 text");
      if (errors.length > before) return;
      cases.push({
        name: typeof name === 'string' ? name : `case ${i + 1}`,
        expect: expect as Expect,
        event: event as RuleTestCase['event'],
        ...(typeof time === 'string' ? { time } : {}),
        line: doc.locate(at).line,
      });
    });
    if (errors.length > before) continue;
    docs.push({
      path,
      line: doc.pos.line,
      rule: rule as string,
      source: source as string,
      ...(typeof header === 'string' ? { header } : {}),
      cases,
    });
  }
  return { docs, errors };
}

function isFieldValue(v: unknown): boolean {
  const scalar = (x: unknown): boolean =>
    x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
  return scalar(v) || (Array.isArray(v) && v.every(scalar));
}

/** The outcome of one case: `error` when the case could not be run (rule missing, event unreadable). */
export interface CaseResult {
  path: string;
  line: number;
  name: string;
  rule: string;
  /** The rule's id, once resolved. */
  ruleId?: string;
  title?: string;
  expect: Expect;
  got: Expect | 'error';
  message?: string;
}

export function passed(r: CaseResult): boolean {
  return r.got === r.expect;
}

/** `PASS path:line title: case (match)` or `FAIL ...: expected match, got no-match`. */
export function formatResult(r: CaseResult): string {
  const head = `${r.path}:${r.line}  ${r.title ?? r.rule}: ${r.name}`;
  if (passed(r)) return `PASS ${head} (${r.expect})`;
  if (r.got === 'error') return `ERROR ${head}: ${r.message ?? 'could not run'}`;
  return `FAIL ${head}: expected ${r.expect}, got ${r.got}`;
}
