// Opening one evidence file: read-only, never through a link, never blocking on a FIFO, access time kept.

import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import type { NoatimeMode } from './types.js';

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = constants;
/** Linux only; undefined elsewhere. */
const O_NOATIME: number | undefined = (constants as { O_NOATIME?: number }).O_NOATIME;

/**
 * Tracks whether the files opened so far kept their access time. Linux lets only the file's owner or a
 * process with CAP_FOWNER use `O_NOATIME`; for any other file `open` says EPERM, and that file is opened
 * again without it (per file: a folder may mix owners).
 */
export class AtimeGuard {
  private without = 0;

  mode(): NoatimeMode {
    if (O_NOATIME === undefined) return 'not-supported';
    return this.without > 0 ? 'not-permitted' : 'used';
  }

  /**
   * A file descriptor for reading the regular file at `file`, or an error. `O_NOFOLLOW`: a file replaced by
   * a link since it was listed is refused, not followed out of the evidence. `O_NONBLOCK`: a file replaced
   * by a FIFO would otherwise block the open forever; it is refused by the type check below.
   */
  openFile(file: string | Buffer): number {
    const base = O_RDONLY | O_NOFOLLOW | O_NONBLOCK;
    let fd: number;
    if (O_NOATIME === undefined) fd = openSync(file, base);
    else {
      try {
        fd = openSync(file, base | O_NOATIME);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
        fd = openSync(file, base);
        this.without++;
      }
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new Error('no longer a regular file (changed since it was listed)');
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    return fd;
  }
}
