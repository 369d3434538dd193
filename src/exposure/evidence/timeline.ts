// From the `#Version:` directive of each Exchange log file: the builds over time, when each update went in, and the windows of exposure per CVE.

import { assessBuild, type ExposureState } from '../assess.js';
import { buildIndex, type BuildIndex } from '../data.js';
import { lookupBuild } from '../lookup.js';
import { compareVersions, formatVersion, parseVersion } from '../version.js';

export interface VersionObservation {
  /** As the directive writes it (`15.01.2375.007`) or in the short form. */
  build: string;
  /** UTC ISO time of the file that carries the directive (its first record or its header date). */
  time?: string;
  path: string;
}

interface TimelineBuild {
  /** Short form. */
  build: string;
  first?: string;
  last?: string;
  files: number;
  /** `2016 CU22 Nov22SU` when the table knows the build. */
  name?: string;
}

/** A change of build seen in the logs: the update was installed after `after` and before `before`. */
interface BuildChange {
  from: string;
  to: string;
  name?: string;
  after?: string;
  before?: string;
}

/**
 * A stretch of time in one state for one CVE. `from` is absent for the first window (the state held since
 * before the evidence begins) and `to` for the last (still so when the evidence ends).
 */
export interface ExposureWindow {
  cve: string;
  campaign: string | null;
  state: ExposureState;
  from?: string;
  to?: string;
  builds: string[];
}

export interface BuildTimeline {
  builds: TimelineBuild[];
  changes: BuildChange[];
  windows: ExposureWindow[];
  /** Directive values that are not versions, with the file. */
  unreadable: { build: string; path: string }[];
}

interface Segment {
  build: string;
  first?: string;
  last?: string;
}

function nameOf(build: string, index: BuildIndex): string | undefined {
  const info = lookupBuild(build, index);
  if (!info?.cu || !info.product) return undefined;
  return [info.product, info.cu, info.su ?? (info.listed ? undefined : info.atLeast && `≥${info.atLeast}`)]
    .filter(Boolean)
    .join(' ');
}

/**
 * Observations are ordered by time; runs of the same build form segments. Files without a time only count
 * toward their build; when no file has a time, builds are assumed to have been installed in version order.
 */
export function buildTimeline(
  versions: VersionObservation[],
  index: BuildIndex = buildIndex(),
): BuildTimeline {
  const unreadable: { build: string; path: string }[] = [];
  const perBuild = new Map<string, TimelineBuild>();
  const timed: { build: string; time: string }[] = [];
  for (const o of versions) {
    const v = parseVersion(o.build);
    if (!v) {
      unreadable.push({ build: o.build, path: o.path });
      continue;
    }
    const build = formatVersion(v);
    const b = perBuild.get(build) ?? { build, files: 0 };
    b.files++;
    if (o.time) {
      if (!b.first || o.time < b.first) b.first = o.time;
      if (!b.last || o.time > b.last) b.last = o.time;
      timed.push({ build, time: o.time });
    }
    perBuild.set(build, b);
  }
  for (const b of perBuild.values()) b.name = nameOf(b.build, index);

  const segments: Segment[] = [];
  if (timed.length > 0) {
    timed.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    for (const t of timed) {
      const cur = segments[segments.length - 1];
      if (cur && cur.build === t.build) cur.last = t.time;
      else segments.push({ build: t.build, first: t.time, last: t.time });
    }
  } else {
    const byVersion = [...perBuild.keys()].sort((a, b) =>
      compareVersions(parseVersion(a)!, parseVersion(b)!),
    );
    for (const build of byVersion) segments.push({ build });
  }

  const changes: BuildChange[] = [];
  for (let i = 1; i < segments.length; i++) {
    const prev = segments[i - 1] as Segment;
    const next = segments[i] as Segment;
    changes.push({
      from: prev.build,
      to: next.build,
      name: perBuild.get(next.build)?.name,
      after: prev.last,
      before: next.first,
    });
  }

  return { builds: [...perBuild.values()], changes, windows: exposureWindows(segments, index), unreadable };
}

function exposureWindows(segments: Segment[], index: BuildIndex): ExposureWindow[] {
  const assessed = new Map<string, Map<string, { state: ExposureState; campaign: string | null }>>();
  for (const s of segments) {
    if (assessed.has(s.build)) continue;
    const a = assessBuild(s.build, index);
    assessed.set(s.build, new Map(a.cves.map((c) => [c.cve, { state: c.state, campaign: c.campaign }])));
  }
  const cves = [...new Set(index.data.fixes.flatMap((f) => f.cves))].sort();
  const windows: ExposureWindow[] = [];
  for (const cve of cves) {
    let open: ExposureWindow | undefined;
    segments.forEach((s, i) => {
      const r = assessed.get(s.build)?.get(cve);
      if (!r) return;
      if (open && open.state === r.state) {
        if (!open.builds.includes(s.build)) open.builds.push(s.build);
        return;
      }
      if (open) {
        open.to = s.first;
        windows.push(open);
      }
      open = { cve, campaign: r.campaign, state: r.state, builds: [s.build] };
      if (i > 0) open.from = s.first;
    });
    if (open) windows.push(open);
  }
  return windows;
}
