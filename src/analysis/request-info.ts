// What one finding says about the request or file behind it: ids shared across logs, URL, status, command.

import type { Finding } from '../core/finding.js';

export interface RequestFacts {
  /** Front-end request ids this finding names for sure (`details.requestId`, IIS `cafeReqId=`). */
  requestIds: string[];
  /** Every GUID in the excerpt: a row of another log may carry a known request id in any column. */
  guids: string[];
  /** The ECP canary, which stays the same over one ECP session. */
  canary?: string;
  method?: string;
  /** URL path as requested (for an SSRF: the front-end path, `/ecp/y.js`). */
  url?: string;
  query?: string;
  status?: number;
  /** The back-end path an SSRF reached (`/ews/exchange.asmx`), from a ProxyLogon anchor or a ProxyShell URL. */
  backendPath?: string;
  /** The AnchorMailbox when it names a mailbox (`Smtp~user@corp`), not a server. */
  mailbox?: string;
  /** Shell command or cmdlet text the logs show. */
  command?: string;
  /** Evidence is a file (a webshell or staged file on disk), not a log record. */
  isFile: boolean;
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const METHOD = /^(GET|POST|PUT|HEAD|OPTIONS|DELETE|PATCH|PROPFIND|RPC_IN_DATA|RPC_OUT_DATA)$/;

export function requestFacts(f: Finding): RequestFacts {
  const d = f.details ?? {};
  const ev = f.evidence[0];
  const text = ev?.excerpt ?? '';
  const out: RequestFacts = { requestIds: [], guids: [], isFile: ev !== undefined && ev.line === undefined };
  if (d.requestId) out.requestIds.push(d.requestId.toLowerCase());
  const cafe = /cafeReqId=([0-9a-f-]{36})/i.exec(text)?.[1];
  if (cafe && !out.requestIds.includes(cafe.toLowerCase())) out.requestIds.push(cafe.toLowerCase());
  out.guids = [...new Set((text.match(GUID) ?? []).map((g) => g.toLowerCase()))];
  const canary = d.ecpCanary ?? /msExchEcpCanary=([A-Za-z0-9_\-.]+)/i.exec(text)?.[1];
  if (canary) out.canary = canary;
  const w3c = w3cRequest(text);
  const method = d.method ?? w3c?.method;
  if (method) out.method = method;
  const url = d.url ?? w3c?.stem;
  if (url) out.url = url;
  if (w3c?.query) out.query = w3c.query;
  const status = Number.parseInt(d.httpStatus ?? '', 10);
  if (!Number.isNaN(status)) out.status = status;
  else if (w3c?.status !== undefined) out.status = w3c.status;
  const anchor = d.anchorMailbox ?? '';
  const backend = backendPathOf(anchor) ?? proxyShellPath(`${out.url ?? ''}?${out.query ?? ''}`);
  if (backend) out.backendPath = backend;
  const mailbox = /^(?:Smtp|Sid|ExternalDirectoryObjectId|Puid|LiveIdMemberName)~(.+)$/i.exec(anchor)?.[1];
  if (mailbox) out.mailbox = mailbox;
  const command = d.command ?? d.cmd ?? (d.cmdlet ? `${d.cmdlet} ${d.parameters ?? ''}`.trim() : undefined);
  if (command) out.command = command;
  return out;
}

/** Method, stem, query and status of a W3C line; the three request fields are adjacent in every IIS layout. */
export function w3cRequest(
  line: string,
): { method: string; stem: string; query: string; status?: number } | undefined {
  if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(line)) return undefined;
  const tokens = line.trim().split(' ');
  const i = tokens.findIndex((t) => METHOD.test(t));
  if (i < 0 || tokens[i + 1] === undefined) return undefined;
  const query = tokens[i + 2] === '-' || tokens[i + 2] === undefined ? '' : (tokens[i + 2] as string);
  // IIS's default layout ends with sc-status sc-substatus sc-win32-status time-taken.
  const tail = tokens.slice(-4);
  const status =
    tail.length === 4 && tail.every((t) => /^\d+$/.test(t)) && /^\d{3}$/.test(tail[0] as string)
      ? Number(tail[0])
      : undefined;
  return { method: tokens[i] as string, stem: tokens[i + 1] as string, query, ...(status ? { status } : {}) };
}

/** `ServerInfo~a]@EXCH01.corp.local:444/mapi/emsmdb/?#` → `/mapi/emsmdb/`. */
export function backendPathOf(anchor: string): string | undefined {
  const m = /^ServerInfo~[^/]*?(\/[^?#]*)/i.exec(anchor);
  return m?.[1]?.toLowerCase();
}

/** ProxyShell: `/autodiscover/autodiscover.json?@evil.com/mapi/nspi/?&Email=...` → `/mapi/nspi/`. */
export function proxyShellPath(url: string): string | undefined {
  let u = url;
  try {
    u = decodeURIComponent(url.replace(/\+/g, ' '));
  } catch {
    // keep the raw text
  }
  if (!/autodiscover\.json/i.test(u)) return undefined;
  const m = /@[^/?&]*(\/(?:powershell|mapi\/nspi|mapi\/emsmdb|ews|owa|oab|ecp)[^?&#\s]*)/i.exec(u);
  return m?.[1]?.toLowerCase();
}

/**
 * The account a ProxyShell `X-Rps-CAT` token impersonates. The token is base64 of Exchange's
 * CommonAccessToken: tagged fields, `L` then a length byte then the logon name, `U` then the user SID.
 */
export function rpsCatIdentity(text: string): string | undefined {
  const raw = /X-Rps-CAT=([A-Za-z0-9+/%=_-]+)/i.exec(text)?.[1];
  if (!raw) return undefined;
  let b64 = raw;
  try {
    b64 = decodeURIComponent(raw);
  } catch {
    // keep the raw token
  }
  const buf = Buffer.from(b64.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  for (let i = 0; i + 2 < buf.length; i++) {
    if (buf[i] !== 0x4c) continue; // 'L'
    const n = buf[i + 1] ?? 0;
    const s = buf.subarray(i + 2, i + 2 + n).toString('latin1');
    if (n >= 3 && s.length === n && /^[\x21-\x7e]+$/.test(s) && /[@\\]/.test(s)) return s;
  }
  return undefined;
}
