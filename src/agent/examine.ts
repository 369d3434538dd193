// Files the agent reads whole when they change: scripts in web folders, staged files and
// applicationHost.config (through the scan's own per-artifact reader), and event logs read by record id.

import { closeSync, openSync, readSync } from 'node:fs';
import type { DetectorContext, Hit } from '../core/detector.js';
import type { Task } from '../engine/discover.js';
import { readArtifact } from '../engine/read-artifact.js';
import type { Evidence } from '../evidence/index.js';
import { SOURCES } from '../sources/registry.js';
import type { FoundItem } from './follow-text.js';
import type { AgentRules } from './rules.js';
import { hitToFinding } from './rules.js';

/** Sources read as whole files whenever they change; every other non-EVTX source is followed line by line. */
export const WHOLE_FILE_SOURCES = new Set(['web-file', 'staged-file', 'iis-config']);

export async function examineWhole(
  ev: Evidence,
  task: Task,
  rules: AgentRules,
  ctx: Omit<DetectorContext, 'path'>,
): Promise<{ sha256: string; found: FoundItem[] }> {
  const r = await readArtifact(ev, task, rules.set.forSource(task.source), ctx);
  const sha256 = r.artifact.sha256 || r.artifact.partialSha256 || '';
  // The content's hash names the record: the same file seen again finds nothing new, a changed one does.
  const found = r.findings.map((finding) => ({
    record: sha256,
    fileKey: `file:${task.file.path}`,
    source: task.source,
    family: task.family,
    finding,
  }));
  return { sha256, found };
}

const CHUNK = 1 << 20;

/**
 * The records of an EVTX file after `after` (record ids only grow, also when Windows overwrites the oldest
 * chunks of a full log), through the scan's EVTX parser and matchers. Returns the highest id seen.
 */
export function readEvtxSince(
  abs: string,
  rel: string,
  channelKey: string,
  after: number,
  rules: AgentRules,
  ctx: Omit<DetectorContext, 'path'>,
  family: string,
): { found: FoundItem[]; last: number } {
  const def = SOURCES.get('evtx');
  if (!def) throw new Error('no EVTX source');
  const matchers = rules.set.forSource('evtx');
  const dctx: DetectorContext = { ...ctx, path: rel };
  const found: FoundItem[] = [];
  const hits: Hit[] = [];
  let last = Number.isFinite(after) ? after : 0;
  const parser = def.createParser(
    { path: rel },
    {
      record: (r) => {
        if (r.line > last) last = r.line;
        if (r.line <= after) return;
        matchers.run(r, dctx, hits);
        for (const h of hits) {
          const { finding, correlation } = hitToFinding(h, r, rel);
          found.push({
            record: r.line,
            fileKey: channelKey,
            source: 'evtx',
            family,
            finding,
            ...(correlation ? { correlation: { ...correlation, path: rel, source: 'evtx' } } : {}),
          });
        }
        hits.length = 0;
      },
      problem: () => undefined,
    },
  );
  const fd = openSync(abs, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (let at = 0; ;) {
      const n = readSync(fd, buf, 0, CHUNK, at);
      if (n === 0) break;
      parser.push(Buffer.from(buf.subarray(0, n)));
      at += n;
    }
    parser.end();
  } finally {
    closeSync(fd);
  }
  return { found, last };
}
