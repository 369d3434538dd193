// Built-in detectors: small code for logic a single-event Sigma rule cannot express, same finding shape.

import type { Finding, RuleRef } from './finding.js';
import type { LogRecord } from './record.js';

export interface DetectorContext {
  /** Evidence-relative path of the file the record came from. */
  path: string;
  /**
   * Evidence-relative, lower-cased Exchange install folder with a trailing slash
   * (`program files/microsoft/exchange server/v15/`), when the evidence shows one.
   */
  installPath?: string;
  /** The Windows install path the logs themselves mention (`c:\program files\...\v15\`), lower-cased. */
  installPathWindows?: string;
}

/** What a detector or rule returns for one record; the engine adds the id and the evidence location. */
export type Hit = Omit<Finding, 'id' | 'evidence' | 'rule'> & {
  rule: RuleRef;
  /** Defaults to the record's text. */
  excerpt?: string;
};

/** See `Detector.scriptPaths`. */
export interface ScriptPaths {
  exts: readonly string[];
  except?: { literal: string; names: readonly string[] };
}

export interface Detector {
  id: string;
  title: string;
  /** Source ids whose records this detector reads. */
  sources: readonly string[];
  /**
   * Lower-cased strings of which a record's text must contain at least one for `check` to be able to
   * hit; the engine skips the check otherwise. Omit when no such list exists.
   */
  literals?: readonly string[];
  /**
   * Like `literals`, as a case-insensitive pattern over the record text. With `literals` too, the literals
   * pick the lines (text parsers find them fast) and the pattern is tested on those.
   */
  prefilter?: RegExp;
  /**
   * More literals like `literals`, each counting only where it ends a path of one segment right after a
   * space or comma (`GET /name.aspx `): a script at a site's root. Needs `prefilter` for other records.
   */
  rootLiterals?: readonly string[];
  /**
   * `literals` that are folders: each counts only where the URL path going on after it (up to one of
   * ` ,?";\t`) ends in `.ext` for one of `exts`, and for the literal `except.literal`, only where that path
   * is not one of `except.names` (lower case). The line kernel checks this; `prefilter` must imply it.
   */
  scriptPaths?: ScriptPaths;
  /** Pure per-record check; most records return undefined. */
  check(r: LogRecord, ctx: DetectorContext): Hit[] | undefined;
}
