// UTC time formatting for every log format the generator writes; all inputs are epoch milliseconds.

export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const p2 = (n: number) => (n < 10 ? '0' : '') + n;
const p3 = (n: number) => (n < 10 ? '00' : n < 100 ? '0' : '') + n;

/** `2021-03-03T06:49:42.162Z`, the Exchange CSV log timestamp. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `2021-03-03` and `06:49:42`, the IIS W3C date and time fields. */
export function w3cDate(ms: number): string {
  return iso(ms).slice(0, 10);
}
export function w3cTime(ms: number): string {
  return iso(ms).slice(11, 19);
}

/** `210303` for `u_ex210303.log`. */
export function yymmdd(ms: number): string {
  const d = new Date(ms);
  return p2(d.getUTCFullYear() % 100) + p2(d.getUTCMonth() + 1) + p2(d.getUTCDate());
}

/** `20210303` for daily Exchange logs. */
export function yyyymmdd(ms: number): string {
  return iso(ms).slice(0, 10).replace(/-/g, '');
}

/** `2021030306` for hourly Exchange logs. */
export function yyyymmddhh(ms: number): string {
  return yyyymmdd(ms) + iso(ms).slice(11, 13);
}

export function startOfDay(ms: number): number {
  return ms - (((ms % DAY) + DAY) % DAY);
}

export function utc(text: string): number {
  const t = Date.parse(text.endsWith('Z') ? text : text + 'Z');
  if (Number.isNaN(t)) throw new Error(`bad time: ${text}`);
  return t;
}

export { p2, p3 };
