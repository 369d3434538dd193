// The remediation plan: ordered steps with exact targets, scoped by what the scan found and what was exposed.

import type {
  DataExposureSection,
  RemediationSection,
  ScanReport,
  SessionsSection,
  UpdateRef,
} from '../core/report.js';
import { assessBuild } from '../exposure/assess.js';
import { exchangeTargets, fileTargets, persistenceTargets, vdirTargets } from './remediation-targets.js';
import * as step from './remediation-steps.js';
import type { Draft } from './remediation-steps.js';

/** What the plan needs to know about a build: the updates it lacks and the campaigns it is open to. */
interface BuildAssessment {
  missing: UpdateRef[];
  vulnerableCampaigns: string[];
}

export interface RemediationOptions {
  /** Overrides the assessment (tests); by default the report's own exposure section, else the build table. */
  assess: (build: string) => BuildAssessment;
}

function defaultAssess(build: string): BuildAssessment {
  const a = assessBuild(build);
  return { missing: a.missing.map((m) => ({ ...m })), vulnerableCampaigns: campaigns(a.cves) };
}

function campaigns(cves: readonly { state: string; campaign: string | null }[]): string[] {
  return [
    ...new Set(cves.filter((c) => c.state === 'vulnerable' && c.campaign).map((c) => c.campaign as string)),
  ];
}

/** The engine's assessment of the server build, when the evidence showed one. */
function fromReport(report: ScanReport): BuildAssessment | undefined {
  const e = report.exposure;
  if (!e?.build) return undefined;
  return { missing: e.missing.map((m) => ({ ...m })), vulnerableCampaigns: campaigns(e.cves) };
}

export function remediationOf(
  report: ScanReport,
  sessions: SessionsSection,
  exposure: DataExposureSection,
  opts: Partial<RemediationOptions> = {},
): RemediationSection {
  const build = report.exposure?.build?.trim() || undefined;
  const assessed = build
    ? opts.assess
      ? opts.assess(build)
      : (fromReport(report) ?? defaultAssess(build))
    : undefined;
  const compromised = report.verdict === 'compromised';
  const exploited = compromised || report.verdict === 'exploited';
  const files = fileTargets(report);
  const exch = exchangeTargets(report);
  const persist = persistenceTargets(report);
  const drafts: (Draft | undefined)[] = [
    exploited ? step.preserve(report, files) : undefined,
    step.blockAddresses(sessions),
    files.length > 0 ? step.quarantine(files) : undefined,
    step.revertVdirs(vdirTargets(report)),
    exch.length > 0 || compromised ? step.exportsAndRoles(exch) : undefined,
    persist.length > 0 || compromised ? step.persistence(persist) : undefined,
    step.credentials(report, sessions, exposure),
    step.updates(report, build, assessed?.missing),
    step.mitigate(report, assessed?.vulnerableCampaigns),
    report.verdict !== 'clean' ? step.rescan() : undefined,
  ];
  const steps = drafts.filter((d): d is Draft => d !== undefined);
  return {
    steps: steps.map((s, i) => ({ order: i + 1, ...s })),
    ...(build ? { build } : {}),
    updates: assessed?.missing ?? [],
  };
}
