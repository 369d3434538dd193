// The integrity section as plain lines, for the console and Markdown: what was read, skipped and lost.

import type { IntegritySection, SkipReason } from '../core/report.js';

export const SKIP_REASON: Record<SkipReason, string> = {
  'no-reader': 'not a file exhunt reads',
  empty: 'empty (0 bytes)',
  special: 'not a regular file (FIFO, device, socket)',
};

/** Bytes in a short human form (`28.5 MB`). */
export function size(n: number): string {
  if (n < 1e3) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

/** One-line summaries of the accounting: files, bytes, access; attacker-controlled paths unescaped. */
export function accountingLines(i: IntegritySection): string[] {
  const f = i.files;
  const skipped = i.skipped.map((g) => `${g.files} ${SKIP_REASON[g.reason]}`).join(', ');
  return [
    `${f.listed} files listed: ${f.read} read${f.withLoss > 0 ? ` (${f.withLoss} with loss)` : ''}, ${f.skipped} skipped${skipped ? ` (${skipped})` : ''}, ${f.unread} not read`,
    `${size(i.bytes.listed)} listed: ${size(i.bytes.read)} read, ${size(i.bytes.skipped)} skipped${i.bytes.unread > 0 ? `, ${size(i.bytes.unread)} not read` : ''}`,
    `access times: ${i.access.note}`,
  ];
}
