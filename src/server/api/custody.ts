// The chain of custody's problems as `/scans/:id/details` returns them (`report.custodyIssues`), shared with
// the dashboard: counted by kind and listed, since the details list only a scan's first problems.

import type { Problem } from '../../core/problem.js';

export type CustodyKind =
  'missing' | 'hashMismatch' | 'sizeMismatch' | 'notCollected' | 'unlisted' | 'unreadable';

export interface CustodyIssues {
  counts: Record<CustodyKind, number>;
  /** The problems behind the counts, in report order, capped. */
  list: Pick<Problem, 'code' | 'path' | 'message'>[];
  /** How many there were in all. */
  total: number;
}
