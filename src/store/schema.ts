// The fleet database's tables as Kysely types: one description shared by SQLite and PostgreSQL.

import type { Generated } from 'kysely';
import type { Role, IndicatorKind, RemediationStatus, FeedFormat } from '../core/views.js';
export type { Role, IndicatorKind, RemediationStatus, FeedFormat } from '../core/views.js';

/**
 * Times are UTC ISO-8601 strings with milliseconds (`2021-03-03T06:49:46.210Z`) on both databases: they
 * sort as text, compare the same way everywhere and need no driver-specific date handling. JSON is text.
 */
type Time = string;

export interface OrganisationTable {
  id: Generated<number>;
  name: string;
  created_at: Time;
  /** JSON: days a remediation step of each phase may stay open (migration 11); null: the defaults. */
  overdue_days: string | null;
}

export interface UserTable {
  id: Generated<number>;
  /** Null for administrators, who act across organisations. */
  org_id: number | null;
  username: string;
  password_hash: string;
  role: Role;
  created_at: Time;
}

export interface SessionTable {
  /** SHA-256 of the cookie value: a stolen database does not yield live sessions. */
  token_hash: string;
  user_id: number;
  created_at: Time;
  expires_at: Time;
}

export interface ApiTokenTable {
  id: Generated<number>;
  org_id: number | null;
  role: Role;
  name: string;
  token_hash: string;
  created_at: Time;
  revoked_at: Time | null;
}

export interface ServerTable {
  id: Generated<number>;
  org_id: number;
  name: string;
  created_at: Time;
  latest_scan_id: number | null;
  latest_verdict: string | null;
  /** `scan.finishedAt` of the latest scan: a late upload of an older report does not replace it. */
  latest_at: Time | null;
  build: string | null;
  /** JSON: `{ build, vulnerable: string[], unknown: string[] }` from the exposure module. */
  exposure: string | null;
  /** The triage score (core/triage.ts) as of the last computation; see store/triage.ts. */
  triage_score: Generated<number>;
  /** The newest attacker activity (the tie-break), '' for none. */
  triage_activity: Generated<string>;
  /** JSON: the reasons, heaviest first. */
  triage_reasons: Generated<string>;
  /** JSON: `TriageEvidence` of the latest scan; null until computed. */
  triage_evidence: string | null;
  /** When a clock-dependent reason changes next; '' asks for a recompute; null: never. */
  triage_until: Generated<string | null>;
  /** The activity window the score was computed with (days); 0: not computed. */
  triage_days: Generated<number>;
}

export interface BundleTable {
  id: Generated<number>;
  org_id: number;
  server_id: number;
  sha256: string;
  size: number;
  status: 'queued' | 'running' | 'done' | 'failed';
  error: string | null;
  created_at: Time;
  scan_id: number | null;
}

export interface BundleChunkTable {
  bundle_id: number;
  seq: number;
  data: Buffer;
}

export interface ScanTable {
  id: Generated<number>;
  org_id: number;
  server_id: number;
  /** Set for scans a worker made from an uploaded bundle; unique, so a job's result lands once. */
  bundle_id: number | null;
  report_sha256: string;
  verdict: string;
  explanation: string;
  started_at: Time;
  finished_at: Time;
  created_at: Time;
  tool_version: string;
  findings_count: number;
  /** JSON: the report without its findings (those are rows), to give the report back whole. */
  meta: string;
}

export interface FindingTable {
  id: Generated<number>;
  org_id: number;
  server_id: number;
  scan_id: number;
  finding_id: string;
  rule_id: string;
  severity: string;
  stage: string;
  outcome: string;
  /** The finding's time, or the scan's start when it has none, so that every row sorts the same way. */
  sort_time: Time;
  source_ip: string | null;
  /** JSON: the finding as the report had it. */
  data: string;
}

export interface WebshellTable {
  id: Generated<number>;
  org_id: number;
  server_id: number;
  scan_id: number;
  path: string;
  sha256: string;
  size: number;
  data: string;
}

/** One event of a scan's events section: a request, a probe group or a context group (migration 9). */
export interface ScanEventTable {
  id: Generated<number>;
  org_id: number;
  server_id: number;
  scan_id: number;
  kind: 'event' | 'probe' | 'context';
  ord: number;
  event_id: string;
  outcome: string;
  stage: string;
  first_at: string | null;
  data: string;
}

/** Indicators are shared facts (an address is the same address everywhere); who saw them is per tenant. */
export interface IndicatorTable {
  id: Generated<number>;
  kind: IndicatorKind;
  value: string;
  first_seen: Time;
  last_seen: Time;
  org_count: number;
}

export interface IndicatorOrgTable {
  indicator_id: number;
  org_id: number;
  first_seen: Time;
  last_seen: Time;
  server_count: number;
  sightings: number;
}

