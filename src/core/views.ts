// The fleet's views, declared once: what the store's queries return and what the API answers
// (src/server/api/types.ts re-exports them under the same names, and the dashboard reads them from there).
// Types only: the web build compiles this file, so it imports nothing but core's types.

import type { Finding } from './finding.js';
import type { Problem } from './problem.js';
import type { RemediationStep, Webshell } from './report.js';
import type { TriageReason } from './triage.js';

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last one. */
  next: string | null;
}

export type Role = 'administrator' | 'analyst' | 'viewer';

/** A server's exposure in brief: its build and the CVEs that build is vulnerable to, or cannot rule out. */
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
  /** Remediation items still open or in progress. */
  openRemediation: number;
}

/** A server's place in the order, as the API gives it. */
export interface TriageView {
  score: number;
  /** Heaviest first. */
  reasons: TriageReason[];
  /** The newest attacker activity (the tie-break), or null. */
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

export interface FindingView {
  id: number;
  scanId: number;
  serverId: number;
  server: string;
  finding: Finding;
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

export interface Victim {
  /** An organisation (administrators) or a server of the caller's organisation (tenants). */
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
  /** The most recent victims, up to `victimLimit`. */
  victims: Victim[];
  /** The rules and stages of the findings the indicator appeared in. */
  activity: { ruleId: string; title: string; stage: string }[];
}

export interface ClusterVictim {
  /** An organisation (administrators) or a server of the caller's organisation (tenants). */
  kind: 'organisation' | 'server';
  id: number;
  name: string;
  /** The server's latest verdict; for an organisation, the worst of its servers the cluster reached. */
  verdict: string | null;
  firstSeen: string;
  lastSeen: string;
  /** Servers of this victim the cluster reached (1 for a server). */
  servers: number;
  stages: string[];
}

export interface ClusterIndicator {
  id: number;
  kind: IndicatorKind;
  value: string;
  /** Victims (in the caller's scope) whose sessions used it. */
  victims: number;
  firstSeen: string;
  lastSeen: string;
}

/** One attacker: indicators used together in sessions across servers (GET /campaigns). */
export interface ClusterSummary {
  /** The smallest indicator id of the cluster; any member's id finds the cluster too. */
  id: number;
  indicatorCount: number;
  /** The strongest first (webshell hashes, names, addresses, agents); all of them in the detail. */
  indicators: ClusterIndicator[];
  victimCount: number;
  /** Earliest hit first; all of them in the detail. */
  victims: ClusterVictim[];
  firstSeen: string;
  lastSeen: string;
  stages: string[];
  cves: string[];
  /** The worst verdict among the victims. */
  verdict: string | null;
  sessions: number;
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
  /** Up to MAX_STORED_PROBLEMS, each with the feed's name as its path and the line where known. */
  problems: Problem[];
}

/** A notification channel of one organisation, its secret left out, with its deliveries in brief. */
export interface ChannelView {
  id: number;
  organisationId: number;
  kind: 'webhook' | 'smtp' | 'syslog';
  name: string;
  /** The settings with secrets and passwords left out (`secretSet` says whether one is held). */
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

export type IndicatorKind = 'ip' | 'user-agent' | 'webshell-name' | 'webshell-hash';

/** An indicator seen on the fleet (GET /indicators). */
export interface IndicatorView {
  id: number;
  kind: IndicatorKind;
  value: string;
  firstSeen: string;
  lastSeen: string;
  /** Servers of the caller's organisation (administrators: organisations) that saw it. */
  victims: number;
}

export interface AuditView {
  id: number;
  organisationId: number | null;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: unknown;
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
  /** No heartbeat for longer than the silence threshold when listed. */
  silent: boolean;
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
  /** This hunt made the finding (false: an earlier hunt already had). */
  isNew: boolean;
}

export interface ClusterDetail extends ClusterSummary {
  /** One entry per victim at its first sighting, earliest first: who was hit first. */
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
  /** The scanner's name, the library, or how many organisations saw it; shown as is. */
  detail: string;
}

export interface ClusterPage extends Page<ClusterSummary> {
  /** Background noise in brief: how much there is, and the most widespread few. */
  noise: { indicators: number; top: NoiseIndicator[] };
}

export interface UserView {
  id: number;
  username: string;
  role: Role;
  organisationId: number | null;
  createdAt: string;
  password?: string;
}

export interface WebshellView {
  id: number;
  scanId: number;
  serverId: number;
  server: string;
  webshell: Webshell;
}

/** A retro-hunt with its progress (GET /retrohunts, /retrohunts/:id). */
export interface RetrohuntView {
  id: number;
  /** Null for every organisation. */
  organisations: number[] | null;
  trigger: {
    kind: 'feed' | 'rules';
    id: number;
    name: string;
    /** The version that ran: the feed's or pack's SHA-256 when the hunt started. */
    sha256: string;
  };
  since: string | null;
  until: string | null;
  mode: 'index' | 'full';
  status: 'running' | 'done' | 'failed';
  /** `withLoss`: done, but some of the bundle could not be read (counted in `done` too). */
  progress: { total: number; done: number; failed: number; withLoss: number };
  hitCount: number;
  newFindings: number;
  servers: number;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}
