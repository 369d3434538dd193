// Escaping attacker-controlled text for terminals, CSV and HTML: it is data and must never act as markup or control.

/** Control characters (and ANSI escape sequences with them) shown as `\xNN`, so a log line cannot drive the terminal. */
export function safeTerminal(s: string): string {
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/\n/g, '\\n');
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