export interface IndicatorServerTable {
  indicator_id: number;
  server_id: number;
  org_id: number;
  first_seen: Time;
  last_seen: Time;
  scans: number;
}

export interface IndicatorRuleTable {
  indicator_id: number;
  org_id: number;
  rule_id: string;
  stage: string;
  rule_title: string;
}

export interface IndicatorActivityTable {
  indicator_id: number;
  rule_id: string;
  stage: string;
  rule_title: string;
}

/** An attacker session of one server as a group of indicators (migration 7), for the campaign clustering. */
export interface ServerSessionTable {
  server_id: number;
  /** Hash of the session's indicator keys: a rescan of the same session is the same row. */
  session_key: string;
  org_id: number;
  first_seen: Time;
  last_seen: Time;
  /** Comma-separated, sorted. */
  stages: string;
  cves: string;
  scans: number;
}

export interface ServerSessionIndicatorTable {
  server_id: number;
  session_key: string;
  indicator_id: number;
  org_id: number;
}

export interface RemediationTable {
  id: Generated<number>;
  org_id: number;
  server_id: number;
  scan_id: number;
  item_key: string;
  title: string;
  data: string;
  status: RemediationStatus;
  updated_at: Time;
  updated_by: string | null;
  /** When the step was told overdue to the organisation's channels (migration 010); null until then. */
  overdue_notified_at: Time | null;
}

export interface AuditTable {
  id: Generated<number>;
  org_id: number | null;
  at: Time;
  actor: string;
  action: string;
  target: string;
  detail: string | null;
}

export interface JobTable {
  id: Generated<number>;
  queue: string;
  payload: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  attempts: number;
  max_attempts: number;
  /** Higher first (queue.ts: analysis 0, retro-hunts below); migration 014. */
  priority: Generated<number>;
  locked_by: string | null;
  locked_until: Time | null;
  created_at: Time;
  updated_at: Time;
  last_error: string | null;
}

/** An indicator feed as uploaded: parsed at upload (the count and problems) and again, cached, by workers. */
export interface IndicatorFeedTable {
  id: Generated<number>;
  /** Null for a shared feed, which an administrator uploaded for every organisation. */
  org_id: number | null;
  name: string;
  format: FeedFormat;
  content: string;
  sha256: string;
  size: number;
  indicator_count: number;
  /** Every problem, even those beyond the stored ones. */
  problem_count: number;
  /** JSON: the first problems (code, message, path = the feed's name, line), as the importers give them. */
  problems: string;
  /** 1 or 0. */
  enabled: number;
  created_by: string;
  created_at: Time;
}

/** What scans matched from a feed, per server and indicator: the fleet export reads these. */
export interface FeedSightingTable {
  server_id: number;
  /** SHA-256 of rule id, type and value: the key, since the values can be long. */
  key_sha: string;
  org_id: number;
  /** The indicator's id as findings carry it: the imported STIX id, or `ioc.<type>.<hash>`. */
  rule_id: string;
  ind_type: string;
  ind_value: string;
  /** The feed the finding named (the first feed to list the value). */
  source: string;
  first_seen: Time;
  last_seen: Time;
  scans: number;
  findings: number;
}

export type NotifyKind = 'webhook' | 'smtp' | 'syslog';

export interface NotifyChannelTable {
  id: Generated<number>;
  org_id: number;
  kind: NotifyKind;
  name: string;
  /** JSON: the kind's settings. */
  config: string;
  /** JSON: the event kinds this channel takes. */
  events: string;
  enabled: number;
  created_by: string;
  created_at: Time;
}

export interface NotifyOutboxTable {
  id: Generated<number>;
  org_id: number;
  channel_id: number;
  event: string;
  /** JSON: what the event says (the same for every channel kind). */
  payload: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_at: Time;
  sent_at: Time | null;
  last_error: string | null;
  created_at: Time;
}

/** A Sigma rule pack stored on the server (migration 13): one YAML file, a tenant's own or shared. */
export interface RulePackTable {
  id: Generated<number>;
  org_id: number | null;
  name: string;
  content: string;
  sha256: string;
  size: number;
  rule_count: number;
  problem_count: number;
  /** JSON: the first problems (code, message, path = the pack's name, line). */
  problems: string;
  enabled: number;
  created_by: string;
  created_at: Time;
}

export type RetrohuntTrigger = 'feed' | 'rules';
export type RetrohuntMode = 'index' | 'full';
export type RetrohuntStatus = 'running' | 'done' | 'failed';

