// Chain of custody for bundles written by the collector (Collect-Exhunt.ps1): the manifest it writes, checked
// against what the bundle holds. Pure: the engine hands in the bundle's listing and the files' hashes.

import type { Problem } from './problem.js';

export const MANIFEST_PATH = 'manifest.json';

interface ManifestFile {
  path: string;
  original: string;
  size: number;
  sha256: string;
  entry?: string;
  modified?: string;
}

interface ManifestSkip {
  original: string;
  reason: string;
  entry?: string;
  size?: number;
  sha256?: string;
}

export interface Manifest {
  format: 'exhunt-collection';
  collector: { name: string; version: string };
  operator?: string;
  host?: string;
  domain?: string;
  timeZone?: { id: string; utcOffsetMinutes?: number };
  installPath?: string;
  startedAt?: string;
  finishedAt?: string;
  since?: string;
  files: ManifestFile[];
  skipped: ManifestSkip[];
}

export interface CustodySection {
  /** The record checked: `manifest.json`, or the other tool's files (several joined by `, `). */
  manifest: string;
  /** Of our collector's manifest; absent for another tool's record. */
  manifestSha256?: string;
  /** `exhunt-collector`, `velociraptor` or `kape`, and the version when the record gives it. */
  collector: { name: string; version?: string };
  operator?: string;
  host?: string;
  domain?: string;
  timeZone?: { id: string; utcOffsetMinutes?: number };
  installPath?: string;
  collectedAt?: string;
  since?: string;
  /** Files the manifest lists as collected, those found with the listed SHA-256, and the rest. */
  files: number;
  verified: number;
  failed: number;
  /** Files the collector saw and did not copy (older than --since, too large, over --max-gb, unreadable). */
  notCollected: number;
  /** Files in the bundle the manifest does not list (added after the collection). */
  unlisted: number;
  /** Another tool's record: files found with the recorded size, for which it holds no hash. */
  sizeOnly?: number;
}

const HEX64 = /^[0-9a-f]{64}$/;
const str = (v: unknown): v is string => typeof v === 'string';

/** The manifest, or why it is not one. Unknown fields are ignored; what the checks need must be there. */
export function parseManifest(data: unknown): Manifest | string {
  if (typeof data !== 'object' || data === null) return 'not a JSON object';
  const m = data as Record<string, unknown>;
  if (m['format'] !== 'exhunt-collection') return 'format is not exhunt-collection';
  const c = m['collector'] as Record<string, unknown> | undefined;
  if (!c || !str(c['name']) || !str(c['version'])) return 'collector name and version missing';
  if (!Array.isArray(m['files'])) return 'files missing';
  const files: ManifestFile[] = [];
  for (const [i, f] of (m['files'] as unknown[]).entries()) {
    const r = f as Record<string, unknown>;
    if (!r || !str(r['path']) || !str(r['original']) || !Number.isSafeInteger(r['size']) || !str(r['sha256']))
      return `files[${i}]: path, original, size and sha256 required`;
    if (!HEX64.test(r['sha256'].toLowerCase())) return `files[${i}]: sha256 is not 64 hex digits`;
    files.push({
      path: r['path'],
      original: r['original'],
      size: r['size'] as number,
      sha256: r['sha256'].toLowerCase(),
      ...(str(r['entry']) ? { entry: r['entry'] } : {}),
      ...(str(r['modified']) ? { modified: r['modified'] } : {}),
    });
  }
  const skipped: ManifestSkip[] = [];
  for (const s of Array.isArray(m['skipped']) ? (m['skipped'] as unknown[]) : []) {
    const r = s as Record<string, unknown>;
    if (!r || !str(r['original']) || !str(r['reason'])) continue;
    skipped.push({
      original: r['original'],
      reason: r['reason'],
      ...(str(r['entry']) ? { entry: r['entry'] } : {}),
      ...(Number.isSafeInteger(r['size']) ? { size: r['size'] as number } : {}),
      ...(str(r['sha256']) ? { sha256: r['sha256'] } : {}),
    });
  }
  const tz = m['timeZone'] as Record<string, unknown> | undefined;
  const opt = (k: string) => (str(m[k]) && m[k] !== '' ? { [k]: m[k] } : {});
  return {
    format: 'exhunt-collection',
    collector: { name: c['name'], version: c['version'] },
    ...opt('operator'),
    ...opt('host'),
    ...opt('domain'),
    ...(tz && str(tz['id'])
      ? {
          timeZone: {
            id: tz['id'],
            ...(Number.isFinite(tz['utcOffsetMinutes'])
              ? { utcOffsetMinutes: tz['utcOffsetMinutes'] as number }
              : {}),
          },
        }
      : {}),
    ...opt('installPath'),
    ...opt('startedAt'),
    ...opt('finishedAt'),
    ...opt('since'),
    files,
    skipped,
  };
}

