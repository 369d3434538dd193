// The contract every artifact format implements; the registry in src/sources maps ids to these.

import type { FieldRoles } from './fields.js';
import type { Parser, RecordSink } from './record.js';

export interface SourceContext {
  /** Evidence-relative path of the file being parsed. */
  path: string;
  /** Last-write time of the file, UTC ISO-8601, when the evidence keeps one. */
  modified?: string;
  /**
   * What a text line must contain for a matcher of this source to hit it: lines with none of the literals
   * may be counted and checked without making records. Undefined = every line is needed.
   */
  gate?: LineGate;
  /** The file's size in bytes, when known. */
  size?: number;
  /** Text logs: a line with no end within this many bytes stops the reading of the file (default 64 MiB). */
  maxUnendedLine?: number;
}

/** The literals (lower-case, matched case-insensitively) some matcher of a source needs in a line. */
export interface LineGate {
  /** Each with the bits of the matchers that need it (see `LogRecord.gate`). */
  literals: readonly {
    text: string;
    mask: number;
    root?: boolean;
    /** Counts only where the URL path after it names a script (`scriptPath.exts`) ... */
    script?: boolean;
    /** ... that is not one of `scriptPath.except`. */
    except?: boolean;
  }[];
  /** For `script` literals: the extensions of a script's name, and the names that do not count (lower case). */
  scriptPath?: { exts: readonly string[]; except: readonly string[] };
  /** Some matcher needs every line: none is counted in place, but the literals still say who may hit. */
  all: boolean;
  /**
   * Further needs of a bit: a line keeps bit `mask` only when it also holds one of `any` (for each entry
   * with that bit). The line kernel checks them on the lines that hold one of the bit's literals; a reader
   * that cannot may ignore them (a bit set too often costs time, never a finding).
   */
  clauses?: readonly { mask: number; any: readonly string[] }[];
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
  /**
   * When this format holds another source's records in another shape (HttpProxy rows exported with
   * Export-Csv, Test-ProxyLogon's copy of them), that source's id: its artifacts count as that source's,
   * and its detectors, Sigma rules and indicators run on these records. This source only parses.
   */
  dataOf?: string;
  /**
   * What its records' fields mean: `FIELD_ROLES` of the source whose records it yields (core/fields.ts,
   * where the detectors, indicator matchers and finding sections, which may import only core, read it).
   */
  roles: FieldRoles;
  createParser(ctx: SourceContext, sink: RecordSink): Parser;
  /** The parser copies what it keeps of a chunk before `push` returns, so chunks may reuse one buffer. */
  copiesChunks?: boolean;
}