/** A feed or rule pack run again over what the fleet holds (migration 13). */
export interface RetrohuntTable {
  id: Generated<number>;
  /** The one organisation it covers, or null for an administrator's hunt over several or all. */
  org_id: number | null;
  /** The organisation ids covered as `,3,7,`; null for every organisation. */
  orgs: string | null;
  trigger_kind: RetrohuntTrigger;
  trigger_id: number;
  trigger_name: string;
  /** The trigger's SHA-256 when the hunt started: its version. */
  trigger_sha256: string;
  since: Time | null;
  until: Time | null;
  mode: RetrohuntMode;
  status: RetrohuntStatus;
  bundles_total: number;
  started_by: string;
  started_at: Time;
  finished_at: Time | null;
  error: string | null;
}

export interface RetrohuntBundleTable {
  hunt_id: number;
  bundle_id: number;
  org_id: number;
  server_id: number;
  status: 'queued' | 'done' | 'failed';
  hits: number;
  error: string | null;
  finished_at: Time | null;
}

export interface RetrohuntHitTable {
  id: Generated<number>;
  hunt_id: number;
  org_id: number;
  server_id: number;
  hit_key: string;
  rule_id: string;
  rule_title: string;
  rule_author: string;
  via: string;
  occurrences: number;
  first_at: Time | null;
  last_at: Time | null;
  finding_row_id: number | null;
  is_new: number;
  created_at: Time;
}

export interface Database {
  organisations: OrganisationTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  servers: ServerTable;
  bundles: BundleTable;
  bundle_chunks: BundleChunkTable;
  scans: ScanTable;
  findings: FindingTable;
  webshells: WebshellTable;
  scan_events: ScanEventTable;
  indicators: IndicatorTable;
  indicator_orgs: IndicatorOrgTable;
  indicator_servers: IndicatorServerTable;
  indicator_rules: IndicatorRuleTable;
  indicator_activity: IndicatorActivityTable;
  remediation_items: RemediationTable;
  audit_log: AuditTable;
  jobs: JobTable;
  indicator_feeds: IndicatorFeedTable;
  feed_sightings: FeedSightingTable;
  notify_channels: NotifyChannelTable;
  notify_outbox: NotifyOutboxTable;
  server_sessions: ServerSessionTable;
  server_session_indicators: ServerSessionIndicatorTable;
  cluster_clock: ClusterClockTable;
  cluster_changes: ClusterChangeTable;
  campaign_watch: CampaignWatchTable;
  campaign_notices: CampaignNoticeTable;
  agents: AgentTable;
  agent_findings: AgentFindingTable;
  agent_scan_counted: AgentScanCountedTable;
  rule_packs: RulePackTable;
  retrohunts: RetrohuntTable;
  retrohunt_bundles: RetrohuntBundleTable;
  retrohunt_hits: RetrohuntHitTable;
}

/** The one row whose counter orders ingests by commit (migration 11). */
export interface ClusterClockTable {
  id: number;
  seq: number;
}

/** One ingest, as the incremental clustering reads it: which server's sessions to read again. */
export interface ClusterChangeTable {
  seq: number;
  org_id: number;
  server_id: number;
  /** JSON array of the indicator ids the ingest recorded. */
  indicators: string;
  created_at: Time;
}

/** How far an organisation's campaign notifications have read `cluster_changes`. */
export interface CampaignWatchTable {
  org_id: number;
  seq: number;
  /** 1: record the clusters as they stand, announce nothing (set for organisations older than the log). */
  baseline: number;
}

/** A server announced as a victim of a cluster (named by its id then, moved along on merges). */
export interface CampaignNoticeTable {
  org_id: number;
  cluster_id: number;
  server_id: number;
  created_at: Time;
}

/** A monitoring agent (`exhunt watch`), one row per installation (migration 012). */
export interface AgentTable {
  id: Generated<number>;
  org_id: number;
  /** The agent's own id (random, kept in its state folder). */
  agent_id: string;
  server_id: number;
  server_name: string;
  /** The scan row its findings are stored under (one per agent). */
  scan_id: number | null;
  version: string;
  rules_version: string;
  indicators: number;
  last_contact: Time;
  lag_seconds: number;
  /** JSON: spool, files followed, losses it reported. */
  state: string;
  /** When `agent.silent` was queued for the current silence; cleared by the next heartbeat. */
  silent_notified_at: Time | null;
  created_at: Time;
}

/** What an agent's scan already counted towards stored sightings (migration 15): `indicator` ids, `session` keys. */
export interface AgentScanCountedTable {
  scan_id: number;
  kind: 'indicator' | 'session';
  key: string;
}

/** The idempotency key of each finding an agent sent: the same key again is a retry, not a new finding. */
export interface AgentFindingTable {
  org_id: number;
  dedup_key: string;
  server_id: number;
  agent_id: string;
  /** When the agent read the record, and when the server stored it (write-to-database lag). */
  seen_at: Time;
  received_at: Time;
}
