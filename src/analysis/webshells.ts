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

/** Rules of the file detector: shell code found, a script Exchange does not ship, webshell-like code. */
export function collectWebshells(findings: Finding[], artifacts: readonly Artifact[]): Webshell[] {
  const byPath = new Map(artifacts.map((a) => [a.path, a]));
  const requests = findings.filter((f) => f.stage === 'webshell-use' && f.request?.path);
  const shells: Webshell[] = [];
  for (const f of findings) {
    if (!WEBSHELL_RULE_IDS.has(f.rule.id)) continue;
    const path = f.file?.path ?? f.evidence[0]?.path ?? '';
    const art = byPath.get(path);
    const url = urlOf(path);
    const hits = url ? requests.filter((r) => r.request?.path?.toLowerCase() === url) : [];
    for (const r of hits) {
      // A request to a file that is on disk and flagged is webshell use, whatever the name looked like.
      if (r.outcome === 'suspicious' && f.outcome === 'compromise') {
        r.outcome = 'compromise';
        r.note = `the requested file is a webshell on disk: ${path}`;
      }
    }
    if (f.outcome === 'suspicious' && hits.some((r) => r.outcome === 'compromise')) f.outcome = 'compromise';
    shells.push({
      path,
      sha256: art?.sha256 ?? '',
      size: art?.size ?? 0,
      reasons: (f.details?.reasons ?? '').split('; ').filter(Boolean),
      ...(art?.modified ? { modified: art.modified } : {}),
      ...(hits.length > 0 ? { accessedBy: hits.map((h) => h.id) } : {}),
    });
  }
  return shells;
}
