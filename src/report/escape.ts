// Escaping attacker-controlled text for terminals, CSV and HTML: it is data and must never act as markup or control.

/** C0 and C1 controls except tab and line feed (line feed is shown as `\n` separately). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Control characters (and ANSI escape sequences with them) shown as `\xNN`, so a log line cannot drive the terminal. */
export function safeTerminal(s: string): string {
  return s
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/\n/g, '\\n');
}

/** CSV field per RFC 4180, with a leading `'` before `=`, `+`, `-`, `@` so spreadsheets do not run formulas. */
export function csvField(s: string): string {
  let v = s;
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function htmlText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Characters that reorder or hide text (bidi overrides and isolates, zero-width, line separators, BOM). */
const INVISIBLE = /[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** Controls and invisible characters shown as `\xNN` / `\uNNNN`: what a log says, on one line, as it is. */
export function visible(s: string): string {
  return safeTerminal(s).replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
