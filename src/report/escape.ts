// Escaping attacker-controlled text for terminals, CSV and HTML: it is data and must never act as markup or control.

import { safeTerminal, visible } from '../core/visible.js';

// The terminal and visible forms live in core, where the dashboard shares them.
export { safeTerminal, visible };

/** CSV field per RFC 4180, with a leading `'` before `=`, `+`, `-`, `@` so spreadsheets do not run formulas. */
export function csvField(s: string): string {
  let v = s;
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function htmlText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Attacker text for HTML: invisible characters made visible, then markup escaped. */
export function htmlSafe(s: string): string {
  return htmlText(visible(s));
}

/**
 * A Markdown code span: raw HTML is never interpreted inside one. The fence is longer than any run of
 * backticks in the text; `|` is escaped for GFM tables, which split cells before reading code spans.
 */
export function mdCode(s: string, inTable = false): string {
  let v = visible(s);
  if (inTable) v = v.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(v.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = v.startsWith('`') || v.endsWith('`') || v === '' ? ' ' : '';
  return `${fence}${pad}${v}${pad}${fence}`;
}

/**
 * Markdown text: the characters that make markup anywhere backslash-escaped (CommonMark allows it before
 * any ASCII punctuation); with `[` and `]` escaped, `(` and `!` cannot form a link or image. What makes
 * markup only at the start of a line (`#`, `+`, `-`, `1.`) is escaped there.
 */
export function mdText(s: string): string {
  return visible(s)
    .replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#+\-=])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** Quote characters PowerShell accepts as a single quote: ' and the typographic ‘ ’ ‚ ‛. */
const PS_QUOTES = /['\u2018\u2019\u201a\u201b]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const PS_UNSAFE = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;

/**
 * A PowerShell single-quoted literal, in which nothing is expanded; every quote character PowerShell treats
 * as a single quote is doubled. Undefined when the text holds control characters or line separators: such
 * a string is refused rather than risk a line break inside a command.
 */
export function psLiteral(s: string): string | undefined {
  if (PS_UNSAFE.test(s)) return undefined;
  return `'${s.replace(PS_QUOTES, (q) => q + q)}'`;
}

/** Text for a PowerShell `#` comment: one line whatever it holds, since only a line break ends the comment. */
export function psComment(s: string): string {
  return visible(s);
}
