// The chain of custody as the dashboard shows it: the report's `custody` section counts, and the custody
// problems behind them (which file was missing, had another hash, was not collected) counted by kind and
// listed. The details route sends only the first problems of a scan, so the list is made here, in full up to
// a cap, from the stored report.

import type { Problem } from '../../core/problem.js';
import type { CustodyIssues, CustodyKind } from '../api/custody.js';

/** The kinds of disagreement, by problem code. */
const KINDS: Record<string, CustodyKind> = {
  'custody.missing': 'missing',
  'custody.hash-mismatch': 'hashMismatch',
  'custody.size-mismatch': 'sizeMismatch',
  'custody.not-collected': 'notCollected',
  'custody.unlisted': 'unlisted',
  'custody.bad-manifest': 'unreadable',
  'custody.unreadable': 'unreadable',
  'custody.bad-entry': 'unreadable',
};

export const LIST_MAX = 1000;

export function custodyIssues(problems: readonly unknown[]): CustodyIssues {
  const counts: Record<CustodyKind, number> = {
    missing: 0,
    hashMismatch: 0,
    sizeMismatch: 0,
    notCollected: 0,
    unlisted: 0,
    unreadable: 0,
  };
  const list: CustodyIssues['list'] = [];
  let total = 0;
  for (const p of problems as Partial<Problem>[]) {
    const kind = typeof p?.code === 'string' && Object.hasOwn(KINDS, p.code) ? KINDS[p.code] : undefined;
    if (!kind) continue;
    counts[kind]++;
    total++;
    if (list.length < LIST_MAX)
      list.push({
        code: p.code as string,
        ...(typeof p.path === 'string' ? { path: p.path } : {}),
        message: typeof p.message === 'string' ? p.message : '',
      });
  }
  return { counts, list, total };
}
