// Artifacts: the files of the evidence that exhunt recognised and read, with what reading them yielded.

export interface Artifact {
  /** Path relative to the evidence root, forward slashes. */
  path: string;
  /** Source id that read it (`iis-w3c`, `httpproxy`, `web-file`, ...). */
  source: string;
  /** Log family for coverage, e.g. `HttpProxy/Ecp`, `IIS/W3SVC1`, `ECP/Server`. */
  family: string;
  size: number;
  /** SHA-256 of every byte; empty when the file was not read to its end (see `unread`). */
  sha256: string;
  /**
   * Set when reading failed or stopped at a bound: `all` = not one byte was read, `rest` = reading stopped
   * after `size` bytes (a read error, or a line that never ends).
   * Either way `sha256` is empty: a hash of nothing, or of a prefix, would pass for the file's own.
   */
  unread?: 'all' | 'rest';
  /**
   * `unread: rest`: the SHA-256 of the `size` bytes that were read (a prefix of the file), so that the part
   * read can still be checked; never the file's own hash.
   */
  partialSha256?: string;
  /** `unread: rest`: the bytes after `size` that were not read, when the file's listed size is known. */
  unreadBytes?: number;
  records: number;
  /** Records or lines that could not be read (each also listed in problems, up to a cap). */
  badRecords: number;
  firstTime?: string;
  lastTime?: string;
  /** Last-write time of the file, when the evidence keeps one (zip entries and folders do). */
  modified?: string;
}

/** How far back and forward one log family's evidence goes (Test-ProxyLogon's log-age check). */
export interface Coverage {
  family: string;
  source: string;
  files: number;
  records: number;
  firstTime?: string;
  lastTime?: string;
  /** UTC days (`2021-03-04`) with logs in this family; only days the evidence covers. */
  days?: number;
  /** Missing days inside the family's span, as inclusive ranges. */
  gaps?: { from: string; to: string; days: number }[];
}
