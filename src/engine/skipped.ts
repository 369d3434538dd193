// Files of the evidence that were not read, counted by reason with the first few paths of each.

import type { EvidenceFile } from '../evidence/index.js';
import type { SkipReason } from '../core/report.js';

interface SkippedGroup {
  reason: SkipReason;
  files: number;
  bytes: number;
  /** The first paths skipped for this reason, in evidence order. */
  examples: string[];
}

const EXAMPLES = 20;

export class Skipped {
  private readonly by = new Map<SkipReason, SkippedGroup>();

  add(f: EvidenceFile, reason: SkipReason): void {
    let g = this.by.get(reason);
    if (!g) {
      g = { reason, files: 0, bytes: 0, examples: [] };
      this.by.set(reason, g);
    }
    g.files++;
    g.bytes += f.size;
    if (g.examples.length < EXAMPLES) g.examples.push(f.path);
  }

  groups(): SkippedGroup[] {
    return [...this.by.values()].sort((a, b) => a.reason.localeCompare(b.reason));
  }
}
