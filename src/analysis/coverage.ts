// Coverage per log family: how far back and forward each source of evidence goes.

import type { Artifact, Coverage } from '../core/artifact.js';
import { maxTime, minTime } from '../core/time.js';
import { daySpans, daysCovered, familyGaps } from './gaps.js';

/** Artifacts that are files rather than logs have no coverage period. */
const NOT_LOGS = new Set(['web-file', 'staged-file', 'iis-config', 'exsetup', 'web-config']);

export function isLog(a: Artifact): boolean {
  return !NOT_LOGS.has(a.source);
}

export function coverageOf(artifacts: readonly Artifact[]): Coverage[] {
  const by = new Map<string, Coverage>();
  for (const a of artifacts) {
    if (NOT_LOGS.has(a.source)) continue;
    let c = by.get(a.family);
    if (!c) {
      c = { family: a.family, source: a.source, files: 0, records: 0 };
      by.set(a.family, c);
    }
    c.files++;
    c.records += a.records;
    const first = minTime(c.firstTime, a.firstTime);
    const last = maxTime(c.lastTime, a.lastTime);
    if (first) c.firstTime = first;
    if (last) c.lastTime = last;
  }
  const logs = artifacts.filter(isLog);
  const spans = daySpans(logs);
  const gaps = familyGaps(logs);
  for (const c of by.values()) {
    const list = spans.get(c.family);
    if (!list) continue;
    c.days = daysCovered(list);
    const mine = gaps.filter((g) => g.family === c.family).map(({ from, to, days }) => ({ from, to, days }));
    if (mine.length > 0) c.gaps = mine;
  }
  return [...by.values()].sort((a, b) => a.family.localeCompare(b.family));
}
