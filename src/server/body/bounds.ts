// Bounds on a report's strings and arrays, applied at ingest whatever sent it. Decided per kind of field:
//
// - a string longer than MAX_STRING_CHARS (an explanation, an excerpt of a minified line) is cut, with a
//   visible marker saying how much was cut: the rest of the report is still worth having;
// - an array (or object) with more than MAX_ITEMS members is refused with 413 and its location: dropping
//   findings silently would make a verdict look better than its evidence.
//
// NUL bytes are counted here and escaped by the store (store/nul.ts), after the report is checked against
// its schema: `\x00` in a path would break the schema's rule that paths hold no backslash.

import { HttpError } from '../http-error.js';

export const MAX_STRING_CHARS = 64 * 1024;
export const MAX_ITEMS = 500_000;

export interface Bounded {
  value: unknown;
  /** Strings cut, and strings holding NUL (which the store escapes). */
  truncated: number;
  escaped: number;
}

export function truncationMarker(cut: number): string {
  return ` … [cut by exhunt at ingest: ${cut} more characters]`;
}

function cutString(s: string, counts: { truncated: number; escaped: number }): string {
  let out = s;
  if (out.includes('\0')) counts.escaped++;
  if (out.length > MAX_STRING_CHARS) {
    counts.truncated++;
    out = out.slice(0, MAX_STRING_CHARS) + truncationMarker(out.length - MAX_STRING_CHARS);
  }
  return out;
}

/** A bounded copy of a parsed JSON value (only what changes is copied); throws HttpError 413 on a huge array. */
export function boundReport(value: unknown, where = ''): Bounded {
  const counts = { truncated: 0, escaped: 0 };
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') return cutString(v, counts);
    if (!v || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      if (v.length > MAX_ITEMS)
        throw new HttpError(
          413,
          `${path || '/'} holds ${v.length} items, more than the limit of ${MAX_ITEMS}`,
        );
      let copy: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const w = walk(v[i], `${path}/${i}`);
        if (w !== v[i]) (copy ??= v.slice())[i] = w;
      }
      return copy ?? v;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length > MAX_ITEMS)
      throw new HttpError(
        413,
        `${path || '/'} has ${entries.length} members, more than the limit of ${MAX_ITEMS}`,
      );
    let changed = false;
    const next = entries.map(([k, x]) => {
      const k2 = typeof k === 'string' ? cutString(k, counts) : k;
      const x2 = walk(x, `${path}/${k}`);
      if (k2 !== k || x2 !== x) changed = true;
      return [k2, x2] as const;
    });
    return changed ? Object.fromEntries(next) : v;
  };
  // Depth was bounded when the text was parsed, so the recursion is too.
  return { value: walk(value, where), ...counts };
}
