// Finding and decoding rule files: our encoded rules in rules/yara, and the files or folders given by --yara.

import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../../core/problem.js';
import { decodeAtRest } from './encoding.js';
import type { RuleSource } from './types.js';

export const BUILTIN_YARA_DIR = fileURLToPath(new URL('../../../../rules/yara', import.meta.url));

const RULE_FILE = /\.(yar|yara|rule|rules)(\.b64)?$/i;

async function ruleFiles(path: string, problems: Problem[]): Promise<string[]> {
  try {
    const st = await stat(path);
    if (!st.isDirectory()) return [path];
    const out: string[] = [];
    for (const e of (await readdir(path, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) out.push(...(await ruleFiles(join(path, e.name), problems)));
      else if (RULE_FILE.test(e.name)) out.push(join(path, e.name));
    }
    return out;
  } catch (e) {
    problems.push({
      code: 'yara.unreadable',
      message: `cannot read: ${(e as Error).message}`,
      path,
      severity: 'error',
    });
    return [];
  }
}

/** Reads rule files (`*.yar.b64` are decoded in memory), giving each a unique namespace. */
export async function loadRuleSources(
  paths: string[],
  builtin: boolean,
): Promise<{ sources: RuleSource[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const files: { path: string; builtin: boolean }[] = [];
  if (builtin)
    for (const f of await ruleFiles(BUILTIN_YARA_DIR, problems)) files.push({ path: f, builtin: true });
  for (const p of paths)
    for (const f of await ruleFiles(p, problems)) files.push({ path: f, builtin: false });
  const sources: RuleSource[] = [];
  const used = new Set<string>();
  for (const f of files) {
    let text: string;
    try {
      const raw = await readFile(f.path);
      text = f.path.toLowerCase().endsWith('.b64')
        ? decodeAtRest(raw.toString('latin1')).toString('utf8')
        : raw.toString('utf8');
    } catch (e) {
      problems.push({
        code: 'yara.unreadable',
        message: `cannot read or decode: ${(e as Error).message}`,
        path: f.path,
        severity: 'error',
      });
      continue;
    }
    const name = basename(f.path);
    let ns = name.replace(/\.(yar|yara|rule|rules)(\.b64)?$/i, '').replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(ns)) ns = `r_${ns}`;
    for (let i = 2; used.has(ns); i++) ns = `${ns.replace(/_\d+$/, '')}_${i}`;
    used.add(ns);
    sources.push({ path: f.path, name, namespace: ns, text, builtin: f.builtin });
  }
  return { sources, problems };
}
