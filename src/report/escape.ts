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
