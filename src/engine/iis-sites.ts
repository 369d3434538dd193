// IIS sites on the evidence: reads applicationHost.config and says which site folders the evidence lacks.

import type { Problem } from '../core/problem.js';
import type { Evidence, EvidenceFile } from '../evidence/index.js';
import { mapRoots, physicalPaths } from '../sources/files/site-roots.js';

/** applicationHost.config is tens of KB; a far larger one is not read whole. */
const MAX_IIS_CONFIG = 16 << 20;

/** An IIS site or virtual directory folder in the evidence, the path IIS has for it, and the config naming it. */
export interface SiteRoot {
  folder: string;
  physical: string;
  config: string;
}

/** The evidence folders of every IIS site and virtual directory; folders the evidence cannot hold are reported. */
export async function readSiteRoots(
  ev: Evidence,
  file: EvidenceFile,
  onProblem: (p: Problem) => void,
): Promise<SiteRoot[]> {
  if (file.size > MAX_IIS_CONFIG) {
    onProblem({
      code: 'iis.config-unreadable',
      message: `${file.size} bytes: too large to be applicationHost.config; site roots not read`,
      path: file.path,
      severity: 'limit',
    });
    return [];
  }
  const parts: Buffer[] = [];
  try {
    for await (const chunk of await ev.open(file)) parts.push(chunk as Buffer);
  } catch (e) {
    onProblem({ code: 'iis.config-unreadable', message: String(e), path: file.path, severity: 'error' });
    return [];
  }
  const mapped = mapRoots(file.path, physicalPaths(Buffer.concat(parts).toString('utf8')));
  for (const m of mapped)
    if (m.folder === undefined)
      onProblem({
        code: 'iis.site-root-missing',
        message: `IIS serves ${m.physical}, which is ${m.why ?? 'not in the evidence'}: scripts there were not examined`,
        path: file.path,
        severity: 'warning',
      });
  return mapped.flatMap((m) =>
    m.folder === undefined ? [] : [{ folder: m.folder, physical: m.physical, config: file.path }],
  );
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
