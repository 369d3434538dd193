// The scan report: the versioned public contract written by `exhunt scan --json` (schema/report.schema.json).

import type { Artifact, Coverage } from './artifact.js';
import type { Finding } from './finding.js';
import type { Problem } from './problem.js';

export const REPORT_SCHEMA_VERSION = '1.0.0';

export type Verdict = 'clean' | 'attempted' | 'exploited' | 'compromised' | 'inconclusive';

export interface VerdictResult {
  verdict: Verdict;
  /** A short paragraph naming the decisive evidence. */
  explanation: string;
  /** Ids of the findings that decided the verdict. */
  decisive: string[];
}

export interface Webshell {
  path: string;
  sha256: string;
  size: number;
  reasons: string[];
  modified?: string;
  /** Ids of findings that show this file being requested. */
  accessedBy?: string[];
}

export interface RuleStats {
  loaded: number;
  skipped: { id?: string; path: string; reason: string }[];
  notApplicable: number;
  detectors: number;
}

export interface ScanReport {
  schemaVersion: string;
  tool: { name: 'exhunt'; version: string };
  scan: {
    startedAt: string;
    finishedAt: string;
    evidence: { root: string; kind: 'folder' | 'zip'; sha256?: string };
    /** Directory layout the evidence was recognised as: a system drive, or logs in any layout. */
    layout: 'system-drive' | 'collected';
    installPath?: string;
  };
  verdict: Verdict;
  explanation: string;
  decisive: string[];
  findings: Finding[];
  webshells: Webshell[];
  artifacts: Artifact[];
  coverage: Coverage[];
  problems: Problem[];
  rules: RuleStats;
  /** Build, CVE exposure and mitigations, when the evidence shows a build. */
  exposure?: ExposureReport;
  /** Counts of what was read, for the summary line. */
  stats: { artifacts: number; bytes: number; records: number; badRecords: number; problems: number };
}

/** One update that fixes CVEs for this server (security update or cumulative update). */
export interface ExposureFix {
  su: string;
  product: string;
  cu: string;
  build: string;
  kb?: string;
  released: string;
}

/**
 * Are we exposed: the server's build (ExSetup.exe's version, else the newest `#Version` in its logs),
 * per CVE whether that build is vulnerable, the builds over time and the windows of exposure they imply,
 * and the mitigations found in IIS configuration.
 */
export interface ExposureReport {
  build?: string;
  buildSource?: 'ExSetup.exe' | 'log-version';
  productName?: string;
  cu?: string;
  cves: { cve: string; campaign: string | null; state: string; reason: string; fix?: ExposureFix }[];
  missing: ExposureFix[];
  timeline: {
    builds: { build: string; first?: string; last?: string; files: number; name?: string }[];
    changes: { from: string; to: string; name?: string; after?: string; before?: string }[];
    windows: {
      cve: string;
      campaign: string | null;
      state: string;
      from?: string;
      to?: string;
      builds: string[];
    }[];
  };
  mitigations: { path: string; cve: string; tool: string; state: string; rules: string[] }[];
  notes: string[];
}
