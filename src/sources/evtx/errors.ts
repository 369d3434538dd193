// The located error every EVTX decoding failure throws: chunk-relative offset, expected and found values.

export class EvtxFormatError extends Error {
  constructor(
    message: string,
    /** Offset of the fault, relative to the start of the buffer being decoded (the chunk, or the file). */
    readonly offset: number,
    readonly expected?: string,
    readonly found?: string,
  ) {
    super(message);
    this.name = 'EvtxFormatError';
  }

  /** `message at offset N (expected X, found Y)` with the offset moved by `base` to a file offset. */
  describe(base: number): string {
    let s = `${this.message} at offset ${base + this.offset}`;
    if (this.expected !== undefined || this.found !== undefined) {
      s += ` (expected ${this.expected ?? '?'}, found ${this.found ?? '?'})`;
    }
    return s;
  }
}

/** Throws unless `n` bytes from `pos` lie inside `[0, end)`; the one bounds check every reader uses. */
export function need(pos: number, n: number, end: number, what: string): void {
  if (pos + n > end || pos < 0) {
    throw new EvtxFormatError(
      `${what} runs past the end of its data`,
      pos,
      `${n} bytes`,
      `${Math.max(end - pos, 0)} left`,
    );
  }
}

/** Turns anything thrown while decoding into one line for a problem report. */
export function describeError(e: unknown, base: number): string {
  if (e instanceof EvtxFormatError) return e.describe(base);
  if (e instanceof Error) return e.message;
  return String(e);
}
