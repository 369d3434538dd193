// The build table (data/exchange-builds.json): its shape, loading and validation, and the indexes built from it.

import { readFileSync } from 'node:fs';
import { compareVersions, cuKey, lineKey, parseVersion, type Version } from './version.js';

export interface BuildRow {
  /** `2010`, `2013`, `2016`, `2019` or `SE`. */
  product: string;
  /** `CU23`, `SP1` (2013 CU4), `RTM`, `SP3` (2010). */
  cu: string;
  /** Security or hotfix update name as Microsoft and HealthChecker write it (`Mar21SU`, `Apr24HU`, `RU32`). */
  su?: string;
  build: string;
  /** `YYYY-MM-DD`, or `YYYY-MM` when the sources only give the month. */
  released: string;
  kb?: string;
  sources: string[];
  /** Other values some sources give for the same update (Exchange 2016 CU8/CU9 Mar21SU). */
  alternatives?: { build: string; sources: string[] }[];
}

export interface FixRow {
  /** Update names whose builds carry the fix (`RU32` is the Exchange 2010 build of March 2021). */
  su: string[];
  cves: string[];
  products: string[];
  /** When only some CUs' builds of the update carry the fix: `2016 CU18`. */
  cus?: string[];
  sources: string[];
  note?: string;
}

interface CveInfo {
  /** ProxyLogon, ProxyShell, ProxyNotShell, OWASSRF; null for CVEs only released alongside them. */
  campaign: string | null;
  title?: string;
  releasedWith?: string;
}

interface SourceInfo {
  title: string;
  url?: string;
  note?: string;
}

export interface BuildData {
  schema: number;
  sources: Record<string, SourceInfo>;
  cves: Record<string, CveInfo>;
  fixes: FixRow[];
  builds: BuildRow[];
}

/** A build row with its parsed version and the parsed alternatives. */
export interface IndexedBuild {
  row: BuildRow;
  version: Version;
  alternatives: Version[];
}

export interface BuildIndex {
  data: BuildData;
  byBuild: Map<string, IndexedBuild>;
  /** CU base rows (no SU) by `major.minor.build`. */
  cuRows: Map<string, IndexedBuild>;
  /** Every row of a CU, by `major.minor.build`, sorted by version. */
  cuMembers: Map<string, IndexedBuild[]>;
}

export const PRODUCT_LINE: Record<string, string> = {
  '2010': '14',
  '2013': '15.0',
  '2016': '15.1',
  '2019': '15.2',
  SE: '15.2',
};
export const PRODUCT_NAME: Record<string, string> = {
  '2010': 'Exchange Server 2010',
  '2013': 'Exchange Server 2013',
  '2016': 'Exchange Server 2016',
  '2019': 'Exchange Server 2019',
  SE: 'Exchange Server SE',
};

/** Checks the table's invariants so a bad edit fails at load with the row named, not as a wrong verdict later. */
export function indexBuildData(data: BuildData): BuildIndex {
  const byBuild = new Map<string, IndexedBuild>();
  const cuRows = new Map<string, IndexedBuild>();
  const cuMembers = new Map<string, IndexedBuild[]>();
  const fail = (msg: string): never => {
    throw new Error(`data/exchange-builds.json: ${msg}`);
  };
  for (const row of data.builds) {
    const version = parseVersion(row.build);
    if (!version || version.length !== 4) fail(`bad build "${row.build}"`);
    const v = version as Version;
    const line = PRODUCT_LINE[row.product];
    if (!line || line !== lineKey(v)) fail(`${row.build}: product ${row.product} does not match the version`);
    if (row.sources.length === 0) fail(`${row.build}: no source`);
    for (const s of row.sources) if (!data.sources[s]) fail(`${row.build}: unknown source ${s}`);
    if (!/^\d{4}-\d{2}(-\d{2})?$/.test(row.released)) fail(`${row.build}: bad release date ${row.released}`);
    if (byBuild.has(row.build)) fail(`${row.build}: listed twice`);
    const alternatives = (row.alternatives ?? []).map(
      (a) => parseVersion(a.build) ?? fail(`bad alternative ${a.build}`),
    );
    const entry: IndexedBuild = { row, version: v, alternatives };
    byBuild.set(row.build, entry);
    const key = cuKey(v);
    if (!row.su) cuRows.set(key, entry);
    const members = cuMembers.get(key) ?? [];
    members.push(entry);
    cuMembers.set(key, members);
  }
  for (const [key, members] of cuMembers) {
    if (!cuRows.has(key)) fail(`updates for ${key} without a CU row`);
    members.sort((a, b) => compareVersions(a.version, b.version));
  }
  for (const f of data.fixes) {
    for (const c of f.cves) if (!data.cves[c]) fail(`fix lists unknown ${c}`);
    for (const s of f.sources) if (!data.sources[s]) fail(`fix cites unknown source ${s}`);
  }
  return { data, byBuild, cuRows, cuMembers };
}

let cached: BuildIndex | undefined;

/** The shipped table, read once. The path works from `dist/src/exposure/` and from `src/exposure/`. */
export function buildIndex(): BuildIndex {
  if (!cached) {
    const here = new URL('.', import.meta.url);
    const candidates = ['../../../data/exchange-builds.json', '../../data/exchange-builds.json'];
    let text: string | undefined;
    for (const c of candidates) {
      try {
        text = readFileSync(new URL(c, here), 'utf8');
        break;
      } catch {
        // try the next layout
      }
    }
    if (text === undefined) throw new Error('data/exchange-builds.json not found');
    cached = indexBuildData(JSON.parse(text) as BuildData);
  }
  return cached;
}
