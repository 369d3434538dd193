// HttpProxy log rows (Logging\HttpProxy\<Protocol>), columns by name from the Exchange 2016 CU22 field list.

import { csvRow } from './csv.js';
import type { Req, RenderCtx } from './request.js';
import { iso } from './time.js';

export const HTTPPROXY_FIELDS = [
  'DateTime', 'RequestId', 'MajorVersion', 'MinorVersion', 'BuildVersion', 'RevisionVersion', 'ClientRequestId',
  'Protocol', 'UrlHost', 'UrlStem', 'ProtocolAction', 'AuthenticationType', 'IsAuthenticated', 'AuthenticatedUser',
  'Organization', 'AnchorMailbox', 'UserAgent', 'ClientIpAddress', 'ServerHostName', 'HttpStatus', 'BackEndStatus',
  'ErrorCode', 'Method', 'ProxyAction', 'TargetServer', 'TargetServerVersion', 'RoutingType', 'RoutingHint',
  'BackEndCookie', 'ServerLocatorHost', 'ServerLocatorLatency', 'RequestBytes', 'ResponseBytes',
  'TargetOutstandingRequests', 'AuthModulePerfContext', 'HttpPipelineLatency', 'CalculateTargetBackEndLatency',
  'GlsLatencyBreakup', 'TotalGlsLatency', 'AccountForestLatencyBreakup', 'TotalAccountForestLatency',
  'ResourceForestLatencyBreakup', 'TotalResourceForestLatency', 'ADLatency', 'SharedCacheLatencyBreakup',
  'TotalSharedCacheLatency', 'ActivityContextLifeTime', 'ModuleToHandlerSwitchingLatency', 'ClientReqStreamLatency',
  'BackendReqInitLatency', 'BackendReqStreamLatency', 'BackendProcessingLatency', 'BackendRespInitLatency',
  'BackendRespStreamLatency', 'ClientRespStreamLatency', 'KerberosAuthHeaderLatency', 'HandlerCompletionLatency',
  'RequestHandlerLatency', 'HandlerToModuleSwitchingLatency', 'ProxyTime', 'CoreLatency', 'RoutingLatency',
  'HttpProxyOverhead', 'TotalRequestTime', 'RouteRefresherLatency', 'UrlQuery', 'BackEndGenericInfo', 'GenericInfo',
  'GenericErrors', 'EdgeTraceId', 'DatabaseGuid', 'UserADObjectGuid', 'PartitionEndpointLookupLatency',
  'RoutingStatus',
] as const; // prettier-ignore

export type HttpProxyField = (typeof HTTPPROXY_FIELDS)[number];

/** Timing columns derived from the request's duration so every row carries plausible numbers. */
function timings(r: Req, proxied: boolean): Record<string, string> {
  const total = r.taken;
  const be = proxied ? Math.max(0, total - 4) : 0;
  const n = (x: number) => String(Math.max(0, Math.round(x)));
  if (!proxied) return { TotalRequestTime: n(total), ActivityContextLifeTime: n(total), CoreLatency: '0' };
  return {
    ServerLocatorLatency: '0',
    HttpPipelineLatency: '0',
    CalculateTargetBackEndLatency: '1',
    TotalGlsLatency: '0',
    TotalAccountForestLatency: '0',
    TotalResourceForestLatency: '0',
    ADLatency: '',
    TotalSharedCacheLatency: '0',
    ActivityContextLifeTime: n(total),
    ModuleToHandlerSwitchingLatency: '0',
    ClientReqStreamLatency: '0',
    BackendReqInitLatency: '1',
    BackendReqStreamLatency: '0',
    BackendProcessingLatency: n(be),
    BackendRespInitLatency: '0',
    BackendRespStreamLatency: '0',
    ClientRespStreamLatency: '0',
    KerberosAuthHeaderLatency: '0',
    HandlerCompletionLatency: '0',
    RequestHandlerLatency: '0',
    HandlerToModuleSwitchingLatency: '0',
    ProxyTime: n(be + 1),
    CoreLatency: n(total - be),
    RoutingLatency: '1',
    HttpProxyOverhead: n(total - be),
    TotalRequestTime: n(total),
  };
}

function genericInfo(r: Req, proxied: boolean, beVersion: number): string {
  const start = iso(r.t - r.taken);
  const end = iso(r.t);
  if (!proxied) return `BeginRequest=${start};CorrelationID=<empty>;SharedCacheGuard=0;EndRequest=${end};`;
  const mid = iso(r.t - 1);
  return (
    `BeginRequest=${start};CorrelationID=<empty>;ProxyState-Run=None;FEAuth=BEVersion-${beVersion};` +
    `BeginGetResponse=${start};OnResponseReady=${mid};EndGetResponse=${mid};` +
    `ProxyState-Complete=ProxyResponseData;SharedCacheGuard=0;EndRequest=${end};`
  );
}

/** Builds one row; values in `r.px` win over the defaults derived from the request. */
export function httpProxyValues(r: Req, ctx: RenderCtx): Record<string, string> {
  const { site, build } = ctx;
  const proxied = r.be !== undefined;
  const v: Record<string, string> = {
    DateTime: iso(r.t),
    RequestId: r.rid,
    MajorVersion: String(build.parts[0]),
    MinorVersion: String(build.parts[1]),
    BuildVersion: String(build.parts[2]),
    RevisionVersion: String(build.parts[3]),
    Protocol: r.proto ?? '',
    UrlHost: r.host,
    UrlStem: r.stem,
    IsAuthenticated: 'false',
    // Exchange swaps commas in user agents for spaces, which keeps this column unquoted.
    UserAgent: r.ua.replace(/,/g, ' '),
    ClientIpAddress: r.cip,
    ServerHostName: site.server,
    HttpStatus: String(r.status),
    Method: r.method,
    UrlQuery: r.query ? '?' + r.query : '',
    GenericInfo: genericInfo(r, proxied, build.beVersion),
    ...timings(r, proxied),
  };
  if (proxied) {
    v.BackEndStatus = String(r.be?.status ?? r.status);
    v.ProxyAction = 'Proxy';
    v.TargetServer = site.fqdn;
    v.TargetServerVersion = `${build.long.slice(0, 10)}.000`;
    v.RoutingType = 'IntraForest';
    v.RequestBytes = String(r.method === 'GET' ? 0 : 200 + (r.taken % 900));
    v.ResponseBytes = String(300 + ((r.taken * 37) % 9000));
    v.RoutingStatus = 'CafeV1';
  }
  return { ...v, ...r.px };
}

export function httpProxyRow(r: Req, ctx: RenderCtx): string {
  const v = httpProxyValues(r, ctx);
  return csvRow(HTTPPROXY_FIELDS.map((f) => v[f] ?? '')) + '\r\n';
}
