// One plain GET request with a deadline, a capped body and failures sorted into kinds a user can act on.

import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Target } from './target.js';

export type FailureKind =
  | 'dns'
  | 'refused'
  | 'reset'
  | 'unreachable'
  | 'tls'
  | 'timeout'
  | 'bad-response'
  | 'network'
  | 'http'
  | 'not-exchange'
  | 'invalid-target';

export class ProbeError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** At most `maxBody` bytes, latin1-decoded (enough for the ASCII we look for). */
  body: string;
}

export interface GetOptions {
  timeoutMs: number;
  maxBody: number;
  agent?: http.Agent;
}

const USER_AGENT = 'exhunt-exposure (build check; plain GET requests only)';

/** Node error codes to the kinds the output reports. */
export function classify(err: unknown): ProbeError {
  if (err instanceof ProbeError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const msg = e?.message ?? String(err);
  if (['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA'].includes(code))
    return new ProbeError('dns', `DNS: ${msg}`);
  if (code === 'ECONNREFUSED') return new ProbeError('refused', 'connection refused');
  if (code === 'ECONNRESET' || code === 'EPIPE') return new ProbeError('reset', 'connection reset by peer');
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return new ProbeError('unreachable', `unreachable: ${msg}`);
  if (code === 'ETIMEDOUT') return new ProbeError('timeout', 'connect timed out');
  if (code.startsWith('HPE_')) return new ProbeError('bad-response', `not a valid HTTP response (${code})`);
  if (
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    code === 'EPROTO' ||
    /SSL|TLS|certificate/i.test(msg)
  ) {
    return new ProbeError('tls', `TLS: ${msg}`);
  }
  return new ProbeError('network', msg || code || 'network error');
}

/** GET `path` on the target; self-signed and expired certificates are accepted (we only read a version). */
export function httpGet(target: Target, path: string, opts: GetOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const lib = target.protocol === 'https:' ? https : http;
    let settled = false;
    const done = (err: unknown, res?: HttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(classify(err));
      else resolve(res as HttpResponse);
    };
    const req = lib.request({
      method: 'GET',
      host: target.host,
      port: target.port,
      path,
      agent: opts.agent,
      headers: { 'User-Agent': USER_AGENT, Accept: '*/*' },
      rejectUnauthorized: false,
      servername: isIP(target.host) ? undefined : target.host,
    } as https.RequestOptions);
    const timer = setTimeout(() => {
      const e = new ProbeError('timeout', `no answer within ${opts.timeoutMs} ms`);
      req.destroy(e);
      done(e);
    }, opts.timeoutMs);
    req.on('error', (e) => done(e));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size >= opts.maxBody) return;
        chunks.push(c);
        size += c.length;
        // Enough read: stop the transfer rather than download a large page.
        if (size >= opts.maxBody) res.destroy();
      });
      const finish = () =>
        done(undefined, {
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).subarray(0, opts.maxBody).toString('latin1'),
        });
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', (e) => (size > 0 ? finish() : done(e)));
    });
    req.end();
  });
}
