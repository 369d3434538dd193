// Are we exposed, from the evidence: ExSetup.exe's version, the `#Version` builds over time, web.config mitigations.

import { createHash } from 'node:crypto';
import type { Artifact } from '../core/artifact.js';
import type { Problem } from '../core/problem.js';
import type { ExposureReport } from '../core/report.js';
import type { Evidence, EvidenceFile } from '../evidence/index.js';
import { assessBuild } from '../exposure/assess.js';
import { buildTimeline, mitigationsFromWebConfig, readPeFileVersion } from '../exposure/index.js';

/** A `#Version` line seen in an Exchange log: the build that wrote it, when, and where. */
export interface VersionSeen {
  build: string;
  time?: string;
  path: string;
}

type ExposureFileKind = 'exsetup' | 'web-config';

/** ExSetup.exe gives the installed build; wwwroot's web.config and the front end's hold URL Rewrite mitigations. */
export function exposureFileKind(pathLower: string): ExposureFileKind | undefined {
  if (/(^|\/)bin\/exsetup\.exe$/.test(pathLower)) return 'exsetup';
  if (/(^|\/)inetpub\/wwwroot\/web\.config$/.test(pathLower)) return 'web-config';
  if (/(^|\/)frontend\/httpproxy\/([^/]+\/)*web\.config$/.test(pathLower)) return 'web-config';
  return undefined;
}

/** ExSetup.exe is a few hundred KB; anything far larger is not it and is not read whole. */
const MAX_EXPOSURE_FILE = 64 << 20;

export async function collectExposure(
  ev: Evidence,
  files: readonly EvidenceFile[],
  versions: readonly VersionSeen[],
  problems: Problem[],
  artifacts: Artifact[],
): Promise<ExposureReport | undefined> {
  let peBuild: string | undefined;
  const mitigations: ExposureReport['mitigations'] = [];
  const notes: string[] = [];
  for (const file of files) {
    const kind = exposureFileKind(file.path.toLowerCase());
    if (!kind) continue;
    if (file.size > MAX_EXPOSURE_FILE) {
      problems.push({
        code: 'limit.exposure-file',
        message: `${file.size} bytes: too large to be ${kind}; not read`,
        path: file.path,
        severity: 'limit',
      });
      continue;
    }
    const bytes = await readAll(ev, file, problems);
    if (!bytes) continue;
    artifacts.push({
      path: file.path,
      source: kind,
      family: 'Configuration',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      records: 1,
      badRecords: 0,
      ...(file.modified ? { modified: file.modified } : {}),
    });
    if (kind === 'exsetup') {
      const pe = await readPeFileVersion(
        (offset, length) => Promise.resolve(bytes.subarray(offset, offset + length)),
        bytes.length,
      );
      if (pe.ok) peBuild = pe.fileVersion;
      else
        problems.push({
          code: 'pe.unreadable',
          message: `no version resource: ${pe.error}`,
          path: file.path,
          ...(pe.offset !== undefined ? { offset: pe.offset } : {}),
          severity: 'warning',
        });
    } else {
      const found = mitigationsFromWebConfig(bytes.toString('utf8'), file.path);
      problems.push(...found.problems);
      for (const m of found.mitigations)
        if (m.state !== 'absent') mitigations.push({ path: file.path, ...m });
      for (const o of found.overrides)
        notes.push(
          `${file.path}:${o.line}: <${o.kind}${o.name ? ` name="${o.name}"` : ''}> may cancel inherited URL Rewrite mitigations`,
        );
    }
  }
  // Some logs (the OAB generator's) write a placeholder `15.0.0.0` rather than the build: not a build.
  const real = versions.filter((v) => !/^\d+\.0+\.0+\.0+$/.test(v.build.trim()));
  const timeline = buildTimeline(
    real.map((v) => ({ build: v.build, path: v.path, ...(v.time ? { time: v.time } : {}) })),
  );
  for (const u of timeline.unreadable)
    problems.push({
      code: 'exposure.bad-version',
      message: `#Version "${u.build}" is not a build number`,
      path: u.path,
      severity: 'warning',
    });
  const newest = timeline.builds.reduce<(typeof timeline.builds)[number] | undefined>(
    (best, b) => (!best || (b.last ?? '') > (best.last ?? '') ? b : best),
    undefined,
  );
  const build = peBuild ?? newest?.build;
  if (!build && mitigations.length === 0) return undefined;
  const report: ExposureReport = {
    cves: [],
    missing: [],
    timeline: { builds: timeline.builds, changes: timeline.changes, windows: timeline.windows },
    mitigations,
    notes,
  };
  if (build) {
    const a = assessBuild(build);
    report.build = build;
    report.buildSource = peBuild ? 'ExSetup.exe' : 'log-version';
    if (a.productName) report.productName = a.productName;
    if (a.cu) report.cu = a.cu;
    report.cves = a.cves.map((c) => ({
      cve: c.cve,
      campaign: c.campaign,
      state: c.state,
      reason: c.reason,
      ...(c.fix ? { fix: c.fix } : {}),
    }));
    report.missing = a.missing;
    notes.push(...a.notes);
    if (!peBuild)
      notes.push(
        'build taken from the newest #Version line in the logs; ExSetup.exe was not in the evidence',
      );
  }
  return report;
}

async function readAll(ev: Evidence, file: EvidenceFile, problems: Problem[]): Promise<Buffer | undefined> {
  try {
    const parts: Buffer[] = [];
    // Damage that does not stop the read (a CRC, a size) is reported and the bytes still used.
    for await (const c of await ev.open(file, undefined, (p) => problems.push(p))) parts.push(c as Buffer);
    return Buffer.concat(parts);
  } catch (e) {
    problems.push({
      code: 'evidence.read-failed',
      message: e instanceof Error ? e.message : String(e),
      path: file.path,
      severity: 'error',
    });
    return undefined;
  }
}
