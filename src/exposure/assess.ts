// The HealthChecker decision rule: per CVE, is a build vulnerable, patched, or can the build not tell.

import type { UpdateRef } from '../core/report.js';
import { buildIndex, PRODUCT_LINE, type BuildIndex, type FixRow, type IndexedBuild } from './data.js';
import { lookupVersion, type BuildInfo } from './lookup.js';
import { compareVersions, cuKey, formatVersion, lineKey, parseVersion, type Version } from './version.js';

/**
 * `not-affected`: the product never got a build of the fixing update (Exchange 2010 and ProxyShell), which
 * HealthChecker counts as safe; kept apart from `patched` so the output does not claim an update was installed.
 */
export type ExposureState = 'vulnerable' | 'patched' | 'unknown' | 'not-affected';

/** The update that fixes a CVE for this server (the report's update reference). */
export type FixRef = UpdateRef;

export interface CveExposure {
  cve: string;
  campaign: string | null;
  state: ExposureState;
  /** One sentence saying why, naming the builds compared. */
  reason: string;
  fix?: FixRef;
}

export interface Assessment extends BuildInfo {
  input: string;
  cves: CveExposure[];
  /** Updates to install, one per update name, from the CVEs found vulnerable. */
  missing: FixRef[];
  notes: string[];
}

function fixRef(b: IndexedBuild): FixRef {
  const r = b.row;
  return { su: r.su ?? r.cu, product: r.product, cu: r.cu, build: r.build, kb: r.kb, released: r.released };
}

/** The builds of a fix on one product line, oldest CU first. */
function fixBuilds(fix: FixRow, line: string, index: BuildIndex): IndexedBuild[] {
  const out: IndexedBuild[] = [];
  for (const b of index.byBuild.values()) {
    const r = b.row;
    if (!r.su || !fix.su.includes(r.su) || PRODUCT_LINE[r.product] !== line) continue;
    if (!fix.products.includes(r.product) && !(r.product === 'SE' && fix.products.includes('2019'))) continue;
    if (fix.cus && !fix.cus.includes(`${r.product} ${r.cu}`)) continue;
    out.push(b);
  }
  return out.sort((a, b) => compareVersions(a.version, b.version));
}

type Decision = Omit<CveExposure, 'cve' | 'campaign'>;

/** One fix group against one version; see exchange-forensics.md §3 for the rule. */
export function decide(v: Version, fix: FixRow, index: BuildIndex): Decision {
  const builds = fixBuilds(fix, lineKey(v), index);
  if (builds.length === 0)
    return { state: 'not-affected', reason: `no ${fix.su.join('/')} build exists for this product` };
  const newest = builds[builds.length - 1] as IndexedBuild;
  const name = newest.row.su ?? fix.su.join('/');
  const own = builds.find((b) => cuKey(b.version) === cuKey(v));
  const cuKnown = index.cuRows.has(cuKey(v));
  const fix1 = fixRef(own ?? newest);
  if (v.length === 3) {
    if (compareVersions(v, newest.version.slice(0, 3)) > 0)
      return {
        state: 'patched',
        reason: `CU is newer than ${newest.row.cu}, the last CU that needed ${name}`,
        fix: fix1,
      };
    if (own)
      return {
        state: 'unknown',
        reason: `only the CU is known and ${own.row.cu} has a ${name} build (${own.row.build}): the SU level decides`,
        fix: fix1,
      };
    if (cuKnown)
      return {
        state: 'vulnerable',
        reason: `this CU never received ${name}; install ${newest.row.cu} ${name} or later`,
        fix: fix1,
      };
    return { state: 'unknown', reason: 'CU not in the build table' };
  }
  if (compareVersions(v, newest.version) >= 0)
    return {
      state: 'patched',
      reason: `at or above ${newest.row.build} (${newest.row.cu} ${name}, the newest CU that received it)`,
      fix: fix1,
    };
  if (own) {
    const values = [own.version, ...own.alternatives];
    const atOrAbove = values.map((x) => compareVersions(v, x) >= 0);
    if (atOrAbove.every(Boolean))
      return { state: 'patched', reason: `at or above ${own.row.build} (${own.row.cu} ${name})`, fix: fix1 };
    if (!atOrAbove.some(Boolean))
      return { state: 'vulnerable', reason: `below ${own.row.build} (${own.row.cu} ${name})`, fix: fix1 };
    const listed = values.map(formatVersion).join(' or ');
    return {
      state: 'unknown',
      reason: `sources disagree on the ${own.row.cu} ${name} build (${listed}); this build lies between them`,
      fix: fix1,
    };
  }
  if (cuKnown)
    return {
      state: 'vulnerable',
      reason: `this CU never received ${name}; install ${newest.row.cu} ${name} or later`,
      fix: fix1,
    };
  return {
    state: 'unknown',
    reason: `build below ${newest.row.build} on a CU the build table does not list`,
  };
}

/** Every CVE of the table against one version string. */
export function assessBuild(input: string, index: BuildIndex = buildIndex()): Assessment {
  const v = parseVersion(input);
  const notes: string[] = [];
  const cves: CveExposure[] = [];
  const missing = new Map<string, FixRef>();
  const info: BuildInfo = v
    ? lookupVersion(v, index)
    : { version: input.trim(), precision: 'full', listed: false };
  if (!v) notes.push('not a version string');
  else if (!info.product) notes.push('not an Exchange 2010, 2013, 2016, 2019 or SE build');
  else if (v.length === 3)
    notes.push('only the CU is known (3-part build): the security update level cannot be read from it');
  else if (!info.listed)
    notes.push(
      info.cu ? 'build not listed in the table; compared numerically' : 'CU not listed in the table',
    );
  for (const fix of index.data.fixes) {
    for (const cve of fix.cves) {
      const campaign = index.data.cves[cve]?.campaign ?? null;
      const d: Decision =
        v && info.product ? decide(v, fix, index) : { state: 'unknown', reason: notes[0] ?? 'unknown build' };
      cves.push({ cve, campaign, ...d });
      if (d.state === 'vulnerable' && d.fix) missing.set(`${d.fix.su} ${d.fix.build}`, d.fix);
    }
  }
  // Campaign CVEs first, then the ones released alongside them.
  const key = (c: CveExposure) => `${c.campaign ? 0 : 1}${c.cve}`;
  cves.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { input, ...info, cves, missing: [...missing.values()], notes };
}

/** 1 when any CVE is vulnerable or unknown (the CLI's exit code), else 0. */
export function exposureExitCode(a: Pick<Assessment, 'cves'>): 0 | 1 {
  return a.cves.some((c) => c.state === 'vulnerable' || c.state === 'unknown') ? 1 : 0;
}
