// A Sigma rule pack's upload checked the way a scan will load it: written out as a folder and loaded by the
// engine (filters, compile per source), so the count and problems the analyst sees are the scan's own.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Problem } from '../../core/problem.js';
import { loadRulePacks } from '../../engine/sigma.js';

export async function checkRulePack(
  text: string,
  name: string,
): Promise<{ rules: number; problems: Problem[] }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-pack-'));
  try {
    const file = path.join(dir, 'pack.yml');
    await writeFile(file, text);
    const packs = await loadRulePacks({ builtinRules: false, rulePaths: [dir], mappingPaths: [] });
    const problems: Problem[] = packs.errors.map((e) => ({
      code: e.code,
      message: `${e.ruleId ? `${e.ruleId}: ` : ''}${e.message}`,
      path: name,
      ...(e.line ? { line: e.line } : {}),
      severity: 'warning',
    }));
    return { rules: packs.compiled.size + packs.correlations.length, problems };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
