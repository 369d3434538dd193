// Findings: what a rule or detector concluded, with the evidence that proves it.

import type { Gate } from './rule-ids.js';

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

/**
 * The HTTP request behind a finding, read from the parsed record's own fields (the parser knew the log's
 * real `#Fields`), never from the excerpt. Strings are bounded at 2,048 characters; numbers are whole.
 */
export interface RequestSection {
  method?: string;
  /** URL path as requested (`cs-uri-stem`, `UrlStem`). */
  path?: string;
  /** Query string without the `?`. */
  query?: string;
  status?: number;
  user?: string;
  userAgent?: string;
  /** The front end's request id (HttpProxy `RequestId`, IIS `cafeReqId=` in the query), lower-cased. */
  requestId?: string;
  /** Other GUIDs the record's fields hold: a row of another log may repeat a request id in any column. */
  guids?: string[];
  /** The ECP canary (`msExchEcpCanary=`), the same over one ECP session. */
  canary?: string;
  /** The client that connected (for a back-end site: the front end). */
  clientIp?: string;
  /** The server's own address that answered (IIS `s-ip`). */
  serverIp?: string;
  /** The server port (IIS `s-port`: 444 is Exchange's back end). */
  port?: number;
  /** HttpProxy's routing target: a mailbox, or `ServerInfo~host/path` in an SSRF. */
  anchorMailbox?: string;
  /** IIS `time-taken`, in milliseconds. */
  timeTaken?: number;
  /** UTC ISO-8601 time the request began, when the log says (HttpProxy `BeginRequest=`, Rps_Http `StartTime`). */
  begin?: string;
}

/** The file on disk a finding is about (a webshell, a staged archive, a file a feed names). */
export interface FileSection {
  /** Evidence-relative path, forward slashes. */
  path: string;
  sha256?: string;
  size?: number;
  /** Why the file detector holds it for a webshell or an odd script (its `details.reasons`, split). */
  reasons?: string[];
}

/**
 * A file on the server that the evidence names but does not hold: where the OAB generator wrote a download,
 * a file Test-ProxyLogon's list names. Its path is the server's (Windows), never an evidence path.
 */
export interface ServerFileSection {
  /** The path on the server, as the log or list wrote it. */
  path: string;
  /** What wrote it, when the evidence says: `oab-generator` for a download outside ClientAccess\\OAB. */
  writtenBy?: 'oab-generator';
  /** The computer the list's row names (Test-ProxyLogon's `ComputerName`). */
  host?: string;
  /** The security or backup product whose folder holds the file, when it is in one. */
  vendorProduct?: string;
}

/** The Windows event behind a finding (EVTX), its fields read through the field roles. */
export interface EventSection {
  /** The service an event installs or changes (`ServiceName`). */
  service?: string;
  /** The scheduled task an event creates (`TaskName`). */
  taskName?: string;
  /** The account an event acts on (`TargetUserName`). */
  targetUser?: string;
}

/** Set aside by an analysis pass as another party's traffic (an internal vulnerability scanner's). */
export interface SetAsideSection {
  /** The marker of what set it aside (`internal-scanner`). */
  by?: string;
  /** The request (event) it belongs to, so several findings of one request count once. */
  request?: string;
  /** The addresses it came from. */
  sources?: string[];
}

/** A command the evidence shows: a cmdlet and its parameters, or a shell command's text. */
export interface CommandSection {
  /** The whole command as logged (`Set-OabVirtualDirectory -ExternalUrl ...`, `whoami`). */
  text: string;
  cmdlet?: string;
  parameters?: string;
  /** What it acted on, when the log names it apart (a mailbox, a path). */
  target?: string;
}

/** The indicator of a feed a finding matched. */
export interface IndicatorSection {
  /** `ipv4-addr`, `domain-name`, `url`, `user-agent`, `file:hashes.'SHA-256'`, ... */
  type: string;
  value: string;
  /** The feed's name, as findings name it in `rule.source`. */
  feed?: string;
  /** The record's field that matched, and its text there (a URL holding a listed domain, say). */
  field?: string;
  matched?: string;
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
  /** The request behind the finding (web logs), filled once where the hit became a finding. */
  request?: RequestSection;
  /** The file behind the finding (scripts, staged files, files a feed or YARA rule names). */
  file?: FileSection;
  /** The command the evidence shows (ECP Server, Rps_Cmdlet, the MSExchange Management log, a webshell query). */
  command?: CommandSection;
  /** The feed indicator matched, for indicator findings. */
  indicator?: IndicatorSection;
  /** A file on the server the evidence names but does not hold (an OAB download path, a listed file). */
  serverFile?: ServerFileSection;
  /** The Windows event's own facts (service, scheduled task, account), for EVTX findings. */
  event?: EventSection;
  /** Set by the internal-scanners pass (with its `details` text copies) when it sets the finding aside. */
  setAside?: SetAsideSection;
  /**
   * `exploitation`: counts only where another finding shows exploitation (staged files, Sigma rules with
   * `gate: exploitation`); `vendor`: a staged file in a security or backup product's folder, context
   * either way. Read it with `gateOf`.
   */
  gate?: Gate;
  /**
   * Free-form extras for the reader of a report (vendor match, YARA strings, feed notes, ...). Analysis does
   * not read facts from here by name: it reads the typed sections above.
   */
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
export type AdjustedField = 'outcome' | 'severity' | 'note' | 'gate' | `details.${string}`;

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

/**
 * The indicator a finding matched, also for reports written before 1.6, which kept it in
 * `details.indicatorType`, `details.indicator` and `details.feed`: the server reads reports of any 1.x.
 */
export function indicatorOf(f: Pick<Finding, 'indicator' | 'details'>): IndicatorSection | undefined {
  if (f.indicator) return f.indicator;
  const d = f.details;
  if (!d?.indicatorType || !d.indicator) return undefined;
  return {
    type: d.indicatorType,
    value: d.indicator,
    ...(d.feed ? { feed: d.feed } : {}),
    ...(d.matchedField ? { field: d.matchedField } : {}),
    ...(d.matchedValue ? { matched: d.matchedValue } : {}),
  };
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
