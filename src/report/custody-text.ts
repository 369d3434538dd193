// The chain of custody in one sentence, the same words in the console, HTML and Markdown reports. The
// manifest's operator, host and names come from the evidence: each writer escapes the sentence its own way.

import type { LiveScanInfo, ScanReport } from '../core/report.js';

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

/** A live scan in one sentence: what was exported, what failed or does not exist, and that the copies are gone. */
export function liveText(l: LiveScanInfo): string {
  const of = (status: string) => l.exports.filter((e) => e.status === status);
  const failed = of('failed').map(
    (e) => `${e.channel} (${e.readLive ? 'the live file read instead' : 'not read'})`,
  );
  const absent = of('absent').map((e) => e.channel);
  return [
    `Scanned live: ${of('exported').length} of ${l.exports.length} event log channels exported with wevtutil epl and read in place of the live files`,
    failed.length ? `not exported: ${failed.join(', ')}` : '',
    absent.length ? `not on this server: ${absent.join(', ')}` : '',
    l.removed ? 'the exports were deleted' : `the exports were NOT deleted: ${l.tempFolder}`,
  ]
    .filter(Boolean)
    .join('; ');
}
