// The fleet store's public face: open and migrate a database, then tenant-scoped repository functions.

export { openStore, isPostgresUrl, redact, SQLITE_FILE } from './db.js';
export type { Dialect, OpenOptions, Store } from './db.js';
export { chooseDriver, driverProblem, SQLITE_DRIVERS } from './sqlite-driver.js';
export type { SqliteDriver } from './sqlite-driver.js';
export {
  appliedMigrations,
  migrateToLatest,
  migrateToZero,
  migrationLevel,
  NewerDatabaseError,
} from './migrations/index.js';
export type {
  Database,
  FeedFormat,
  IndicatorKind,
  RemediationStatus,
  RetrohuntMode,
  RetrohuntTrigger,
  Role,
} from './schema.js';
export { ALL, actorOf, orgScope, scopeOf } from './scope.js';
export type { OrgScope, Principal, Scope } from './scope.js';
export { BadCursorError, cursorPart, MAX_LIMIT } from './page.js';
export type { Page, PageArgs } from './page.js';
export { withTx } from './tx.js';
export type { Tx } from './tx.js';
export { audit, listAudit } from './audit.js';
export type { AuditView } from './audit.js';
export { ConflictError, createOrganisation, findOrganisation, listOrganisations } from './orgs.js';
export type { OrganisationView } from './orgs.js';
export {
  changePassword,
  countUsers,
  createSession,
  createUser,
  deleteSession,
  findLogin,
  listUsers,
  sessionPrincipal,
} from './users.js';
export type { UserView } from './users.js';
export { createToken, listTokens, revokeToken, tokenPrincipal, TOKEN_PREFIX } from './tokens.js';
export type { TokenView } from './tokens.js';
export { exposureOf, ingestReport, reportSha256 } from './ingest.js';
export { ingestAgentFindings, listAgents, queueSilentAgents, recordHeartbeat } from './agents.js';
export type { AgentBatchDerived, AgentFindingIn, AgentHeartbeat, AgentView } from './agents.js';
export type { IngestInput, IngestResult } from './ingest.js';
export type { Exposure } from './triage.js';
export { getServer, listServers } from './servers.js';
export type { ServerFilter, ServerListOptions, ServerView } from './servers.js';
export { DEFAULT_TRIAGE, recomputeTriage, refreshTriage, triageView } from './triage.js';
export type { TriageSettings, TriageView } from './triage.js';
export { getScan, getScanReport, listScans } from './scans.js';
export type { ScanView } from './scans.js';
export { listFindings, listWebshells } from './findings.js';
export { listEvents } from './events.js';
export type { EventFilter, EventKind, EventView } from './events.js';
export type { FindingView, WebshellView } from './findings.js';
export { listIndicators } from './indicator-list.js';
export type { IndicatorView } from './indicator-list.js';
export { getCampaign, listCampaigns } from './campaigns.js';
export { getCluster, listClusters, listNoise } from './clusters.js';
export type { ClusterDetail, ClusterPage, ClusterSummary, NoiseIndicator } from './clusters.js';
export { DEFAULT_CLUSTER_SETTINGS } from './cluster-state.js';
export type { NoiseReason } from './noise.js';
export type { CampaignView } from './campaigns.js';
export { listRemediation, REMEDIATION_STATUSES, setRemediationStatus } from './remediation.js';
export type { RemediationView } from './remediation.js';
export {
  bundleForJob,
  CHUNK_BYTES,
  createBundle,
  getBundle,
  readChunks,
  recordDownload,
  setBundleStatus,
  writeChunk,
} from './bundles.js';
export type { BundleView } from './bundles.js';
export {
  createFeed,
  deleteFeed,
  feedContents,
  getFeed,
  listFeeds,
  MAX_STORED_PROBLEMS,
  setFeedEnabled,
} from './feeds.js';
export type { FeedDetail, FeedOwner, FeedView, NewFeed } from './feeds.js';
export { listFleetSightings } from './sightings.js';
export type { FleetSighting, FoundSighting, MatchedSighting, SightingFilter } from './sightings.js';
export { createRulePack, getRulePack, listRulePacks, rulePackContent } from './rule-packs.js';
export type { NewRulePack, RulePackDetail, RulePackView } from './rule-packs.js';
export {
  bundlePending,
  createRetrohunt,
  failRetrohunt,
  finishBundle,
  finishIfComplete,
  getRetrohunt,
  huntForJob,
  listIncompleteBundles,
  listRetrohuntHits,
  listRetrohunts,
  queueHuntBundles,
  triggerOwner,
} from './retrohunts.js';
export type {
  IncompleteBundle,
  HuntForJob,
  NewRetrohunt,
  RetrohuntHitView,
  RetrohuntView,
  TriggerRef,
} from './retrohunts.js';
export { hitKey, recordHits, RETROHUNT_FINDING_PREFIX } from './retrohunt-hits.js';
export type { HitInput, ServerRef } from './retrohunt-hits.js';
export { indexSightings } from './retrohunt-index.js';
export type { IndexQuery, IndexSighting } from './retrohunt-index.js';
export {
  fleetCounts,
  findingsBesidesContext,
  findingsById,
  previousScanId,
  scanAt,
  scanMeta,
  searchServers,
  serversByBuild,
  serversUploadedSince,
  trend,
} from './dashboard.js';
export type { FleetCounts, FleetFilter, FleetServer, TrendDay } from './dashboard.js';
export { ping } from './health.js';
export { claimJob, endJobAttempt, insertJob, renewJobLease } from './jobs.js';
export type { ClaimedJob } from './jobs.js';
