// After the scan: every artifact's SHA-256 (computed by the engine while reading) looked up in the store.

import { createHash } from 'node:crypto';
import type { Artifact } from '../../core/artifact.js';
import type { Finding } from '../../core/finding.js';
import { indicatorHit } from './hits.js';
import type { IndicatorStore } from './store.js';

/** Where each source's files sit in the attack, for a hash match on one of them. */
const FILE_KIND: Record<string, 'web' | 'staged'> = { 'web-file': 'web', 'staged-file': 'staged' };

/**
 * A known-bad hash is decisive whatever the file is, so every artifact is checked, not only scripts and
 * staged files. Finding ids follow the engine's scheme (rule id, path, line 0), so rescans agree.
 */
export function matchArtifactHashes(artifacts: readonly Artifact[], store: IndicatorStore): Finding[] {
  if (!store.has('sha256')) return [];
  const out: Finding[] = [];
  for (const a of artifacts) {
    if (!a.sha256) continue;
    const all = store.matchHash('sha256', a.sha256);
    if (all.length === 0) continue;
    const kind = FILE_KIND[a.source];
    const hit = indicatorHit(all, {
      kind: 'hash',
      stage: kind === 'staged' ? 'collection' : kind === 'web' ? 'webshell-write' : 'context',
      ...(kind ? { file: kind } : {}),
      time: a.modified,
      field: 'SHA-256',
      matched: a.sha256,
    });
    const { excerpt: _excerpt, ...rest } = hit;
    const f: Finding = {
      ...rest,
      id: createHash('sha256').update([hit.rule.id, a.path, 0, ''].join('\0')).digest('hex').slice(0, 16),
      evidence: [{ path: a.path, excerpt: `SHA-256 ${a.sha256}` }],
      summary: `${a.path}: SHA-256 is on ${hit.indicator?.feed ?? 'a feed'}`,
      file: { path: a.path, sha256: a.sha256, size: a.size },
      details: { ...hit.details, path: a.path, size: String(a.size) },
    };
    if (f.time === undefined) delete f.time;
    if (f.userAgent === undefined) delete f.userAgent;
    out.push(f);
  }
  return out;
}
