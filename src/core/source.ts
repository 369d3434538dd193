// The contract every artifact format implements; the registry in src/sources maps ids to these.

import type { Parser, RecordSink } from './record.js';

export interface SourceContext {
  /** Evidence-relative path of the file being parsed. */
  path: string;
  /** Last-write time of the file, UTC ISO-8601, when the evidence keeps one. */
  modified?: string;
  /**
   * Case-insensitive global pattern: text lines it does not touch cannot be hit by any matcher of this
   * source, so a text parser may count and check them without making records. Undefined = every line.
   */
  gate?: RegExp;
}

export interface SourceDef {
  /** Stable id, also the `source` of its records and the key used by log-source mappings. */
  id: string;
  title: string;
  /** Does the evidence-relative path (lower-cased, forward slashes) name a file of this format? */
  matchPath(pathLower: string): boolean;
  /** Does the start of the file look like this format? Used for logs collected in any layout. */
  sniff?(head: Buffer): boolean;
  /** Log family for coverage (`HttpProxy/Ecp`, `IIS/W3SVC1`); derived from path and head. */
  family(pathLower: string, head: Buffer): string;
  /** Higher wins when several sources claim a file (a specific CSV log over a generic one). */
  priority: number;
  createParser(ctx: SourceContext, sink: RecordSink): Parser;
}
