// Build lookup: which product, CU and update a version string names, with release date and KB.

import { buildIndex, PRODUCT_NAME, type BuildIndex, type IndexedBuild } from './data.js';
import { cuKey, formatVersion, parseVersion, type Version } from './version.js';

export interface BuildInfo {
  /** The version as given, normalised to the short form. */
  version: string;
  /** `full` = 4 parts; `cu` = 3 parts (an OWA resource path), which names the CU but not the SU. */
  precision: 'full' | 'cu';
  product?: string;
  productName?: string;
  cu?: string;
  /** Set only when the build is exactly a listed update. */
  su?: string;
  released?: string;
  kb?: string;
  /** The exact build is a row of the table. */
  listed: boolean;
  /** For an unlisted full build on a known CU: the newest listed update at or below it. */
  atLeast?: string;
}

/** Product from the version alone, for builds on CUs the table does not list. */
function productOf(v: Version): string | undefined {
  if (v[0] === 14) return '2010';
  if (v[0] !== 15) return undefined;
  if (v[1] === 0) return '2013';
  if (v[1] === 1) return '2016';
  if (v[1] === 2) return (v[2] ?? 0) >= 2562 ? 'SE' : '2019';
  return undefined;
}

export function lookupVersion(v: Version, index: BuildIndex = buildIndex()): BuildInfo {
  const version = formatVersion(v);
  const product = productOf(v);
  const info: BuildInfo = { version, precision: v.length === 4 ? 'full' : 'cu', listed: false };
  if (product) {
    info.product = product;
    info.productName = PRODUCT_NAME[product];
  }
  const cuRow = index.cuRows.get(cuKey(v));
  if (!cuRow) return info;
  info.product = cuRow.row.product;
  info.productName = PRODUCT_NAME[cuRow.row.product];
  info.cu = cuRow.row.cu;
  if (v.length === 3) {
    info.released = cuRow.row.released;
    info.kb = cuRow.row.kb;
    return info;
  }
  const exact: IndexedBuild | undefined = index.byBuild.get(version);
  if (exact) {
    info.listed = true;
    info.su = exact.row.su;
    info.released = exact.row.released;
    info.kb = exact.row.kb;
    return info;
  }
  const below = (index.cuMembers.get(cuKey(v)) ?? []).filter((m) => compareParts(m.version, v) <= 0).pop();
  if (below) info.atLeast = below.row.su ?? below.row.cu;
  return info;
}

function compareParts(a: Version, b: Version): number {
  for (let i = 0; i < 4; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** Lookup from text; undefined when the text is not a version. */
export function lookupBuild(text: string, index?: BuildIndex): BuildInfo | undefined {
  const v = parseVersion(text);
  return v ? lookupVersion(v, index) : undefined;
}
