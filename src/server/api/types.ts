// Every route's response, declared once: the route table (routes/*.ts, through `route()` in route.ts) makes
// each handler return the type named here for its method and path, and the dashboard (web/src/api) reads
// its answers as these types. Types only: the web build compiles this file, so it imports nothing but
// core's types and its own folder's.

import type { Finding } from '../../core/finding.js';
import type { Problem } from '../../core/problem.js';
import type {
  DataExposureSection,
  EventGroup,
  ExposureReport,
  RequestEvent,
  ScanReport,
  SessionsSection,
  UpdateRef,
  Webshell,
} from '../../core/report.js';
import type { CustodyIssues } from './custody.js';
import type {
  ClusterPage,
  ClusterDetail,
  NoiseIndicator,
  Page,
  AgentView,
  AuditView,
  BundleView,
  CampaignView,
  ChannelView,
  FeedDetail,
  FeedView,
  FindingView,
  FleetServer,
  IndicatorView,
  RemediationView,
  RetrohuntHit,
  Role,
  ScanView,
  ServerView,
  TokenView,
  UserView,
  WebshellView,
  RetrohuntView,
} from '../../core/views.js';

export type { Evidence, Finding, Outcome, Severity, Stage } from '../../core/finding.js';
export type { Problem } from '../../core/problem.js';
export type { CustodyIssues } from './custody.js';
export type * from '../../core/views.js';
export type { CustodySection, LiveScanInfo } from '../../core/report.js';
export type { TriageCode, TriageReason } from '../../core/triage.js';
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
} from '../../core/report.js';

