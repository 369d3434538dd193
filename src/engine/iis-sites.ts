// IIS sites on the evidence: reads applicationHost.config and says which site folders the evidence lacks.

import type { Problem } from '../core/problem.js';
import type { Evidence, EvidenceFile } from '../evidence/index.js';
import { MAX_IIS_CONFIG } from '../sources/iis-config/index.js';
import { decodeConfig } from '../sources/iis-config/modules.js';
import { mapRoots, physicalPaths } from '../sources/iis-config/site-roots.js';

/** An IIS site or virtual directory folder in the evidence, the path IIS has for it, and the config naming it. */
export interface SiteRoot {
  folder: string;
  physical: string;
  config: string;
}

/**
 * The evidence folders of every IIS site and virtual directory; folders the evidence cannot hold are
 * reported. The bytes read come back too, so that the file's own reading (its modules) does not read it again.
 */
export async function readSiteRoots(
  ev: Evidence,
  file: EvidenceFile,
  onProblem: (p: Problem) => void,
): Promise<{ roots: SiteRoot[]; bytes?: Buffer }> {
  if (file.size > MAX_IIS_CONFIG) {
    onProblem({
      code: 'iis.config-unreadable',
      message: `${file.size} bytes: too large to be applicationHost.config; site roots not read`,
      path: file.path,
      severity: 'limit',
    });
    return { roots: [] };
  }
  const parts: Buffer[] = [];
  try {
    // Damage a container reports while reading (a zip entry's checksum) is said here: this is the one read.
    for await (const chunk of await ev.open(file, undefined, onProblem))
      parts.push(Buffer.from(chunk as Buffer));
  } catch (e) {
    onProblem({ code: 'iis.config-unreadable', message: String(e), path: file.path, severity: 'error' });
    return { roots: [] };
  }
  const bytes = Buffer.concat(parts);
  const mapped = mapRoots(file.path, physicalPaths(decodeConfig(bytes)));
  for (const m of mapped)
    if (m.folder === undefined)
      onProblem({
        code: 'iis.site-root-missing',
        message: `IIS serves ${m.physical}, which is ${m.why ?? 'not in the evidence'}: scripts there were not examined`,
        path: file.path,
        severity: 'warning',
      });
  const roots = mapped.flatMap((m) =>
    m.folder === undefined ? [] : [{ folder: m.folder, physical: m.physical, config: file.path }],
  );
  return { roots, bytes };
}

/** Site folders no evidence file lies under: IIS serves them, but their files were not collected. */
export function missingRoots(roots: readonly SiteRoot[], dirs: ReadonlySet<string>): Problem[] {
  return roots
    .filter((r) => ![...dirs].some((d) => d.startsWith(r.folder)))
    .map((r) => ({
      code: 'iis.site-root-missing',
      message: `IIS serves ${r.physical}, which is not in the evidence: scripts there were not examined`,
      path: r.config,
      severity: 'warning' as const,
    }));
}
