// The fleet client: `exhunt scan --upload` sends its report to a fleet server when it ends; `exhunt intel`
// pushes indicator feeds and exports what the fleet saw.

import type { Problem } from '../core/problem.js';
import type { ScanReport } from '../core/report.js';
import type { RetrohuntDetail, RetrohuntView } from './api/types.js';

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** A refused feed's problems, with their lines. */
    readonly problems?: Problem[],
  ) {
    super(message);
  }
}

/** `<url>/api/v1/<path>`; `url` is the server's base address (a path ending in /api/v1 is accepted too). */
function apiUrl(url: string, path: string): URL {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new UploadError(`not a URL: ${url}`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:')
    throw new UploadError(`not an http(s) URL: ${url}`);
  const root = base.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return new URL(`${root}/api/v1/${path}`, base);
}

/** The token is sent only to the URL given, never to a redirect. Rejects with the server's message. */
async function call(
  target: URL,
  token: string,
  init: { method: 'GET' | 'POST'; contentType?: string; body?: string | Uint8Array; timeoutMs?: number },
  what: string,
): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(target, {
      method: init.method,
      redirect: 'error',
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.contentType ? { 'content-type': init.contentType } : {}),
      },
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(init.timeoutMs !== undefined ? { signal: AbortSignal.timeout(init.timeoutMs) } : {}),
    });
  } catch (e) {
    if ((e as Error).name === 'TimeoutError')
      throw new UploadError(`${target.origin} did not answer within ${init.timeoutMs! / 1000} s`);
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    throw new UploadError(`could not reach ${target.origin}: ${cause ?? (e as Error).message}`);
  }
  if (res.ok) return res;
  const text = await res.text();
  let message = text.slice(0, 500);
  let problems: Problem[] | undefined;
  try {
    const body = JSON.parse(text) as { message?: string; problems?: Problem[] };
    message = body.message ?? message;
    if (Array.isArray(body.problems)) problems = body.problems;
  } catch {
    // Not JSON (a proxy's error page): the start of the text says enough.
  }
  throw new UploadError(`${what} refused (${res.status}): ${message}`, res.status, problems);
}

/**
 * Checks the server answers and takes the token, before a scan that may run for an hour: a wrong URL or a
 * revoked token is told in seconds, not after the scan. Resolves with who the token is.
 */
export async function checkUpload(
  url: string,
  token: string,
  timeoutMs = 10_000,
): Promise<{ name: string; role: string; organisation?: string }> {
  const res = await call(apiUrl(url, 'session'), token, { method: 'GET', timeoutMs }, 'the token');
  const me = (await res.json()) as { name?: string; role?: string; organisation?: string };
  if (me.role === 'viewer') throw new UploadError('the token is a viewer token and may not upload reports');
  return {
    name: String(me.name ?? ''),
    role: String(me.role ?? ''),
    ...(me.organisation ? { organisation: me.organisation } : {}),
  };
}

/** POSTs the report for `serverName`; resolves once the server has stored it (or already had it). */
export async function uploadReport(
  url: string,
  token: string,
  report: ScanReport,
  serverName: string,
): Promise<void> {
  const res = await call(
    apiUrl(url, 'reports'),
    token,
    {
      method: 'POST',
      contentType: 'application/json',
      body: JSON.stringify({ server: serverName, report }),
    },
    'upload',
  );
  await res.body?.cancel();
}

interface PushedFeed {
  id: number;
  name: string;
  format: string;
  shared: boolean;
  indicators: number;
  problemCount: number;
  problems: Problem[];
  duplicate: boolean;
  /** The retro-hunt started with the feed, when asked. */
  retrohunt?: number;
}

/** Uploads a feed file's bytes as they are; the server parses it and says what loaded. */
export async function pushFeed(
  url: string,
  token: string,
  content: Uint8Array,
  opts: { name: string; shared?: boolean; org?: string; retrohunt?: { since?: string; until?: string } },
): Promise<PushedFeed> {
  const target = apiUrl(url, 'feeds');
  if (opts.retrohunt) {
    target.searchParams.set('retrohunt', 'true');
    if (opts.retrohunt.since !== undefined) target.searchParams.set('since', opts.retrohunt.since);
    if (opts.retrohunt.until !== undefined) target.searchParams.set('until', opts.retrohunt.until);
  }
  target.searchParams.set('name', opts.name);
  if (opts.shared) target.searchParams.set('shared', 'true');
  if (opts.org !== undefined) target.searchParams.set('org', opts.org);
  const res = await call(
    target,
    token,
    { method: 'POST', contentType: 'application/octet-stream', body: content },
    'feed',
  );
  return (await res.json()) as PushedFeed;
}

/** What the fleet saw, in the caller's scope, as the server wrote it (a STIX bundle or CSV). */
export async function exportIntel(
  url: string,
  token: string,
  format: 'stix' | 'csv',
  opts: { org?: string; since?: string } = {},
): Promise<{ body: string; truncated: boolean }> {
  const target = apiUrl(url, `intel/${format}`);
  if (opts.org !== undefined) target.searchParams.set('org', opts.org);
  if (opts.since !== undefined) target.searchParams.set('since', opts.since);
  const res = await call(target, token, { method: 'GET' }, 'export');
  return { body: await res.text(), truncated: res.headers.get('x-exhunt-truncated') === 'true' };
}

/** A retro-hunt as the server reports it (GET /retrohunts/:id). */
export type RemoteRetrohunt = Pick<
  RetrohuntView,
  | 'id'
  | 'trigger'
  | 'since'
  | 'until'
  | 'mode'
  | 'status'
  | 'progress'
  | 'hitCount'
  | 'newFindings'
  | 'servers'
  | 'error'
> &
  Partial<Pick<RetrohuntDetail, 'hits' | 'incompleteBundles'>>;

export interface RetrohuntRequest {
  feed?: number;
  rules?: number;
  orgs?: string[];
  since?: string;
  until?: string;
  mode?: 'index' | 'full';
}

export async function startRetrohunt(
  url: string,
  token: string,
  r: RetrohuntRequest,
): Promise<RemoteRetrohunt> {
  const res = await call(
    apiUrl(url, 'retrohunts'),
    token,
    { method: 'POST', contentType: 'application/json', body: JSON.stringify(r) },
    'retro-hunt',
  );
  return (await res.json()) as RemoteRetrohunt;
}

export async function getRetrohunt(url: string, token: string, id: number): Promise<RemoteRetrohunt> {
  const res = await call(apiUrl(url, `retrohunts/${id}`), token, { method: 'GET' }, 'retro-hunt');
  return (await res.json()) as RemoteRetrohunt;
}
