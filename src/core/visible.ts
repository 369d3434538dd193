// Attacker text made visible, for every place that shows it (terminal, reports, the dashboard): controls as
// `\xNN`, line feeds as `\n`, and characters that reorder or hide text as `\uNNNN`. Pure, so that the
// dashboard uses the very function the reports use.

/** C0 and C1 controls except tab and line feed (line feed is shown as `\n` separately). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Characters that reorder or hide text (bidi overrides and isolates, zero-width, line separators, BOM). */
const INVISIBLE = /[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** Control characters (and ANSI escape sequences with them) shown as `\xNN`, so a log line cannot drive the terminal. */
export function safeTerminal(s: string): string {
  return s
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/\n/g, '\\n');
}

/** Controls and invisible characters shown as `\xNN` / `\uNNNN`: what a log says, on one line, as it is. */
export function visible(s: string): string {
  return safeTerminal(s).replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
