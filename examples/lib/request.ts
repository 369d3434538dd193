// One HTTP request to the Exchange front end, the shared model every log renderer reads from.

import type { Build, Site } from './site.js';
import type { IisEntry } from './w3c.js';

export type Protocol =
  'Autodiscover' | 'Eas' | 'Ecp' | 'Ews' | 'Mapi' | 'Oab' | 'Owa' | 'OwaCalendar' | 'PowerShell' | 'RpcHttp';

export const PROTOCOLS: readonly Protocol[] = [
  'Autodiscover',
  'Eas',
  'Ecp',
  'Ews',
  'Mapi',
  'Oab',
  'Owa',
  'OwaCalendar',
  'PowerShell',
  'RpcHttp',
];

/** The back-end (port 444, W3SVC2) half of a proxied request. */
export interface BackEnd {
  stem: string;
  query: string;
  user: string;
  status?: number;
}

export interface Req {
  /** Completion time, epoch ms (HttpProxy DateTime; IIS logs the same second). */
  t: number;
  taken: number;
  method: string;
  host: string;
  stem: string;
  /** Query without the leading `?`; the front end's `&CorrelationID=...` suffix is added by the renderer. */
  query: string;
  port: number;
  status: number;
  sub?: number;
  win32?: number;
  cip: string;
  ua: string;
  referer?: string;
  /** IIS cs-username on the front end; empty for anonymous requests. */
  feUser?: string;
  /** HttpProxy protocol folder; undefined for requests the Exchange proxy never sees (aspnet_client, statics). */
  proto?: Protocol;
  /** OWA appends `&encoding=;` to its own pages' query. */
  owaEncoding?: boolean;
  rid: string;
  /** HttpProxy columns this request sets explicitly (AnchorMailbox, AuthenticatedUser, ...). */
  px?: Readonly<Record<string, string>>;
  be?: BackEnd;
}

export interface RenderCtx {
  site: Site;
  build: Build;
}

/** Exchange's proxy module appends these to cs-uri-query for every request it handles. */
export function feQuery(r: Req): string {
  if (!r.proto) return r.query;
  const cafe = `&CorrelationID=<empty>;&cafeReqId=${r.rid};${r.owaEncoding ? '&encoding=;' : ''}`;
  return r.query ? r.query + cafe : cafe;
}

export function feEntry(r: Req, site: Site): IisEntry {
  return {
    t: r.t,
    sIp: site.ip,
    method: r.method,
    stem: r.stem,
    query: feQuery(r),
    port: r.port,
    user: r.feUser ?? '',
    cIp: r.cip,
    ua: r.ua,
    referer: r.referer ?? '',
    status: r.status,
    sub: r.sub ?? 0,
    win32: r.win32 ?? 0,
    taken: r.taken,
  };
}

/** The back end logs first: it finishes before the front end relays the answer. */
export function beEntry(r: Req, site: Site): IisEntry | undefined {
  if (!r.be) return undefined;
  const lag = Math.min(r.taken, 3 + (r.taken >> 4));
  return {
    t: r.t - lag,
    sIp: site.ip,
    method: r.method,
    stem: r.be.stem,
    query: r.be.query,
    port: 444,
    user: r.be.user,
    cIp: site.ip,
    ua: r.ua,
    referer: '',
    status: r.be.status ?? r.status,
    sub: 0,
    win32: 0,
    taken: Math.max(1, r.taken - lag - 2),
  };
}
