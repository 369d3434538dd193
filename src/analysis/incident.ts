// The incident from a finished scan report: attacker sessions, what was exposed, and the plan to get them out.

import type {
  DataExposureSection,
  EventsSection,
  RemediationSection,
  ScanReport,
  SessionsSection,
} from '../core/report.js';
import { addressRoles } from './addresses.js';
import { eventsSection } from './event-view.js';
import { buildEvents } from './events.js';
import { exposureOf } from './exposure-data.js';
import { remediationOf } from './remediation.js';
import type { RemediationOptions } from './remediation.js';
import { sessionsSection } from './session-view.js';
import { DEFAULT_SESSION_OPTIONS, groupEvents } from './sessions.js';
import type { SessionOptions } from './sessions.js';

interface Incident {
  sessions: SessionsSection;
  dataExposure: DataExposureSection;
  remediation: RemediationSection;
  events: EventsSection;
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
  const evs = buildEvents(report.findings, roles);
  const grouping = groupEvents(evs, { ...DEFAULT_SESSION_OPTIONS, ...opts.sessions });
  const sessions = sessionsSection(evs, grouping, roles.internal);
  const dataExposure = exposureOf(report, evs, sessions);
  const remediation = remediationOf(report, sessions, dataExposure, opts);
  const sessionOf = new Map<number, string>();
  grouping.sessions.forEach((g, n) => g.forEach((i) => sessionOf.set(i, `S${n + 1}`)));
  const context = report.findings.filter((f) => f.outcome === 'context');
  const events = eventsSection(evs, context, sessionOf, roles, report.artifacts);
  return { sessions, dataExposure, remediation, events };
}