/** Where the collector puts a Windows path in the bundle: `C:\inetpub\x.log` is `C/inetpub/x.log`. */
export function bundlePathOf(original: string): string | undefined {
  const m = /^([A-Za-z]):\\(.*)$/.exec(original);
  if (m) return `${(m[1] as string).toUpperCase()}/${(m[2] as string).replace(/\\/g, '/')}`;
  const log = /^eventlog:(.+)$/.exec(original);
  return log ? `C/Windows/System32/winevt/Logs/${(log[1] as string).replace(/\//g, '%4')}.evtx` : undefined;
}

interface BundleFacts {
  /** Size of every file of the bundle, by evidence path. */
  sizes: ReadonlyMap<string, number>;
  /** SHA-256 of the files the manifest lists and the bundle holds (undefined: could not be read). */
  hashes: ReadonlyMap<string, string | undefined>;
}

/** Checks the bundle against its manifest: the custody section, and a located problem per disagreement. */
export function verifyCustody(
  m: Manifest,
  manifestSha256: string,
  facts: BundleFacts,
): { custody: CustodySection; problems: Problem[] } {
  const problems: Problem[] = [];
  let verified = 0;
  const listed = new Set<string>([MANIFEST_PATH]);
  m.files.forEach((f, i) => {
    listed.add(f.path);
    const at = `${MANIFEST_PATH} files[${i}] (${f.original})`;
    const size = facts.sizes.get(f.path);
    if (size === undefined) {
      problems.push({
        code: 'custody.missing',
        message: `${at}: listed as collected, not in the bundle`,
        path: f.path,
        bytes: f.size,
        severity: 'error',
      });
      return;
    }
    const got = facts.hashes.get(f.path);
    if (size !== f.size || got !== f.sha256) {
      const said =
        size !== f.size ? `${size} bytes, the manifest says ${f.size}` : `SHA-256 ${got ?? 'unreadable'}`;
      problems.push({
        code: 'custody.hash-mismatch',
        message: `${at}: ${said}; collected with SHA-256 ${f.sha256}: not the file that was collected`,
        path: f.path,
        bytes: size,
        severity: 'error',
      });
      return;
    }
    verified++;
  });
  m.skipped.forEach((s, i) => {
    const path = bundlePathOf(s.original);
    const what = [s.size !== undefined ? `${s.size} bytes` : '', s.sha256 ? `SHA-256 ${s.sha256}` : '']
      .filter(Boolean)
      .join(', ');
    problems.push({
      code: 'custody.not-collected',
      message: `${MANIFEST_PATH} skipped[${i}]: ${s.original} not collected (${s.reason})${what ? `; ${what}` : ''}`,
      ...(path ? { path } : {}),
      ...(s.size !== undefined ? { bytes: s.size } : {}),
      severity: 'warning',
    });
  });
  let unlisted = 0;
  for (const p of facts.sizes.keys()) {
    if (listed.has(p)) continue;
    unlisted++;
    problems.push({
      code: 'custody.unlisted',
      message: `in the bundle but not in ${MANIFEST_PATH}: added after the collection`,
      path: p,
      severity: 'warning',
    });
  }
  const custody: CustodySection = {
    manifest: MANIFEST_PATH,
    manifestSha256,
    collector: m.collector,
    ...(m.operator ? { operator: m.operator } : {}),
    ...(m.host ? { host: m.host } : {}),
    ...(m.domain ? { domain: m.domain } : {}),
    ...(m.timeZone ? { timeZone: m.timeZone } : {}),
    ...(m.installPath ? { installPath: m.installPath } : {}),
    ...((m.finishedAt ?? m.startedAt) ? { collectedAt: m.finishedAt ?? m.startedAt } : {}),
    ...(m.since ? { since: m.since } : {}),
    files: m.files.length,
    verified,
    failed: m.files.length - verified,
    notCollected: m.skipped.length,
    unlisted,
  };
  return { custody, problems };
}
