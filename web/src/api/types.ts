// The shapes the fleet server's API returns, as the dashboard reads them (the report types are the public contract).

import type { Finding } from '../../../src/core/finding.js';
import type { Problem } from '../../../src/core/problem.js';
import type { CustodyIssues } from '../../../src/server/api/custody.js';
import type {
  DataExposureSection,
  EventGroup,
  RequestEvent,
  ExposureReport,
  RemediationStep,
  ScanReport,
  SessionsSection,
  Webshell,
} from '../../../src/core/report.js';

export type { Evidence, Finding, Outcome, Severity, Stage } from '../../../src/core/finding.js';
export type { Problem } from '../../../src/core/problem.js';
export type { CustodyIssues } from '../../../src/server/api/custody.js';
export type { CustodySection, LiveScanInfo } from '../../../src/core/report.js';
export type {
  AttackerSession,
  EventGroup,
  EventLine,
  EventsSection,
  RequestEvent,
  EvidenceLoss,
  ExposedItem,
  RemediationStep,
  TimelineEvent,
  Verdict,
  Webshell,
} from '../../../src/core/report.js';

export type Role = 'administrator' | 'analyst' | 'viewer';

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface Me {
  kind: 'user' | 'token';
  id: number;
  name: string;
  role: Role;
  organisation: string | null;
}

export interface Exposure {
  build: string | null;
  vulnerable: string[];
  unknown: string[];
}

export interface FleetServer {
  id: number;
  organisation: { id: number; name: string };
  name: string;
  verdict: string | null;
  lastScanAt: string | null;
  latestScanId: number | null;
  build: string | null;
  exposure: Exposure | null;
  openRemediation: number;
}

export type TriageCode =
  | 'webshell-on-disk'
  | 'credential-dump'
  | 'attacker-active'
  | 'verdict'
  | 'data-exposure'
  | 'exposure-open'
  | 'remediation-open'
  | 'scan-age';

/** One reason for a server's place in the triage order; `detail` may hold attacker text. */
export interface TriageReason {
  code: TriageCode;
  weight: number;
  text: string;
  detail: string;
}

export interface TriageView {
  score: number;
  /** Heaviest first. */
  reasons: TriageReason[];
  lastActivity: string | null;
}

export interface ServerView {
  id: number;
  organisation: { id: number; name: string };
  name: string;
  createdAt: string;
  latestScanId: number | null;
  verdict: string | null;
  lastScanAt: string | null;
  build: string | null;
  exposure: Exposure | null;
  triage: TriageView;
}

export interface ScanView {
  id: number;
  organisationId: number;
  serverId: number;
  server: string;
  bundleId: number | null;
  verdict: string;
  explanation: string;
  startedAt: string;
  finishedAt: string;
  uploadedAt: string;
  toolVersion: string;
  findings: number;
}

/** The report without findings and artifacts, as `/scans/:id/details` gives it. */
export type ReportDetails = Omit<ScanReport, 'findings' | 'artifacts'> & {
  sessions?: SessionsSection;
  dataExposure?: DataExposureSection;
  exposure?: ExposureReport;
  webshells: Webshell[];
  problemsTotal: number;
  artifactsTotal: number;
  /** With a `custody` section: its problems counted by kind and listed (the `problems` above are only the first). */
  custodyIssues?: CustodyIssues;
};

export interface ScanDetails {
  scan: ScanView;
  report: ReportDetails;
}

export interface FindingView {
  id: number;
  scanId: number;
  serverId: number;
  server: string;
  finding: Finding;
}

/** One entry of `/events`: a request with its lines from every log, or a probe or context group. */
export interface EventView {
  id: number;
  scanId: number;
  serverId: number;
  server: string;
  kind: 'event' | 'probe' | 'context';
  event: RequestEvent | EventGroup;
}

export type RemediationStatus = 'open' | 'in-progress' | 'done' | 'wont-fix';

export interface RemediationView {
  id: number;
  serverId: number;
  server: string;
  scanId: number;
  key: string;
  title: string;
  /** The report's remediation step, when the report had one. */
  detail: Partial<RemediationStep> | string | null;
  status: RemediationStatus;
  updatedAt: string;
  updatedBy: string | null;
}

