// Findings: what a rule or detector concluded, with the evidence that proves it.

/** The severities, least first: the one list server, store, report and dashboard use. */
export const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Where in the attack a finding sits. Order matters: later stages mean the attacker got further. */
export const STAGES = [
  'recon',
  'exploit',
  'webshell-write',
  'webshell-use',
  'execution',
  'credential-access',
  'collection',
  'exfiltration',
  'persistence',
  'defense-evasion',
  'context',
] as const;
export type Stage = (typeof STAGES)[number];

/**
 * What the finding proves, which is what the verdict is built from:
 * - `probe`: scanning or fingerprinting, nothing sent that could exploit;
 * - `attempt`: an exploit step that failed or whose success the evidence cannot show;
 * - `success`: an exploit step that succeeded;
 * - `compromise`: a webshell written or used, or post-exploitation activity;
 * - `suspicious`: needs review, proves nothing by itself (an unknown script file, say);
 * - `context`: useful facts that only matter if something else shows exploitation.
 */
export const OUTCOMES = ['probe', 'attempt', 'success', 'compromise', 'suspicious', 'context'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface RuleRef {
  id: string;
  title: string;
  /** Kept on every finding: the rule licences of public sets require the author to travel with matches. */
  author: string;
  /** `exhunt` for our own rules and detectors, else the rule pack's name or folder. */
  source: string;
  level?: Severity;
  references?: string[];
  tags?: string[];
}

export interface Evidence {
  /** Path relative to the evidence root, forward slashes. */
  path: string;
  /** 1-based line in that file (text logs) or record number (EVTX). */
  line?: number;
  offset?: number;
  /** The raw text that matched, truncated to a bounded length; attacker-controlled, escape when shown. */
  excerpt: string;
}

export interface Finding {
  /** Stable id: the same rule on the same evidence gives the same id across scans. */
  id: string;
  rule: RuleRef;
  severity: Severity;
  cves: string[];
  stage: Stage;
  outcome: Outcome;
  /** UTC ISO-8601 time of the evidence, when known. */
  time?: string;
  sourceIps: string[];
  userAgent?: string;
  evidence: Evidence[];
  /** A short human-readable line about this finding (`POST /ecp/y.js from 1.2.3.4 -> 241`). */
  summary?: string;
  /** Extra facts the detector extracted (anchor mailbox, webshell path, cmdlet, ...). */
  details?: Record<string, string>;
  /** Set by analysis when a gate applies (staged files without exploitation are only context). */
  note?: string;
  /**
   * What the analysis passes changed on this finding after matching, in the order they changed it
   * (src/analysis/passes/): why a finding is `context`, or was raised to `compromise`.
   */
  adjustments?: FindingAdjustment[];
}

/** A field an analysis pass may change: outcome, severity, note, or one key of `details`. */
export type AdjustedField = 'outcome' | 'severity' | 'note' | `details.${string}`;

/** One change an analysis pass made to a finding, as the finding records it. */
export interface FindingAdjustment {
  /** The pass that made it (`staged-gate`, `internal-scanners`, ...). */
  pass: string;
  field: AdjustedField;
  /** The value before; absent when the field was not set. */
  from?: string;
  to: string;
  /** Why, in a few words. */
  reason: string;
}

export const SEVERITY_ORDER: Record<Severity, number> = {
  informational: 0,
  low: 1,
  medium: 2,
  high: 3,
  critical: 4,
};

/** Longest excerpt kept per evidence item; the full line stays in the evidence file. */
const MAX_EXCERPT = 2048;

export function excerpt(text: string): string {
  return text.length > MAX_EXCERPT ? text.slice(0, MAX_EXCERPT) + '…' : text;
}
