// Located problems: every bad input, refused entry or hit limit becomes one of these, never a crash.

export interface Problem {
  /** Stable machine code, dotted: `parse.bad-line`, `zip.unsafe-path`, `limit.findings`, ... */
  code: string;
  message: string;
  /** Evidence-relative path with forward slashes, when the problem belongs to a file. */
  path?: string;
  /** 1-based line number in `path`. */
  line?: number;
  /** Byte offset in `path`, for binary formats. */
  offset?: number;
  /** Bytes of the file the problem left unread or read with doubts, when the reader knows. */
  bytes?: number;
  /** `error` = input that could not be read; `warning` = read with loss; `limit` = a cap was hit. */
  severity: 'error' | 'warning' | 'limit';
}

/** `path:line` or `path@offset`, the way every problem is printed. */
export function formatLocation(p: Pick<Problem, 'path' | 'line' | 'offset'>): string {
  if (!p.path) return '';
  if (p.line !== undefined) return `${p.path}:${p.line}`;
  if (p.offset !== undefined) return `${p.path}@${p.offset}`;
  return p.path;
}