export interface NewFindings {
  since: string;
  count: number;
  /** `scanId` (latest) compared with `baseScanId` (the latest at the visit; null: none then). */
  servers: {
    id: number;
    name: string;
    organisation: string;
    count: number;
    scanId: number;
    baseScanId: number | null;
  }[];
  truncated: boolean;
}

export interface Overview {
  now: string;
  servers: number;
  verdicts: Record<string, number>;
  exposure: { vulnerable: number; unknown: number; patched: number; noBuild: number };
  remediation: Record<string, number>;
  /** The first servers in triage order with a score (`/servers?order=triage` gives them all). */
  needsAction: ServerView[];
  newFindings: NewFindings | null;
}

export interface TrendDay {
  day: string;
  verdicts: Record<string, number>;
  scans: number;
}

export interface FixRef {
  su: string;
  product: string;
  cu: string;
  build: string;
  kb?: string;
  released: string;
}

export interface BuildGroup {
  build: string | null;
  productName: string | null;
  cu: string | null;
  servers: number;
  verdicts: Record<string, number>;
  vulnerable: string[];
  unknown: string[];
  missing: FixRef[];
}

export interface DiffFinding {
  id: string;
  rule: string;
  title: string;
  outcome: string;
  stage: string;
  time?: string;
  evidence: string;
}

export interface ReportDiff {
  old: { root: string; finishedAt: string; verdict: string };
  new: { root: string; finishedAt: string; verdict: string };
  findings: { gone: DiffFinding[]; remains: DiffFinding[]; new: DiffFinding[]; historic: number };
  webshells: { gone: Webshell[]; remains: Webshell[]; changed: Webshell[]; new: Webshell[] };
  indicators: Record<'gone' | 'remains' | 'new', { kind: string; value: string }[]>;
  clean: boolean;
}

export interface Victim {
  kind: 'organisation' | 'server';
  id: number;
  name: string;
  firstSeen: string;
  lastSeen: string;
}

export interface CampaignView {
  indicator: { id: number; kind: string; value: string };
  victimCount: number;
  firstSeen: string;
  lastSeen: string;
  victims: Victim[];
  activity: { ruleId: string; title: string; stage: string }[];
}

export interface ClusterVictim {
  kind: 'organisation' | 'server';
  id: number;
  name: string;
  /** The server's latest verdict; for an organisation, the worst of its servers the cluster reached. */
  verdict: string | null;
  firstSeen: string;
  lastSeen: string;
  servers: number;
  stages: string[];
}

export interface ClusterIndicator {
  id: number;
  kind: string;
  value: string;
  victims: number;
  firstSeen: string;
  lastSeen: string;
}

/** One attacker: indicators used together in sessions across servers (GET /campaigns). */
export interface ClusterSummary {
  id: number;
  indicatorCount: number;
  indicators: ClusterIndicator[];
  victimCount: number;
  victims: ClusterVictim[];
  firstSeen: string;
  lastSeen: string;
  stages: string[];
  cves: string[];
  verdict: string | null;
  sessions: number;
}

export interface ClusterDetail extends ClusterSummary {
  timeline: {
    time: string;
    victim: { kind: 'organisation' | 'server'; id: number; name: string };
    verdict: string | null;
    stages: string[];
  }[];
}

export type NoiseReason = 'scanner' | 'browser' | 'client-library' | 'widespread';

export interface NoiseIndicator extends ClusterIndicator {
  reason: NoiseReason;
  detail: string;
}

export interface ClusterPage {
  items: ClusterSummary[];
  next: string | null;
  noise: { indicators: number; top: NoiseIndicator[] };
}

export interface BundleView {
  id: number;
  organisationId: number;
  serverId: number;
  server: string;
  sha256: string;
  size: number;
  status: 'queued' | 'running' | 'done' | 'failed';
  error: string | null;
  uploadedAt: string;
  scanId: number | null;
  duplicate?: boolean;
}

