// Where the agent starts following a log that was already there at its first start: after the file's
// last whole line (what was written before the agent came is the scan's to read).

import { closeSync, openSync, readSync } from 'node:fs';

const TAIL = 1 << 20;

export function startAt(file: string, size: number): number {
  const fd = openSync(file, 'r');
  try {
    const from = Math.max(0, size - TAIL);
    const buf = Buffer.allocUnsafe(size - from);
    const n = readSync(fd, buf, 0, buf.length, from);
    const nl = buf.subarray(0, n).lastIndexOf(10);
    // No line end in the last MiB: a line still being written, or not a text log; start at its size.
    return nl === -1 ? size : from + nl + 1;
  } finally {
    closeSync(fd);
  }
}
