// What one finding says about the request or file behind it: ids shared across logs, URL, status, command.

import type { Finding } from '../core/finding.js';

export interface RequestFacts {
  /** Front-end request ids this finding names for sure (`request.requestId`: HttpProxy, IIS `cafeReqId=`). */
  requestIds: string[];
  /** Every GUID the record's fields hold: a row of another log may carry a known request id in any column. */
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

/**
 * The facts analysis joins on, from the finding's typed sections (filled from the parsed record when the
 * finding was made). The excerpt is never read: it is cut at 2,048 characters and its layout is the log's.
 */
export function requestFacts(f: Finding): RequestFacts {
  const q = f.request ?? {};
  const ev = f.evidence[0];
  const out: RequestFacts = { requestIds: [], guids: [], isFile: ev !== undefined && ev.line === undefined };
  if (q.requestId) out.requestIds.push(q.requestId.toLowerCase());
  out.guids = [...new Set([...out.requestIds, ...(q.guids ?? []).map((g) => g.toLowerCase())])];
  if (q.canary) out.canary = q.canary;
  if (q.method) out.method = q.method;
  if (q.path) out.url = q.path;
  if (q.query) out.query = q.query;
  if (q.status !== undefined) out.status = q.status;
  const anchor = q.anchorMailbox ?? '';
  const backend = backendPathOf(anchor) ?? proxyShellPath(`${out.url ?? ''}?${out.query ?? ''}`);
  if (backend) out.backendPath = backend;
  const mailbox = /^(?:Smtp|Sid|ExternalDirectoryObjectId|Puid|LiveIdMemberName)~(.+)$/i.exec(anchor)?.[1];
  if (mailbox) out.mailbox = mailbox;
  if (f.command?.text) out.command = f.command.text;
  return out;
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