export interface Organisation {
  id: number;
  name: string;
  createdAt: string;
}

export interface UserView {
  id: number;
  username: string;
  role: Role;
  organisationId: number | null;
  createdAt: string;
  password?: string;
}

export interface TokenView {
  id: number;
  name: string;
  role: Role;
  organisationId: number | null;
  createdAt: string;
  revokedAt: string | null;
  token?: string;
}

export type FeedFormat = 'stix' | 'misp' | 'exhunt' | 'text';

/** An indicator feed as `/feeds` lists it (without its content). */
export interface FeedView {
  id: number;
  /** Null for a shared feed. */
  organisationId: number | null;
  organisation: string | null;
  shared: boolean;
  name: string;
  format: FeedFormat;
  sha256: string;
  size: number;
  indicators: number;
  problemCount: number;
  enabled: boolean;
  createdBy: string;
  createdAt: string;
}

/** One feed with its stored problems (up to 1,000), each with the feed's name as its path and its line. */
export interface FeedDetail extends FeedView {
  problems: Problem[];
}

/** What an accepted upload answers: the feed, its problems, and whether the same content was there already. */
export interface FeedUploaded extends FeedDetail {
  duplicate: boolean;
}

/** A notification channel of one organisation, its secret left out, with its deliveries in brief. */
/** GET /notifications/overdue: days per phase, which are the organisation's own, the defaults, bounds. */
export interface OverdueView {
  days: Record<string, number>;
  custom: string[];
  defaults: Record<string, number>;
  min: number;
  max: number;
}

export interface ChannelView {
  id: number;
  organisationId: number;
  kind: 'webhook' | 'smtp' | 'syslog';
  name: string;
  config: Record<string, unknown>;
  events: string[];
  enabled: boolean;
  createdBy: string;
  createdAt: string;
  pending: number;
  failed: number;
  lastSentAt: string | null;
  lastError: string | null;
}

/** A Sigma rule pack stored on the server for retro-hunts (GET /rule-packs). */
export interface RulePackView {
  id: number;
  organisationId: number | null;
  shared: boolean;
  name: string;
  sha256: string;
  rules: number;
  problemCount: number;
  createdBy: string;
  createdAt: string;
}

/** A retro-hunt with its progress (GET /retrohunts, /retrohunts/:id). */
export interface RetrohuntView {
  id: number;
  organisations: number[] | null;
  trigger: { kind: 'feed' | 'rules'; id: number; name: string; sha256: string };
  since: string | null;
  until: string | null;
  mode: 'index' | 'full';
  status: 'running' | 'done' | 'failed';
  progress: { total: number; done: number; failed: number; withLoss: number };
  hitCount: number;
  newFindings: number;
  servers: number;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export interface RetrohuntHit {
  id: number;
  serverId: number;
  server: string;
  ruleId: string;
  title: string;
  author: string;
  via: string;
  occurrences: number;
  firstAt: string | null;
  lastAt: string | null;
  findingId: number | null;
  isNew: boolean;
}

export interface RetrohuntDetail extends RetrohuntView {
  hits: RetrohuntHit[];
  incompleteBundles: {
    bundleId: number;
    serverId: number;
    server: string;
    state: 'failed' | 'read-with-loss';
    detail: string | null;
  }[];
}

/** A monitoring agent (`exhunt watch`) as GET /agents lists it. */
export interface AgentView {
  id: number;
  agentId: string;
  organisationId: number;
  serverId: number;
  serverName: string;
  /** The scan its findings are stored under, once it sent one. */
  scanId: number | null;
  version: string;
  rulesVersion: string;
  indicators: number;
  /** UTC ISO-8601. */
  lastContact: string;
  lagSeconds: number;
  /** What its last heartbeat said: spool, files followed, losses; attacker-reachable text, shown as text. */
  state: {
    spool?: { bytes?: number; commits?: number; full?: boolean } | null;
    files?: number;
    losses?: unknown[];
    /** What it cannot read now (an event log channel whose query fails), with the file's path. */
    problems?: { code?: string; path?: string; message?: string; since?: string }[];
  };
  silent: boolean;
}