export interface Me {
  kind: 'user' | 'token';
  id: number;
  name: string;
  role: Role;
  organisation: string | null;
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

/** One entry of `/events`: a request with its lines from every log, or a probe or context group. */
export interface EventView {
  id: number;
  scanId: number;
  serverId: number;
  server: string;
  kind: 'event' | 'probe' | 'context';
  event: RequestEvent | EventGroup;
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

/** An update a build is missing: the report's update reference. */
export type FixRef = UpdateRef;

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

export interface Organisation {
  id: number;
  name: string;
  createdAt: string;
}

/** What an accepted upload answers: the feed, its problems, and whether the same content was there already. */
export interface FeedUploaded extends FeedDetail {
  duplicate: boolean;
  /** The retro-hunt the upload started (`?hunt=`). */
  retrohunt?: number;
}

/** GET /notifications/overdue: days per phase, which are the organisation's own, the defaults, bounds. */
export interface OverdueView {
  days: Record<string, number>;
  custom: string[];
  defaults: Record<string, number>;
  min: number;
  max: number;
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

/** A rule pack with its stored problems (GET /rule-packs/:id, and the answer to an upload). */
export interface RulePackDetail extends RulePackView {
  problems: Problem[];
}

/** What a stored report or agent batch became. */
export interface Ingested {
  scanId: number;
  serverId: number;
  created: boolean;
}

/** A Fastify-style error body: what every 4xx and 5xx answers. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

/** A feed or rule pack of which nothing loaded (400), with its problems. */
export interface RefusedUpload extends ApiErrorBody {
  problems: Problem[];
}

/**
 * Each route's success body, by method and path as the route table writes them (`route()` in route.ts
 * refuses a route missing here or returning something else). `null`: no body (204); `string`: a file.
 */
export interface ApiResponses {
  'GET /openapi.json': Record<string, unknown>;
  'GET /health': { ok: boolean; database: string; version: string };
  'POST /session': Me;
  'GET /session': Me;
  'DELETE /session': null;
  'POST /session/password': { sessionsEnded: number };
  'POST /reports': Ingested;
  'POST /bundles': BundleView;
  'GET /bundles/:id': BundleView;
  'GET /bundles/:id/download': unknown;
  'GET /scans/:id/report': ScanReport;
  'GET /bundles/uploads/:sha256': { received: number };
  'POST /bundles/uploads/:sha256/chunks': { received: number; error?: string };
  'POST /bundles/uploads/:sha256/complete': BundleView;
  'GET /servers': Page<ServerView> & {
    /** With `order=triage`: the order in words, as the dashboard explains it. */
    order?: string;
  };
  'GET /servers/:id': ServerView;
  'GET /scans': Page<ScanView>;
  'GET /scans/:id': ScanView;
  'GET /findings': Page<FindingView>;
  'GET /events': Page<EventView>;
  'GET /webshells': Page<WebshellView>;
  'GET /indicators': Page<IndicatorView>;
  'GET /campaigns': ClusterPage;
  'GET /campaigns/noise': Page<NoiseIndicator>;
  'GET /campaigns/indicators': Page<CampaignView>;
  'GET /campaigns/indicators/:id': CampaignView;
  'GET /campaigns/:id': ClusterDetail;
  'GET /campaigns/:id/stix': string;
  'GET /remediation': Page<RemediationView>;
  'PATCH /remediation/:id': null;
  'POST /feeds': FeedUploaded | RefusedUpload;
  'GET /feeds': { items: FeedView[] };
  'GET /feeds/:id': FeedDetail;
  'PATCH /feeds/:id': FeedView;
  'DELETE /feeds/:id': null;
  'GET /intel/stix': string;
  'GET /intel/csv': string;
  'POST /rule-packs': (RulePackDetail & { duplicate: boolean; retrohunt?: number }) | RefusedUpload;
  'GET /rule-packs': { items: RulePackView[] };
  'GET /rule-packs/:id': RulePackDetail;
  'POST /retrohunts': RetrohuntView;
  'GET /retrohunts': { items: RetrohuntView[] };
  'GET /retrohunts/:id': RetrohuntDetail;
  'GET /notifications/overdue': OverdueView;
  'PATCH /notifications/overdue': Pick<OverdueView, 'days' | 'custom'>;
  'GET /notifications/channels': { items: ChannelView[]; events: string[] };
  'POST /notifications/channels': { id: number };
  'PATCH /notifications/channels/:id': null;
  'DELETE /notifications/channels/:id': null;
  'POST /notifications/channels/:id/test': { queued: number };
  'GET /dashboard/overview': Overview;
  'GET /dashboard/trend': { days: TrendDay[] };
  'GET /dashboard/servers': Page<FleetServer>;
  'GET /dashboard/exposure': { builds: BuildGroup[] };
  'GET /scans/:id/details': ScanDetails;
  'GET /scans/:id/findings': { items: Finding[] };
  'GET /scans/:id/diff': { base: ScanView | null; diff: ReportDiff | null };
  'GET /scans/:id/download': string;
  'GET /servers/:id/remediation.ps1': string;
  'GET /servers/:id/report.html': string;
  'GET /organisations': { items: Organisation[] };
  'POST /organisations': Organisation;
  'GET /users': { items: UserView[] };
  'POST /users': UserView;
  'GET /tokens': { items: TokenView[] };
  'POST /tokens': TokenView & { token: string };
  'DELETE /tokens/:id': null;
  'GET /audit': Page<AuditView>;
  'POST /agent/findings': { stored: number; duplicates: number; serverId: number; scanId: number };
  'POST /agent/heartbeat': { rulesVersion: string };
  'GET /agent/rules': { version: string; indicators: unknown };
  'GET /agents': { items: AgentView[]; silentAfterSeconds: number };
}

export type ApiRoute = keyof ApiResponses;
export type ApiMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';
/** The response of a route, by its method and path (`ApiResponse<'GET /servers/:id'>`). */
export type ApiResponse<K extends ApiRoute> = ApiResponses[K];
/** A route's path parameters, read from its path: `:id` is a number, any other a string. */
export type ApiParams<U extends string> = U extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: K extends 'id' ? number : string } & ApiParams<`/${Rest}`>
  : U extends `${string}:${infer Name}`
    ? { [K in Name]: K extends 'id' ? number : string }
    : unknown;

/** The paths that answer GET (`/servers/:id`), as the dashboard names what it reads. */
export type ApiGetPath = ApiRoute extends infer K ? (K extends `GET ${infer P}` ? P : never) : never;
/** What GET on a path of the route table answers. */
export type ApiGet<P extends ApiGetPath> = ApiResponses[`GET ${P}`];
/** The paths that answer another method, with it (`POST /feeds`). */
export type ApiChange = Exclude<ApiRoute, `GET ${string}`>;
/** A route's items when it is a page (`{ items, next }`). */
export type PageItem<T> = T extends Page<infer I> ? I : never;

/**
 * The URLs a route's path stands for: each `:param` any text, and anything after (a query string). Loose on
 * purpose: it catches a URL written for another route, not a bad parameter value.
 */
export type ApiUrl<P extends string> = `${UrlPattern<P>}${string}`;
type UrlPattern<P extends string> = P extends `${infer A}:${string}/${infer Rest}`
  ? `${A}${string}/${UrlPattern<Rest>}`
  : P extends `${infer A}:${string}`
    ? `${A}${string}`
    : P;
