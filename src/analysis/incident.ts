// The incident from a finished scan report: attacker sessions, what was exposed, and the plan to get them out.

import type { DataExposureSection, RemediationSection, ScanReport, SessionsSection } from '../core/report.js';
import { addressRoles } from './addresses.js';
import { buildEvents } from './events.js';
import { exposureOf } from './exposure-data.js';
import { remediationOf } from './remediation.js';
import type { RemediationOptions } from './remediation.js';
import { sessionsSection } from './session-view.js';
import { DEFAULT_SESSION_OPTIONS, groupEvents } from './sessions.js';
import type { SessionOptions } from './sessions.js';

export interface Incident {
  sessions: SessionsSection;
  dataExposure: DataExposureSection;
  remediation: RemediationSection;
}

export interface IncidentOptions extends Partial<RemediationOptions> {
  sessions?: Partial<SessionOptions>;
}

/**
 * Pure over the report (the build table that names the missing updates is read once, from the package).
 * Call it last, once findings, webshells, artifacts and the server build are final.
 */
export function buildIncident(report: ScanReport, opts: IncidentOptions = {}): Incident {
  const roles = addressRoles(report.findings, report.artifacts);
  const events = buildEvents(report.findings, roles);
  const grouping = groupEvents(events, { ...DEFAULT_SESSION_OPTIONS, ...opts.sessions });
  const sessions = sessionsSection(events, grouping, roles.internal);
  const dataExposure = exposureOf(report, events, sessions);
  const remediation = remediationOf(report, sessions, dataExposure, opts);
  return { sessions, dataExposure, remediation };
}
