// The fleet client: `exhunt scan --upload URL --token T` sends its report to a fleet server when it ends.

import type { ScanReport } from '../core/report.js';

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * POSTs the report to `<url>/api/v1/reports` for `serverName`. `url` is the server's base address (a path
 * ending in /api/v1 is accepted too). Resolves once the server has stored it (or already had it); rejects
 * with the server's message otherwise. The token is sent only to the URL given, never to a redirect.
 */
export async function uploadReport(
  url: string,
  token: string,
  report: ScanReport,
  serverName: string,
): Promise<void> {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new UploadError(`not a URL: ${url}`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:')
    throw new UploadError(`not an http(s) URL: ${url}`);
  const root = base.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  const target = new URL(`${root}/api/v1/reports`, base);
  let res: Response;
  try {
    res = await fetch(target, {
      method: 'POST',
      redirect: 'error',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ server: serverName, report }),
    });
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    throw new UploadError(`could not reach ${target.origin}: ${cause ?? (e as Error).message}`);
  }
  if (res.ok) {
    await res.body?.cancel();
    return;
  }
  const text = await res.text();
  let message = text.slice(0, 500);
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? message;
  } catch {
    // Not JSON (a proxy's error page): the start of the text says enough.
  }
  throw new UploadError(`upload refused (${res.status}): ${message}`, res.status);
}
