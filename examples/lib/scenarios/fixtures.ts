// Small scenario builds shared by the scenario tests, and a reader for Exchange CSV logs in a tree.

import { parseCsvRow } from '../csv.js';
import type { Tree } from '../tree.js';
import { SCENARIOS } from './index.js';
import type { Scenario } from './index.js';

const cache = new Map<string, Scenario>();

/** Scale 0.2 keeps every attack step and look-alike while building in a fraction of the time. */
export function small(name: string, seed = 7): Scenario {
  const key = `${name}:${seed}`;
  let s = cache.get(key);
  if (!s) {
    const build = SCENARIOS[name];
    if (!build) throw new Error(`no scenario ${name}`);
    s = build({ seed, scale: 0.2 });
    cache.set(key, s);
  }
  return s;
}

/** Rows of every Exchange CSV log under `dir`, as field maps keyed by the file's `#Fields`. */
export function csvRows(tree: Tree, dir: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const p of tree.paths()) {
    if (!p.includes(dir)) continue;
    let fields: string[] = [];
    for (const line of (tree.text(p) ?? '').split('\r\n')) {
      if (line.startsWith('#Fields: ')) fields = line.slice(9).split(',');
      if (!/^\d{4}-/.test(line) || fields.length === 0) continue;
      const v = parseCsvRow(line);
      out.push(Object.fromEntries(fields.map((f, i) => [f, v[i] ?? ''])));
    }
  }
  return out;
}
