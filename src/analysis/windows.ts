// The windows of exposure: a CVE's state at a time, and what the logs cannot clear (the pass is passes/exposure-windows.ts).

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
