// IIS W3C extended log lines and directive blocks, as IIS 10 writes them for the Exchange web sites.

import { w3cDate, w3cTime } from './time.js';

/** The IIS default field set (the one in every stock Exchange install). */
export const IIS_FIELDS = [
  'date',
  'time',
  's-ip',
  'cs-method',
  'cs-uri-stem',
  'cs-uri-query',
  's-port',
  'cs-username',
  'c-ip',
  'cs(User-Agent)',
  'cs(Referer)',
  'sc-status',
  'sc-substatus',
  'sc-win32-status',
  'time-taken',
] as const;

/** IIS appends custom (request header) fields after the standard ones. */
export const IIS_FIELDS_XFF: readonly string[] = [...IIS_FIELDS, 'X-Forwarded-For'];

export interface IisEntry {
  t: number;
  sIp: string;
  method: string;
  stem: string;
  query: string;
  port: number;
  user: string;
  cIp: string;
  ua: string;
  referer: string;
  status: number;
  sub: number;
  win32: number;
  taken: number;
  xff?: string;
}

/** IIS writes `-` for an empty value and `+` for each space (user agents are the usual case). */
export function w3cValue(v: string): string {
  if (v === '') return '-';
  return v.indexOf(' ') < 0 ? v : v.replace(/ /g, '+');
}

/** The four directive lines IIS writes at the top of a file and again after every restart. */
export function w3cHeader(firstMs: number, fields: readonly string[]): string {
  return (
    '#Software: Microsoft Internet Information Services 10.0\r\n' +
    '#Version: 1.0\r\n' +
    `#Date: ${w3cDate(firstMs)} ${w3cTime(firstMs)}\r\n` +
    `#Fields: ${fields.join(' ')}\r\n`
  );
}

function value(e: IisEntry, field: string): string {
  switch (field) {
    case 'date':
      return w3cDate(e.t);
    case 'time':
      return w3cTime(e.t);
    case 's-ip':
      return e.sIp;
    case 'cs-method':
      return e.method;
    case 'cs-uri-stem':
      return w3cValue(e.stem);
    case 'cs-uri-query':
      return w3cValue(e.query);
    case 's-port':
      return String(e.port);
    case 'cs-username':
      return w3cValue(e.user);
    case 'c-ip':
      return e.cIp;
    case 'cs(User-Agent)':
      return w3cValue(e.ua);
    case 'cs(Referer)':
      return w3cValue(e.referer);
    case 'sc-status':
      return String(e.status);
    case 'sc-substatus':
      return String(e.sub);
    case 'sc-win32-status':
      return String(e.win32);
    case 'time-taken':
      return String(e.taken);
    case 'X-Forwarded-For':
      return w3cValue(e.xff ?? '');
    default:
      return '-';
  }
}

export function w3cLine(e: IisEntry, fields: readonly string[]): string {
  let s = '';
  for (let i = 0; i < fields.length; i++) s += (i ? ' ' : '') + value(e, fields[i] as string);
  return s + '\r\n';
}
