// The scan report: the versioned public contract written by `exhunt scan --json` (schema/report.schema.json).

import type { Artifact, Coverage } from './artifact.js';
import type { CustodySection } from './custody.js';
import type { Evidence, Finding, Outcome, Stage } from './finding.js';
import type { Problem } from './problem.js';

export const REPORT_SCHEMA_VERSION = '1.6.0';

export const VERDICTS = ['clean', 'attempted', 'exploited', 'compromised', 'inconclusive'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The order a responder works in: the worst verdict first (servers never scanned come after all of these). */
export const URGENCY: readonly Verdict[] = ['compromised', 'exploited', 'attempted', 'inconclusive', 'clean'];

/** How bad a verdict is, 0 for clean: `inconclusive` (the evidence could not be read) above clean only. */
export const VERDICT_RANK: Readonly<Record<Verdict, number>> = {
  clean: 0,
  inconclusive: 1,
  attempted: 2,
  exploited: 3,
  compromised: 4,
};

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
  /** The rules counted in `notApplicable`: their log source is nowhere in this evidence (or mapped to nothing). */
  notApplicableRules?: { id: string; title: string; path: string; logsource: string; reason: string }[];
  detectors: number;
}

export type { CustodySection };

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
    /** The Exchange server's host name as its logs or Test-ProxyLogon's outputs give it (schema 1.3). */
    host?: { name: string; from: string };
    /** A live scan of a running Windows server: the event logs exported and read in place of the live files. */
    live?: LiveScanInfo;
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
  /**
   * Chain of custody (schema 1.4): our collector's manifest.json, or the record of the tool that made the
   * collection (Velociraptor, KAPE; `collector.name` says which), checked file by file.
   */
  custody?: CustodySection;
  /** What became of every file and byte of the evidence, and what was lost (schema 1.2). */
  integrity?: IntegritySection;
  /** Counts of what was read, for the summary line. */
  stats: { artifacts: number; bytes: number; records: number; badRecords: number; problems: number };
  /** Attacker sessions and the server's timeline (schema 1.1; always written by the engine). */
  sessions?: SessionsSection;
  /** What the attacker reached or took (schema 1.1; always written by the engine). */
  dataExposure?: DataExposureSection;
  /** The ordered plan to get the attacker out (schema 1.1; always written by the engine). */
  remediation?: RemediationSection;
  /** One event per request with its lines from every log, probes grouped (schema 1.4; always written by the engine). */
  events?: EventsSection;
}

/** One line of evidence behind an event: which log saw the request, where, and what it logged. */
export interface EventLine {
  /** The finding this line is evidence of. */
  finding: string;
  /** The log in words: `front-end IIS`, `HttpProxy Ecp`, `back-end IIS`, `remote PowerShell (Rps_Http)`, `file`. */
  log: string;
  path: string;
  line?: number;
  time?: string;
  /** The rule that matched (its author travels with it when the rule is not ours). */
  rule: { id: string; title: string; author: string };
  /** The raw text, cut to `EVENT_EXCERPT` characters (the finding holds the rest); attacker-controlled. */
  excerpt: string;
}

/** One request (or file) and everything the logs say about it. */
export interface RequestEvent {
  /** `E1`, `E2`, ... in the section's order. */
  id: string;
  /** First and last time of its lines. */
  time?: string;
  last?: string;
  stage: Stage;
  outcome: Outcome;
  cves: string[];
  /** One line (`POST /ecp/y.js (241)`); attacker-controlled, escape when shown. */
  summary: string;
  /** Front-end request ids (IIS `cafeReqId` = HttpProxy `RequestId`) that joined its lines. */
  requestIds: string[];
  /** Client addresses, public ones first; the server's own and the front end as a back-end client are left out. */
  addresses: string[];
  userAgent?: string;
  session?: string;
  webshell?: string;
  findings: string[];
  lines: EventLine[];
  /** Lines beyond the per-event cap, left out (the findings hold them). */
  linesOmitted?: number;
}

/** Repeated requests of one kind (the same rule), collapsed. */
export interface EventGroup {
  /** `P1`, `P2`, ... for probes, `C1`, ... for context. */
  id: string;
  rule: { id: string; title: string; author: string };
  stage: Stage;
  outcome: Outcome;
  /** Requests (events) in the group, and the findings they hold. */
  count: number;
  findingCount: number;
  first?: string;
  last?: string;
  /** Client addresses, most frequent first, capped; `sourceCount` is the whole number. */
  sources: string[];
  sourceCount: number;
  /** The most frequent requests (method and path), with how many times each. */
  requests: { value: string; count: number }[];
  /** The first request's lines. */
  example: EventLine[];
  /** Ids of the first findings of the group (the findings array holds all of them). */
  findings: string[];
}

