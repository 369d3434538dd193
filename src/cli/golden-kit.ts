// Shared by the golden tests: generate an example scenario on disk, scan it through the CLI, read the JSON.

import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { SCENARIOS } from '../../examples/lib/scenarios/index.js';
import type { Finding } from '../core/finding.js';
import type { ScanReport } from '../core/report.js';
import { main } from './main.js';

export const INSTALL = 'Program Files/Microsoft/Exchange Server/V15';

export async function scanJson(
  target: string,
  flags: string[] = [],
): Promise<{ code: number; report: ScanReport }> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (c: Buffer) => parts.push(c));
  const code = await main(['scan', target, '--json', '-', '--threads', '2', ...flags], {
    out,
    err: new PassThrough(),
    outIsTty: false,
    errIsTty: false,
  });
  return { code, report: JSON.parse(Buffer.concat(parts).toString()) as ScanReport };
}

/** Writes scenario `name` (seed 1, full size) under a new temporary folder; the folder, or its zip. */
export async function generate(name: string, zip = false): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), `exhunt-golden-${name}-`));
  const s = SCENARIOS[name]!({ seed: 1, scale: 1 });
  await s.tree.write(path.join(root, name));
  if (!zip) return path.join(root, name);
  const file = path.join(root, `${name}.zip`);
  await s.tree.zip(file, name);
  return file;
}

export const raising = (f: Finding) =>
  ['probe', 'attempt', 'success', 'compromise', 'suspicious'].includes(f.outcome);
export const byRule = (r: ScanReport, id: string) => r.findings.filter((f) => f.rule.id === id);
