// Test helper: lays out an example tree as Collect-Exhunt.ps1 writes its bundle: the files data/collect.json
// takes (the same choice the script makes), under their drive letter, with manifest.json at the root.

import { createHash } from 'node:crypto';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Tree } from '../../examples/lib/tree.js';
import type { Manifest } from '../core/custody.js';
import { DEFAULT_INSTALL, entryFor, loadPlan } from './plan.js';

/** The folders applicationHost.config names, as the script reads them (environment expanded, drive C:). */
function siteRootsOf(tree: Tree): string[] {
  const config = tree.text('Windows/System32/inetsrv/config/applicationHost.config') ?? '';
  return [...config.matchAll(/physicalPath="([^"]+)"/g)]
    .map((m) => (m[1] as string).replace(/%SystemDrive%/gi, 'C:'))
    .filter((p) => /^C:\\/i.test(p))
    .map((p) => p.slice(3).replace(/\\/g, '/').replace(/\/$/, ''));
}

/** Writes the bundle folder; returns its manifest (as written). */
export async function writeCollectorBundle(tree: Tree, dir: string): Promise<Manifest> {
  const plan = loadPlan();
  const ctx = { install: DEFAULT_INSTALL, siteRoots: siteRootsOf(tree) };
  const files: Manifest['files'] = [];
  const skipped: Manifest['skipped'] = [];
  for (const p of tree.paths()) {
    const e = entryFor(plan, p, ctx);
    if (!e) continue;
    const f = tree.files.get(p)!;
    const original = `C:\\${p.replace(/\//g, '\\')}`;
    const sha256 = createHash('sha256').update(f.data).digest('hex');
    const modified = new Date(f.mtime).toISOString();
    if (e.maxBytes !== undefined && f.data.length > e.maxBytes) {
      skipped.push({ original, entry: e.id, reason: 'larger-than-max-bytes', size: f.data.length, sha256 });
      continue;
    }
    const bundlePath = `C/${p}`;
    const full = path.join(dir, ...bundlePath.split('/'));
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, f.data);
    await utimes(full, f.mtime / 1000, f.mtime / 1000);
    files.push({ path: bundlePath, original, entry: e.id, size: f.data.length, sha256, modified });
  }
  const manifest: Manifest = {
    format: 'exhunt-collection',
    collector: { name: 'Collect-Exhunt.ps1', version: 'test' },
    operator: 'CORP\\responder',
    host: 'EXCH01',
    domain: 'corp.example',
    timeZone: { id: 'W. Europe Standard Time', utcOffsetMinutes: 60 },
    installPath: `C:\\${DEFAULT_INSTALL.replace(/\//g, '\\')}`,
    startedAt: '2023-01-10T09:00:00.000Z',
    finishedAt: '2023-01-10T09:05:00.000Z',
    files,
    skipped,
  };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}
