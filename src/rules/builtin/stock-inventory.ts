// The stock inventory (data/exchange-web-inventory.json): which script files Exchange ships in its web trees.

import { readFileSync } from 'node:fs';

export interface InventoryData {
  sources: Record<string, { title: string; url: string }>;
  completeness: Record<string, { complete: boolean; note: string }>;
  folders: Record<string, { files: string[]; sources: string[] }>;
}

/** The two trees the inventory covers, as they appear under the install folder (lower-case). */
const TREES = ['frontend/httpproxy', 'clientaccess'] as const;
export type Tree = (typeof TREES)[number];

interface Inventory {
  /** Is `rel` (path below the install folder, lower-case, forward slashes) a shipped script file? */
  shipped(rel: string): boolean;
  /** Whether the inventory of a tree lists every shipped script (from the data file). */
  complete(tree: Tree): boolean;
  /** The shipped names (lower-case) of one folder below the install folder. */
  filesIn(folder: string): string[];
}

/** Checks the data's shape and references; throws with what is wrong, so a bad edit fails at load. */
export function indexInventory(data: InventoryData): Inventory {
  const fail = (msg: string): never => {
    throw new Error(`data/exchange-web-inventory.json: ${msg}`);
  };
  if (typeof data !== 'object' || data === null) fail('not an object');
  for (const [id, s] of Object.entries(data.sources ?? fail('no sources')))
    if (typeof s?.title !== 'string' || !/^https:\/\//.test(s?.url ?? ''))
      fail(`source ${id} needs a title and an https url`);
  for (const t of TREES)
    if (
      typeof data.completeness?.[Object.keys(data.completeness).find((k) => k.toLowerCase() === t) ?? '']
        ?.complete !== 'boolean'
    )
      fail(`completeness of ${t} missing`);
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const [folder, entry] of Object.entries(data.folders ?? fail('no folders'))) {
    const lower = folder.toLowerCase();
    if (!TREES.some((t) => lower === t || lower.startsWith(`${t}/`)))
      fail(`folder ${folder} is outside the web trees`);
    if (!Array.isArray(entry.files) || entry.files.length === 0) fail(`folder ${folder} lists no files`);
    if (!Array.isArray(entry.sources) || entry.sources.length === 0) fail(`folder ${folder} cites no source`);
    for (const s of entry.sources) if (!data.sources[s]) fail(`folder ${folder} cites unknown source ${s}`);
    for (const f of entry.files) {
      if (typeof f !== 'string' || !/^[\w.-]+$/.test(f)) fail(`folder ${folder}: bad file name ${String(f)}`);
      if (lower.includes('*')) {
        const re = lower.split('/').map((seg) => (seg === '*' ? '[^/]+' : seg.replace(/[.-]/g, '\\$&')));
        patterns.push(new RegExp(`^${re.join('/')}/${f.toLowerCase().replace(/[.-]/g, '\\$&')}$`));
      } else exact.add(`${lower}/${f.toLowerCase()}`);
    }
  }
  const completeness = new Map(
    Object.entries(data.completeness).map(([k, v]) => [k.toLowerCase(), v.complete] as const),
  );
  return {
    shipped: (rel) => exact.has(rel) || patterns.some((p) => p.test(rel)),
    filesIn: (folder) =>
      [...exact]
        .filter((p) => p.startsWith(`${folder}/`) && !p.slice(folder.length + 1).includes('/'))
        .map((p) => p.slice(folder.length + 1)),
    complete: (tree) => completeness.get(tree) ?? false,
  };
}

let cached: Inventory | undefined;

/** The shipped inventory, read once; the path works from `dist/src/rules/builtin/` and from `src/rules/builtin/`. */
export function stockInventory(): Inventory {
  if (!cached) {
    const here = new URL('.', import.meta.url);
    let text: string | undefined;
    for (const c of [
      '../../../../data/exchange-web-inventory.json',
      '../../../data/exchange-web-inventory.json',
    ]) {
      try {
        text = readFileSync(new URL(c, here), 'utf8');
        break;
      } catch {
        // try the next layout
      }
    }
    if (text === undefined) throw new Error('data/exchange-web-inventory.json not found');
    cached = indexInventory(JSON.parse(text) as InventoryData);
  }
  return cached;
}

/** Where a path (lower-case, forward slashes) sits in an Exchange web tree: the tree and the path below the install. */
export function exchangeTreePath(pathLower: string): { tree: Tree; rel: string } | undefined {
  for (const t of TREES) {
    const at = pathLower.startsWith(`${t}/`) ? 0 : pathLower.indexOf(`/${t}/`) + 1;
    if (at > 0 || pathLower.startsWith(`${t}/`)) return { tree: t, rel: pathLower.slice(at) };
  }
  return undefined;
}
