// Webshell list: files found on disk with their hashes and reasons, linked to the requests that reached them.

import type { Artifact } from '../core/artifact.js';
import type { Finding } from '../core/finding.js';
import type { Webshell } from '../core/report.js';
import { WEBSHELL_RULE_IDS } from '../core/rule-ids.js';

/** The URL path a web-served file answers on (`.../FrontEnd/HttpProxy/owa/auth/x.aspx` → `/owa/auth/x.aspx`). */
function urlOf(path: string): string | undefined {
  const lower = path.toLowerCase();
  for (const marker of ['frontend/httpproxy/', 'clientaccess/', 'inetpub/wwwroot/']) {
    const i = lower.indexOf(marker);
    if (i >= 0) return '/' + lower.slice(i + marker.length);
  }
  const i = lower.indexOf('aspnet_client/');
  return i >= 0 ? '/' + lower.slice(i) : undefined;
}

/** Requests that used a webshell by its URL (stage `webshell-use`, with the path of their request section). */
export function requestsOf(findings: readonly Readonly<Finding>[]): Readonly<Finding>[] {
  return findings.filter((f) => f.stage === 'webshell-use' && f.request?.path);
}

/** A webshell finding's file path, and the requests among `requests` that reached its URL. */
export function webshellPath<F extends Readonly<Finding>>(
  f: Readonly<Finding>,
  requests: readonly F[],
): { path: string; hits: F[] } {
  const path = f.file?.path ?? f.evidence[0]?.path ?? '';
  const url = urlOf(path);
  return { path, hits: url ? requests.filter((r) => r.request?.path?.toLowerCase() === url) : [] };
}

/**
 * The webshell list: the findings of the file detector's rules (shell code found, a script Exchange does
 * not ship, webshell-like code) with each file's hash and the requests that reached it. Changes nothing:
 * what a webshell on disk makes of its requests is the `webshells` pass (passes/webshells.ts).
 */
export function collectWebshells(findings: readonly Finding[], artifacts: readonly Artifact[]): Webshell[] {
  const byPath = new Map(artifacts.map((a) => [a.path, a]));
  const requests = requestsOf(findings);
  const shells: Webshell[] = [];
  for (const f of findings) {
    if (!WEBSHELL_RULE_IDS.has(f.rule.id)) continue;
    const { path, hits } = webshellPath(f, requests);
    const art = byPath.get(path);
    shells.push({
      path,
      sha256: art?.sha256 ?? '',
      size: art?.size ?? 0,
      reasons: [...(f.file?.reasons ?? [])],
      ...(art?.modified ? { modified: art.modified } : {}),
      ...(hits.length > 0 ? { accessedBy: hits.map((h) => h.id) } : {}),
    });
  }
  return shells;
}
