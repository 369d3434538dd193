// Exchange version strings: parse the long (15.01.2375.007) and short (15.1.2375.7) forms, compare them numerically.

/** A parsed version: 3 parts when only the CU is known (OWA resource paths), 4 parts for a full build. */
export type Version = readonly number[];

const VERSION_RE = /^\s*v?(\d{1,5})\.(\d{1,5})\.(\d{1,5})(?:\.(\d{1,5}))?\s*$/;

/** `15.01.2375.007` or `15.1.2375.7` (or the 3-part `15.1.2375`) to numbers; undefined when it is not a version. */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION_RE.exec(text);
  if (!m) return undefined;
  const parts = [m[1], m[2], m[3]].map(Number);
  if (m[4] !== undefined) parts.push(Number(m[4]));
  return parts;
}

/** Short form, `15.1.2375.7`. */
export function formatVersion(v: Version): string {
  return v.join('.');
}

/** Long form as Exchange logs write it, `15.01.2375.007`. */
export function formatLongVersion(v: Version): string {
  const widths = [0, 2, 4, 3];
  return v.map((n, i) => String(n).padStart(widths[i] ?? 0, '0')).join('.');
}

/**
 * Numeric comparison component by component. A missing component counts as 0, so `15.1.2375` sorts before
 * every `15.1.2375.x` build: callers that hold a 3-part version must not read "at or above" from it.
 */
export function compareVersions(a: Version, b: Version): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/**
 * The CU key of a version: major.minor.build, which every CU and SU of one CU shares. Exchange 2010 update
 * rollups change the build part, so there the service pack (major.minor) plays the CU's part.
 */
export function cuKey(v: Version): string {
  return v.slice(0, v[0] === 14 ? 2 : 3).join('.');
}

/** Major.minor: the product line (`15.0` = 2013, `15.1` = 2016, `15.2` = 2019 and SE, `14.x` = 2010). */
export function lineKey(v: Version): string {
  return v[0] === 14 ? '14' : v.slice(0, 2).join('.');
}
