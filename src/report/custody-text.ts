// The chain of custody in one sentence, the same words in the console, HTML and Markdown reports. The
// manifest's operator, host and names come from the evidence: each writer escapes the sentence its own way.

import type { ScanReport } from '../core/report.js';

export function custodyText(k: NonNullable<ScanReport['custody']>): string {
  const who = [
    k.operator && `by ${k.operator}`,
    k.host && `on ${k.host}`,
    k.collectedAt && `at ${k.collectedAt}`,
  ]
    .filter(Boolean)
    .join(' ');
  const tz = k.timeZone ? ` (time zone ${k.timeZone.id})` : '';
  const version = k.collector.version ? ` ${k.collector.version}` : '';
  const sizeOnly = k.sizeOnly ? ` (${k.sizeOnly} more by size only: the record holds no hash)` : '';
  const record = k.manifestSha256 ? `manifest SHA-256 ${k.manifestSha256}` : `record ${k.manifest}`;
  return `Collected with ${k.collector.name}${version}${who ? ` ${who}` : ''}${tz}: ${k.verified} of ${k.files} files verified${sizeOnly}, ${k.failed} failed, ${k.notCollected} not collected, ${k.unlisted} added after; ${record}`;
}
