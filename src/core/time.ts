// UTC time helpers: every time exhunt writes is ISO-8601 in UTC with milliseconds.

/** `2021-03-03 06:49:42` (W3C: date and time fields, always UTC) to ISO-8601. */
export function w3cTime(date: string, time: string): string | undefined {
  if (date.length !== 10 || time.length < 8) return undefined;
  const frac = time.length > 9 ? time.slice(9, 12).padEnd(3, '0') : '000';
  const iso = `${date}T${time.slice(0, 8)}.${frac}Z`;
  return isIsoUtc(iso) ? iso : undefined;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export function isIsoUtc(s: string): boolean {
  return ISO_RE.test(s);
}

/** Normalise an ISO-8601 UTC timestamp to millisecond precision (`...T06:49:42.162Z`). */
export function normaliseIso(s: string): string | undefined {
  if (!ISO_RE.test(s)) return undefined;
  const dot = s.indexOf('.');
  if (dot < 0) return s.slice(0, -1) + '.000Z';
  const frac = s.slice(dot + 1, -1);
  return s.slice(0, dot + 1) + frac.slice(0, 3).padEnd(3, '0') + 'Z';
}

export function minTime(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

export function maxTime(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

export function nowIso(): string {
  return new Date().toISOString();
}
