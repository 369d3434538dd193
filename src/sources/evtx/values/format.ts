// Renderings Windows uses for FILETIME, SYSTEMTIME, GUID, SID and hex integers.
import { u16, u32 } from '../bytes.js';

const EPOCH_DIFF_S = 11644473600; // seconds from 1601-01-01 to 1970-01-01

let lastSecs = NaN;
let lastPrefix = '';

/** `YYYY-MM-DDTHH:MM:SS` for Unix seconds; remembers the last one since consecutive events share it. */
function isoSeconds(unixSecs: number): string | undefined {
  if (unixSecs === lastSecs) return lastPrefix;
  const d = new Date(unixSecs * 1000);
  if (Number.isNaN(d.getTime())) return undefined;
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) return undefined;
  lastSecs = unixSecs;
  lastPrefix = d.toISOString().slice(0, 19);
  return lastPrefix;
}

/**
 * FILETIME (100 ns ticks since 1601, as two u32 halves) to `2021-03-03T06:49:42.1623456Z`. The 64-bit
 * tick count is split so the arithmetic stays exact in doubles: 2^32 = 429 * 10^7 + 4967296.
 */
export function filetimeIso(lo: number, hi: number): string {
  const r = hi * 4967296 + lo;
  const secs = hi * 429 + Math.floor(r / 1e7);
  const frac = r % 1e7;
  const prefix = isoSeconds(secs - EPOCH_DIFF_S);
  if (prefix === undefined) return hex64(lo, hi);
  return prefix + '.' + String(frac).padStart(7, '0') + 'Z';
}

/** FILETIME to millisecond precision (`...T06:49:42.162Z`), the form records are sorted by. */
export function filetimeIsoMs(lo: number, hi: number): string | undefined {
  const r = hi * 4967296 + lo;
  const secs = hi * 429 + Math.floor(r / 1e7);
  const prefix = isoSeconds(secs - EPOCH_DIFF_S);
  if (prefix === undefined) return undefined;
  return prefix + '.' + String(Math.floor((r % 1e7) / 1e4)).padStart(3, '0') + 'Z';
}

const p2 = (n: number): string => (n < 10 ? '0' + n : String(n));

/** SYSTEMTIME (eight u16: year, month, weekday, day, hour, minute, second, ms) in the FILETIME form. */
export function systemtimeIso(b: Uint8Array, o: number): string {
  const year = u16(b, o);
  const ms = u16(b, o + 14);
  return (
    String(year).padStart(4, '0') +
    '-' +
    p2(u16(b, o + 2)) +
    '-' +
    p2(u16(b, o + 6)) +
    'T' +
    p2(u16(b, o + 8)) +
    ':' +
    p2(u16(b, o + 10)) +
    ':' +
    p2(u16(b, o + 12)) +
    '.' +
    String(ms).padStart(3, '0') +
    '0000Z'
  );
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase());

/** GUID stored little-endian in its first three fields, rendered `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`. */
export function guidString(b: Uint8Array, o: number): string {
  const h = (i: number): string => HEX[b[o + i]!]!;
  return (
    '{' +
    h(3) +
    h(2) +
    h(1) +
    h(0) +
    '-' +
    h(5) +
    h(4) +
    '-' +
    h(7) +
    h(6) +
    '-' +
    h(8) +
    h(9) +
    '-' +
    h(10) +
    h(11) +
    h(12) +
    h(13) +
    h(14) +
    h(15) +
    '}'
  );
}

/** Byte size of the SID at `o` (8 + 4 per sub-authority), or 0 when fewer than 8 bytes remain. */
export function sidSize(b: Uint8Array, o: number, end: number): number {
  if (o + 8 > end) return 0;
  return 8 + 4 * b[o + 1]!;
}

/**
 * SID to `S-1-5-21-...`. The 48-bit authority is big-endian and printed in hex above 2^32, as Windows
 * does. A SID whose sub-authorities run past `end` keeps the ones that are there.
 */
export function sidString(b: Uint8Array, o: number, end: number): string {
  if (o + 8 > end) return '';
  const count = b[o + 1]!;
  const auth =
    b[o + 2]! * 2 ** 40 +
    b[o + 3]! * 2 ** 32 +
    ((b[o + 4]! << 24) >>> 0) +
    (b[o + 5]! << 16) +
    (b[o + 6]! << 8) +
    b[o + 7]!;
  let s =
    'S-' + b[o]! + '-' + (auth >= 2 ** 32 ? '0x' + auth.toString(16).toUpperCase().padStart(12, '0') : auth);
  for (let i = 0; i < count && o + 12 + 4 * i <= end; i++) s += '-' + u32(b, o + 8 + 4 * i);
  return s;
}

/** Hex integer the way Windows writes it: `0x` and lower-case digits without leading zeros. */
export function hex32(v: number): string {
  return '0x' + v.toString(16);
}

export function hex64(lo: number, hi: number): string {
  return hi === 0 ? '0x' + lo.toString(16) : '0x' + hi.toString(16) + lo.toString(16).padStart(8, '0');
}
