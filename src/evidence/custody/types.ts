// Chain of custody that another tool wrote next to what it collected: what it says each file was.

import type { Problem } from '../../core/problem.js';

export interface CustodyEntry {
  /** The file's path on the server, as the tool recorded it. */
  source: string;
  /** Where the file should be in the evidence (evidence-relative), when the entry says. */
  path?: string;
  /** The bytes the tool stored. */
  size?: number;
  sha256?: string;
  sha1?: string;
  md5?: string;
  /** 1-based line of the manifest the entry comes from. */
  line: number;
}

export interface CustodyManifest {
  tool: 'velociraptor' | 'kape';
  /** Evidence-relative paths of the files the chain of custody was read from (the listing first). */
  manifests: string[];
  entries: CustodyEntry[];
  host?: string;
  /** When the tool collected, UTC ISO-8601. */
  collectedAt?: string;
  /** Lines of the manifest that could not be read. */
  problems: Problem[];
}

/** A small evidence file read whole, by path, for the manifest readers. */
export type ReadText = (path: string) => Promise<string | undefined>;