export interface EventsSection {
  /** How lines become one event and how the list is ordered, in words. */
  rule: string;
  /** Compromise and exploitation first, then attempts, then what needs review; time order within each. */
  list: RequestEvent[];
  /** Events beyond the cap, left out (the findings hold them). */
  omitted?: number;
  /** Probes grouped by rule, the largest first. */
  probes: EventGroup[];
  /** Context findings grouped by rule: facts that matter only with exploitation. */
  context: EventGroup[];
}

/** How an event was tied to its session, strongest first. */
export type JoinedBy = 'request-id' | 'ecp-canary' | 'address' | 'user-agent-time' | 'time';

/** One request or file as the timeline shows it: findings on the same request in several logs become one event. */
export interface TimelineEvent {
  time?: string;
  stage: Stage;
  outcome: Outcome;
  /** One line (`POST /ecp/y.js -> ...proxyLogon.ecp (241)`); attacker-controlled, escape when shown. */
  summary: string;
  findings: string[];
  session?: string;
  joinedBy?: JoinedBy;
}

export interface StageReached {
  stage: Stage;
  /** The strongest outcome seen at this stage (`attempt` means tried, not reached). */
  outcome: Outcome;
  firstSeen?: string;
  lastSeen?: string;
  findings: number;
  /** Server level only: the sessions that reached this stage. */
  sessions?: string[];
}

export interface AttackerSession {
  /** `S1`, `S2`, ... in order of first activity. */
  id: string;
  /** Where it came from; internal hops (see `SessionsSection.internalAddresses`) are left out. */
  addresses: string[];
  userAgents: string[];
  /** URLs of webshells requested and paths of webshells written in this session. */
  webshells: string[];
  firstSeen?: string;
  lastSeen?: string;
  /** The strongest outcome of the session. */
  outcome: Outcome;
  stages: StageReached[];
  findings: string[];
  /** Front-end request ids (IIS `cafeReqId` = HttpProxy `RequestId`) and ECP canaries that joined logs. */
  requestIds: string[];
  ecpCanaries: string[];
  timeline: TimelineEvent[];
  /** Events beyond the timeline's cap, left out. */
  timelineOmitted?: number;
}

/** An indicator seen in several sessions: the same attacker, most likely. */
export interface SessionLink {
  by: 'address' | 'user-agent' | 'webshell';
  value: string;
  sessions: string[];
}

export interface SessionsSection {
  /** The grouping rule in words, so a reader can check a session against it. */
  rule: string;
  /** Addresses never used to group requests: the server's own, the front end seen from the back end. */
  internalAddresses: { address: string; reason: string }[];
  server: {
    firstSeen?: string;
    lastSeen?: string;
    stages: StageReached[];
    /** Milestones: each session's first event and the first event of each stage it reached. */
    timeline: TimelineEvent[];
    timelineOmitted?: number;
  };
  list: AttackerSession[];
  links: SessionLink[];
  /** Ids of attacker findings no session could claim (no address, identifier or nearby session). */
  unattributed: string[];
}

/** `seen`: the evidence shows it; `likely`: follows from what was seen; `possible`: nothing rules it out. */
export type Confidence = 'seen' | 'likely' | 'possible';

export type ExposureKind =
  'mailbox' | 'mailbox-export' | 'address-book' | 'identity' | 'credentials' | 'archive' | 'command';

export interface ExposedItem {
  kind: ExposureKind;
  /** The mailbox, path, account or command; attacker-controlled, escape when shown. */
  target: string;
  /** What this means, in plain words. */
  description: string;
  confidence: Confidence;
  /** Why this confidence and not a stronger one. */
  basis: string;
  firstSeen?: string;
  lastSeen?: string;
  sessions: string[];
  findings: string[];
  /** The first few pieces of evidence (the findings hold the rest). */
  evidence: Evidence[];
}

export interface DataExposureSection {
  items: ExposedItem[];
  /** What the evidence read cannot show, in plain words (POST bodies are not logged, ...). */
  cannotShow: string[];
}

export type RemediationPhase = 'preserve' | 'contain' | 'eradicate' | 'recover' | 'patch' | 'verify';

export type RemediationTargetKind =
  | 'evidence'
  | 'address'
  | 'file'
  | 'virtual-directory'
  | 'export-request'
  | 'role-assignment'
  | 'permission'
  | 'service'
  | 'scheduled-task'
  | 'account'
  | 'credential'
  | 'update'
  | 'mitigation';

export interface RemediationTarget {
  kind: RemediationTargetKind;
  /** What to act on: a path, a name, an address, an update; attacker-controlled, escape when shown. */
  value: string;
  /** Files: the path on the server (`%SystemDrive%\...`, `C:\...` or UNC); absent when the layout does not tell. */
  serverPath?: string;
  /** Files: the path in the evidence. */
  evidencePath?: string;
  /** Files: the hash the file must still have before it is moved. */
  sha256?: string;
  detail?: string;
  findings?: string[];
}

