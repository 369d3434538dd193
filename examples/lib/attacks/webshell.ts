// Requests to planted webshells, and the files the attacker's commands leave behind.

import type { Env } from '../env.js';
import type { Timeline } from './timeline.js';

export interface ShellHit {
  t: number;
  ip: string;
  ua: string;
  method: 'GET' | 'POST';
  stem: string;
  query?: string;
  status?: number;
  taken?: number;
  /** Why the request was made (for the timeline), e.g. `command:whoami`. */
  note: string;
}

/** Shells under `/owa/auth` pass through the Exchange proxy module (cafeReqId, HttpProxy Owa row); aspnet_client does not. */
export function shellRequest(env: Env, tl: Timeline, h: ShellHit): void {
  const viaProxy = h.stem.toLowerCase().startsWith('/owa/');
  env.book.add({
    t: h.t,
    taken: h.taken ?? env.rng.int(30, 160),
    rid: env.rng.guid(),
    method: h.method,
    host: env.site.extHost,
    port: 443,
    stem: h.stem,
    query: h.query ?? '',
    status: h.status ?? 200,
    cip: h.ip,
    ua: h.ua,
    ...(viaProxy ? { proto: 'Owa' as const, owaEncoding: h.method === 'GET' } : {}),
  });
  tl.add(h.t, h.ip, `webshell:${h.method.toLowerCase()}:${h.note}`, h.stem + (h.query ? '?' + h.query : ''));
}

/** A JScript one-liner for the China Chopper shell, URL-encoded as a client sends it in the query. */
export function chopperCommand(key: string, command: string): string {
  const js = `Response.Write(new ActiveXObject("WScript.Shell").Exec("cmd.exe /c ${command}").StdOut.ReadAll());`;
  return `${key}=` + js.replace(/ /g, '%20').replace(/"/g, '%22');
}
