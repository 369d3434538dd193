// What a hostile case is: a reproducible piece of damaged or adversarial evidence and the outcome it must get.

/** Where a case writes its evidence: files (bytes or text, names as raw bytes when needed) and special nodes. */
export interface CaseFiles {
  /** Evidence-relative path (forward slashes) to content. */
  files: [path: string | Buffer, data: string | Buffer][];
  /** FIFOs to create (evidence-relative paths). */
  fifos?: string[];
  /** Write the files as one zip bundle of this name instead of a folder (then `files` are ignored). */
  zip?: Buffer;
}

/**
 * What the principle demands of the scan: never `clean` when something was lost, the attack found when it
 * survives the damage, a located problem for what was lost, and all of it within bounds.
 */
export interface Expectation {
  /** Verdicts that are acceptable; `clean` is never among them unless nothing was lost and no attack hidden. */
  verdicts: readonly string[];
  /** A rule that must find the hidden attack. */
  finding?: string;
  /** A problem whose code matches, with a location (path, and line or offset inside the file). */
  problem?: RegExp;
  /** Files the integrity section must count as skipped, by reason. */
  skipped?: { reason: string; files: number };
  /** Artifacts that must have been read (distinct paths). */
  artifacts?: number;
  /** Records the readers must count as unreadable (the sum of the artifacts' `badRecords`), at least. */
  badRecords?: number;
  /** A UTC day (`2021-03-04`) the integrity section must report missing, lowering the verdict. */
  gap?: string;
  /** Seconds the scan may take at most (a bound against hangs and blow-ups, not a speed target). */
  seconds?: number;
  /** An artifact read only in part: `unread: rest`, no `sha256`, the hash of the part read apart. */
  partial?: boolean;
}

/** Scan limits a case sets lower than the defaults, so that a bound is reached with small inputs. */
export interface CaseLimits {
  /** `--max-unended-line`, in bytes. */
  unendedLine?: number;
}

export interface HostileCase {
  id: string;
  /** The class of issue 13 it belongs to. */
  kind: 'evtx' | 'text' | 'folder' | 'zip' | 'web' | 'coverage';
  what: string;
  build(): CaseFiles;
  expect: Expectation;
  limits?: CaseLimits;
}

export const NOT_CLEAN = ['inconclusive', 'attempted', 'exploited', 'compromised'] as const;
export const FOUND = ['compromised'] as const;
