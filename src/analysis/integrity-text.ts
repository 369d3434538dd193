// The verdict's words for what the evidence lost: unread or damaged files, and days with no logs.

import type { EvidenceLoss, IntegritySection } from '../core/report.js';

const NAMED = 3;

const WHAT: Record<EvidenceLoss['loss'], string> = {
  file: 'not read',
  part: 'read in part',
  records: 'records unreadable',
};

/** "3 files the verdict depends on were not read in full: a (not read: why), ..." or '' when none. */
export function lossesNote(integrity: IntegritySection): string {
  const lost = integrity.losses.filter((e) => e.lowers);
  if (lost.length === 0) return '';
  const named = lost.slice(0, NAMED).map((e) => `${e.first} (${WHAT[e.loss]}${count(e)}: ${e.message})`);
  const more = lost.length > NAMED ? `, and ${lost.length - NAMED} more (see problems)` : '';
  const n = lost.length === 1 ? '1 part of the evidence' : `${lost.length} parts of the evidence`;
  return `${n} the verdict depends on could not be read in full: ${named.join('; ')}${more}.`;
}

/** Gaps in the web-facing logs while the server was exposed, in words; '' when none. */
export function gapsNote(integrity: IntegritySection): string {
  const gaps = integrity.gaps.filter((g) => g.lowers);
  if (gaps.length === 0) return '';
  const named = gaps
    .slice(0, NAMED)
    .map(
      (g) =>
        `${g.from === g.to ? g.from : `${g.from} to ${g.to}`} (${g.family}, ${g.days} day${g.days > 1 ? 's' : ''})`,
    );
  const more = gaps.length > NAMED ? `, and ${gaps.length - NAMED} more` : '';
  return `Logs are missing for ${named.join('; ')}${more} inside the period they cover, while the server was (or may have been) exposed: deleting logs is an attacker's habit.`;
}

function count(e: EvidenceLoss): string {
  if (e.records) return `, ${e.records} record${e.records > 1 ? 's' : ''}`;
  return '';
}
