// UTC time helpers: every time exhunt writes is ISO-8601 in UTC with milliseconds, and is a real time.

/** `2021-03-03 06:49:42` (W3C: date and time fields, always UTC) to ISO-8601; undefined unless a real time. */
export function w3cTime(date: string, time: string): string | undefined {
  if (date.length !== 10 || time.length < 8) return undefined;
  const frac = time.length > 9 ? time.slice(9, 12).padEnd(3, '0') : '000';
  const iso = `${date}T${time.slice(0, 8)}${time.length > 8 ? time[8] : '.'}${frac}Z`;
  return isIsoUtc(iso) ? iso : undefined;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** ISO-8601 UTC (`2021-03-03T06:49:42Z`, with any fraction), and a time that exists (no 30 February). */
export function isIsoUtc(s: string): boolean {
  return ISO_RE.test(s) && isStampAt(s, 0);
}

/** Normalise an ISO-8601 UTC timestamp to millisecond precision (`...T06:49:42.162Z`); undefined if not one. */
export function normaliseIso(s: string): string | undefined {
  if (!isIsoUtc(s)) return undefined;
  const dot = s.indexOf('.');
  if (dot < 0) return s.slice(0, -1) + '.000Z';
  const frac = s.slice(dot + 1, -1);
  return s.slice(0, dot + 1) + frac.slice(0, 3).padEnd(3, '0') + 'Z';
}

/**
 * Is `YYYY-MM-DD?hh:mm:ss` at `at` of `s` a real time: digits where digits go, `-` and `:` where they go
 * (any character between date and time), year 0001-9999, month 1-12, a day the month has, 00:00:00 to
 * 23:59:59 (a leap second has no ISO form here)? Checked in place: this runs on many lines.
 */
export function isStampAt(s: string, at: number): boolean {
  if (s.length < at + 19) return false;
  if (s.charCodeAt(at + 4) !== 45 || s.charCodeAt(at + 7) !== 45) return false;
  if (s.charCodeAt(at + 13) !== 58 || s.charCodeAt(at + 16) !== 58) return false;
  const y = two(s, at) * 100 + two(s, at + 2);
  return isRealTime(y, two(s, at + 5), two(s, at + 8), two(s, at + 11), two(s, at + 14), two(s, at + 17));
}

/** Year 1-9999, month 1-12, a day the month has (proleptic Gregorian), 00:00:00 to 23:59:59. */
function isRealTime(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return (
    y >= 1 &&
    y <= 9999 &&
    mo >= 1 &&
    mo <= 12 &&
    d >= 1 &&
    d <= daysIn(y, mo) &&
    h >= 0 &&
    h <= 23 &&
    mi >= 0 &&
    mi <= 59 &&
    s >= 0 &&
    s <= 59
  );
}

function daysIn(y: number, mo: number): number {
  if (mo === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/** The two-digit number at `at`, or a large negative number when either is not a digit. */
function two(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -10000;
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
