// Shared pieces of the importers: located problems, line numbers in JSON text, JSON parse errors, ids.

import { createHash } from 'node:crypto';
import type { Problem } from '../../core/problem.js';
import type { Indicator, IndicatorType } from './types.js';

export interface ImportResult {
  indicators: Indicator[];
  problems: Problem[];
}

export function problem(
  code: string,
  message: string,
  path: string,
  line?: number,
  severity: Problem['severity'] = 'warning',
): Problem {
  return { code, message, path, ...(line !== undefined ? { line } : {}), severity };
}

/** The rule id of a value that came without a STIX id: stable across feeds that list the same value. */
export function valueRuleId(type: IndicatorType, value: string): string {
  return `ioc.${type}.${createHash('sha256').update(`${type}\0${value}`).digest('hex').slice(0, 16)}`;
}

/**
 * Line numbers of strings in a JSON document. Objects are visited in file order, so each search starts
 * where the previous one ended and counting newlines stays linear in the file size.
 */
export class LineLocator {
  private pos = 0;
  private line = 1;

  constructor(private readonly text: string) {}

  lineOf(needle: string): number | undefined {
    let at = this.text.indexOf(needle, this.pos);
    if (at < 0) {
      at = this.text.indexOf(needle);
      if (at < 0) return undefined;
      this.pos = 0;
      this.line = 1;
    }
    for (let i = this.text.indexOf('\n', this.pos); i >= 0 && i < at; i = this.text.indexOf('\n', i + 1))
      this.line++;
    this.pos = at + 1; // the needle's first character is never a newline
    return this.line;
  }
}

/** JSON.parse with the error placed on its line (Node reports a character position). */
export function parseJson(text: string, path: string): { value: unknown } | { problem: Problem } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg)?.[1];
    const lineM = /line (\d+)/.exec(msg)?.[1];
    const line =
      lineM !== undefined
        ? Number(lineM)
        : pos !== undefined
          ? text.slice(0, Number(pos)).split('\n').length
          : undefined;
    return { problem: problem('ioc.bad-json', `not valid JSON: ${msg}`, path, line, 'error') };
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function optString(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
