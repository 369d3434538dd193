// Findings against the windows of exposure: a CVE finding from a time the server was already patched says so.

import type { Finding } from '../core/finding.js';
import type { ExposureReport } from '../core/report.js';

type Window = ExposureReport['timeline']['windows'][number];

/** The state of a CVE at a time, from the windows the build timeline gives; undefined when none covers it. */
export function stateAt(windows: readonly Window[], cve: string, time: string): string | undefined {
  for (const w of windows) {
    if (w.cve !== cve) continue;
    if ((w.from === undefined || w.from <= time) && (w.to === undefined || time < w.to)) return w.state;
  }
  return undefined;
}

/**
 * An exploit step against a CVE the server was patched for at that moment cannot have worked as logged:
 * it is a scan, or the finding is wrong. Such findings are marked, not dropped.
 */
export function markWindows(findings: Finding[], exposure: ExposureReport): void {
  const windows = exposure.timeline.windows;
  if (windows.length === 0) return;
  for (const f of findings) {
    if (!f.time || f.cves.length === 0) continue;
    const states = f.cves.map((c) => stateAt(windows, c, f.time ?? ''));
    if (states.some((s) => s === undefined || s === 'vulnerable' || s === 'unknown')) continue;
    f.details = { ...(f.details ?? {}), exposureWindow: 'outside' };
    const note = `the server was not vulnerable to ${f.cves.join(', ')} at this time (per the builds in its logs)`;
    f.note = f.note ? `${f.note}; ${note}` : note;
  }
}

/** Campaign CVEs the server was vulnerable to before the logs begin: a period the evidence cannot clear. */
export function uncoveredExposure(
  exposure: ExposureReport | undefined,
  firstLog: string | undefined,
): Window[] {
  if (!exposure) return [];
  return exposure.timeline.windows.filter(
    (w) =>
      w.campaign &&
      w.state === 'vulnerable' &&
      (w.from === undefined || (firstLog !== undefined && w.from < firstLog)),
  );
}