export interface RemediationStep {
  order: number;
  /** Stable name of the step (`quarantine-files`), for scripts and diffs. */
  id: string;
  phase: RemediationPhase;
  title: string;
  why: string;
  /** What to do, one action a line. */
  actions: string[];
  targets: RemediationTarget[];
  /** True when the generated PowerShell script carries the step out (reversibly, dry run by default). */
  scripted: boolean;
}

/** An update to install, as `src/exposure` names it. */
export interface UpdateRef {
  su: string;
  product: string;
  cu: string;
  build: string;
  kb?: string;
  released: string;
}

export interface RemediationSection {
  steps: RemediationStep[];
  /** The server build the updates were chosen for, when the scan read one. */
  build?: string;
  updates: UpdateRef[];
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

/** Why a file of the evidence was not read: no reader claims it, it is empty, or it is not a regular file. */
export type SkipReason = 'no-reader' | 'empty' | 'special';

/**
 * Every file and byte of the evidence ends in exactly one of: read, skipped with a reason, or lost (not
 * read, or read with damage) with its location. A loss in something the verdict depends on lowers `clean`
 * to `inconclusive`.
 */
export interface IntegritySection {
  /** True when nothing the verdict depends on was lost and no log family has a gap that matters. */
  complete: boolean;
  files: { listed: number; read: number; withLoss: number; skipped: number; unread: number };
  bytes: { listed: number; read: number; skipped: number; unread: number };
  /** Files not read on purpose, by reason, with the first few paths of each. */
  skipped: { reason: SkipReason; files: number; bytes: number; examples: string[] }[];
  /** One entry per file (or folder, or bundle) with a loss, worst first. */
  losses: EvidenceLoss[];
  /** Days with no log inside a log family's span: deleted logs are an attacker's habit. */
  gaps: CoverageGap[];
  /** Whether reading left the evidence's access times alone. */
  access: { noatime: 'used' | 'not-permitted' | 'not-supported' | 'not-applicable'; note: string };
}

export interface EvidenceLoss {
  /** Evidence-relative path of the file or folder; `.` for the whole container. */
  path: string;
  /** The log family the file belongs to (or would, had it been read). */
  family?: string;
  /** The worst of its problems: some records, a part of the file, or all of it. */
  loss: 'records' | 'part' | 'file';
  /** The problem codes behind it, and how many problems. */
  codes: string[];
  problems: number;
  /** The first problem's location (`path:line` or `path@offset`) and message. */
  first: string;
  message: string;
  /** Records that could not be read, when counted. */
  records?: number;
  bytes?: number;
  /** The span of the file's readable records, when known. */
  from?: string;
  to?: string;
  /** Does it lower a clean verdict? When not, `why` says why. */
  lowers: boolean;
  why?: string;
}

export interface CoverageGap {
  family: string;
  /** First and last missing day (UTC dates, `2021-03-04`), inclusive. */
  from: string;
  to: string;
  days: number;
  /** Inside a window when the server was exposed to a campaign CVE (or exposure unknown). */
  inExposure: boolean;
  /** Does it lower a clean verdict (web-facing logs only)? */
  lowers: boolean;
}

/**
 * Chain of custody another tool wrote with the collection: Velociraptor's `uploads.json` (and the hashes its
 * result rows carry), KAPE's `*_CopyLog.csv` (SHA-1). Files missing, of another size or with another hash
 * are `custody.*` problems.
 */
export interface ToolCustody {
  tool: 'velociraptor' | 'kape';
  /** Evidence-relative paths of the record's files, the listing first. */
  manifests: string[];
  /** The host the tool says it collected from. */
  host?: string;
  collectedAt?: string;
  /** Files the record lists. */
  listed: number;
  /** Present with the recorded size and every recorded hash. */
  verified: number;
  /** Present with the recorded size; the record holds no hash for them. */
  sizeOnly: number;
  /** Missing, or with another size or hash. */
  failed: number;
  /** Files in the collected tree that the record does not list. */
  unlisted?: number;
}

/**
 * A live scan (`exhunt scan C:\` on the server, or `--live`): Windows' event log service holds the live
 * `.evtx` files, so each channel of data/collect.json was first exported with `wevtutil epl` into a private
 * temporary folder outside the evidence, and the export read under the live file's path.
 */
export interface LiveScanInfo {
  /** The temporary folder the exports went to, and whether it was removed after reading. */
  tempFolder: string;
  removed: boolean;
  exports: LiveExport[];
}

export interface LiveExport {
  channel: string;
  /** The live file the export stands for, as an evidence path. */
  path: string;
  /** `absent`: the server has no such channel (wevtutil: channel not found); `failed`: see `error`. */
  status: 'exported' | 'absent' | 'failed';
  /** When the export started and ended (UTC). */
  startedAt: string;
  finishedAt: string;
  bytes?: number;
  /** What wevtutil said (its exit code and first line). */
  error?: string;
  /** `failed` only: the live file was read as it is instead (the verdict then does not miss it). */
  readLive?: boolean;
}
