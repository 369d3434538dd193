// Path helpers shared by sources: segment tests on lower-cased, forward-slash evidence paths; a file's head as text.

import { decodeHead } from './encoding.js';

export function baseName(pathLower: string): string {
  const i = pathLower.lastIndexOf('/');
  return i < 0 ? pathLower : pathLower.slice(i + 1);
}

/** Does `pathLower` contain `segments` (like `logging/httpproxy/`) starting at a folder boundary? */
export function hasSegment(pathLower: string, segments: string): boolean {
  const i = pathLower.indexOf(segments);
  if (i < 0) return false;
  return i === 0 || pathLower.charCodeAt(i - 1) === 47 || hasSegment(pathLower.slice(i + 1), segments);
}

/** The folder name right after `segments` (`logging/httpproxy/ecp/x.log` → `ecp`). */
export function segmentAfter(path: string, segments: string): string | undefined {
  const lower = path.toLowerCase();
  const i = lower.indexOf(segments);
  if (i < 0) return undefined;
  const rest = path.slice(i + segments.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? undefined : rest.slice(0, slash);
}

/** The start of a file as text for sniffing, in its encoding (UTF-8, or UTF-16 with or without a BOM). */
export function headText(head: Buffer): string {
  return decodeHead(head, 8192);
}
