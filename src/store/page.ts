// Keyset paging: an opaque cursor holds the sort key of the last row, so deep pages cost what the first does.

import type { Page } from '../core/views.js';
export type { Page } from '../core/views.js';

export interface PageArgs {
  limit?: number;
  cursor?: string;
}

const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export function limitOf(args: PageArgs): number {
  const n = args.limit ?? DEFAULT_LIMIT;
  return Math.min(Math.max(1, Math.trunc(n)), MAX_LIMIT);
}

export class BadCursorError extends Error {
  readonly statusCode = 400;
}

/**
 * A cursor's numbers are whole and safe (ids, counts, scores: PostgreSQL refuses `1.5` for a bigint with an
 * error, not an empty page), its strings hold no NUL (which PostgreSQL's text refuses).
 */
export function cursorPart(v: unknown, kind: 's' | 'n'): boolean {
  return kind === 's' ? typeof v === 'string' && !v.includes('\0') : Number.isSafeInteger(v);
}

/** The sort key in a cursor, checked against the shape the query expects (string or number per column). */
export function decodeCursor(
  cursor: string | undefined,
  shape: ('s' | 'n')[],
): (string | number)[] | undefined {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursorError('bad cursor');
  }
  if (!Array.isArray(key) || key.length !== shape.length || !key.every((v, i) => cursorPart(v, shape[i]!)))
    throw new BadCursorError('bad cursor');
  return key as (string | number)[];
}

/** Cuts one extra row fetched to tell whether another page exists, and encodes the last row's key. */
export function pageOf<R, T>(
  rows: R[],
  limit: number,
  key: (r: R) => (string | number)[],
  map: (r: R) => T,
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return {
    items: kept.map(map),
    next: more && last ? Buffer.from(JSON.stringify(key(last))).toString('base64url') : null,
  };
}
