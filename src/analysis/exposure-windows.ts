// The windows of time a server was exposed to a campaign CVE, and whether a period touches one.

import type { ExposureReport } from '../core/report.js';

type Window = ExposureReport['timeline']['windows'][number];

/**
 * Windows in which the server was vulnerable to a campaign CVE, or may have been (`unknown`); undefined
 * when the evidence shows no build at all, so that nothing can be said to fall outside them.
 */
export function campaignWindows(exposure: ExposureReport | undefined): Window[] | undefined {
  const all = exposure?.timeline.windows;
  if (!all || all.length === 0) return undefined;
  return all.filter((w) => w.campaign && (w.state === 'vulnerable' || w.state === 'unknown'));
}

/** Does [from, to] touch an exposed window? Always true when the windows are unknown. */
export function overlapsExposure(windows: readonly Window[] | undefined, from: string, to: string): boolean {
  if (windows === undefined) return true;
  return windows.some((w) => (w.from === undefined || w.from <= to) && (w.to === undefined || from < w.to));
}

/** The moment the server first became exposed, when every exposed window has a known start. */
export function exposedSince(windows: readonly Window[] | undefined): string | undefined {
  if (!windows || windows.length === 0) return undefined;
  let first: string | undefined;
  for (const w of windows) {
    if (w.from === undefined) return undefined;
    if (first === undefined || w.from < first) first = w.from;
  }
  return first;
}
