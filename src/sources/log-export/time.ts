// Times as exports write them: ISO-8601 with or without zone, W3C date and time, US and dotted culture forms.

const ISO =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;
/** `3/3/2021 6:49:42 AM`, `3/3/2021, 6:49:42.162 AM` (en-US, Sentinel's export) or 24-hour slashed forms. */
const SLASHED =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(AM|PM)?(?:\s*(Z|UTC|GMT))?$/i;
/** `03.03.2021 06:49:42` (German, Norwegian and other cultures): day first. */
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d+))?)?$/;

const EXCHANGE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Year, month, day, hour, minute and second of `YYYY-MM-DDThh:mm:ss` in range (no 30 February). */
function realTime(v: string): boolean {
  const y = Number(v.slice(0, 4));
  const mo = Number(v.slice(5, 7));
  const d = Number(v.slice(8, 10));
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
  return (
    d <= days &&
    Number(v.slice(11, 13)) <= 23 &&
    Number(v.slice(14, 16)) <= 59 &&
    Number(v.slice(17, 19)) <= 59
  );
}

export type TimeResult =
  | { iso: string }
  /** The value is a time, but which of day and month comes first cannot be told (`03/05/2021 10:00`). */
  | { ambiguous: true }
  | undefined;

/**
 * A time value of an export, as UTC ISO-8601 with milliseconds. Values without a zone are taken as UTC:
 * Exchange and IIS log in UTC and the SIEM exports exhunt has seen keep it. Undefined when not a time.
 */
export function parseExportTime(value: string): TimeResult {
  const v = value.trim();
  if (v.length === 0) return undefined;
  // Exchange's own form, on nearly every row of its exports: checked in place, no Date built.
  if (v.length === 24 && EXCHANGE.test(v)) return realTime(v) ? { iso: v } : undefined;
  let m = ISO.exec(v);
  if (m) return build(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0), m[7], m[8]);
  m = SLASHED.exec(v);
  if (m) {
    let a = +m[1]!;
    let b = +m[2]!;
    const pm = m[8]?.toUpperCase();
    let h = +m[4]!;
    if (pm) {
      // AM/PM is the en-US culture, which puts the month first.
      if (h < 1 || h > 12) return undefined;
      h = (h % 12) + (pm === 'PM' ? 12 : 0);
    } else if (a <= 12 && b <= 12 && a !== b) {
      return { ambiguous: true };
    } else if (a > 12) {
      [a, b] = [b, a]; // day first: 13/03/2021
    }
    return build(+m[3]!, a, b, h, +m[5]!, +(m[6] ?? 0), m[7], undefined);
  }
  m = DOTTED.exec(v);
  if (m) return build(+m[3]!, +m[2]!, +m[1]!, +m[4]!, +m[5]!, +(m[6] ?? 0), m[7], undefined);
  // Epoch seconds (Splunk's _time) or milliseconds.
  if (/^\d{10}(\.\d+)?$/.test(v)) return fromMillis(Math.round(Number(v) * 1000));
  if (/^\d{13}$/.test(v)) return fromMillis(Number(v));
  return undefined;
}

/** A W3C `date` and `time` pair (`2021-03-03`, `06:49:42`), as IIS writes them in UTC. */
export function parseDateAndTime(date: string, time: string): TimeResult {
  return parseExportTime(`${date.trim()} ${time.trim()}`);
}

function build(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  frac: string | undefined,
  zone: string | undefined,
): TimeResult {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  let t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(t);
  // 30 February, or a year Date.UTC moves (years below 100 mean 19xx to it).
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1 || check.getUTCFullYear() !== y)
    return undefined;
  if (zone && /^[+-]/.test(zone)) {
    const z = zone.replace(':', '');
    const offset = (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60_000;
    t += zone.startsWith('+') ? -offset : offset;
  }
  return fromMillis(t);
}

function fromMillis(t: number): TimeResult {
  if (!Number.isFinite(t)) return undefined;
  const d = new Date(t);
  const y = d.getUTCFullYear();
  return y >= 1 && y <= 9999 ? { iso: d.toISOString() } : undefined;
}
