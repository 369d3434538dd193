// The collection plan (data/collect.json): what the collector gathers, validated at load, and the one
// matcher the tests use to prove the plan and the scan's discovery agree.

import { readFileSync } from 'node:fs';

type PlanRoot = 'system' | 'install' | 'site';

export interface PlanEntry {
  id: string;
  why: string;
  root: PlanRoot;
  /** `/`-separated, relative to the root; empty for the root itself. */
  folder: string;
  recurse: boolean;
  /** File name patterns with `*`, the `@` lists already expanded. */
  names: string[];
  /** Skipped when last written before --since. */
  since: boolean;
  maxBytes?: number;
  overMax: 'list' | 'skip';
  /** False for files kept for the responder that the scan does not read. */
  scan: boolean;
  /** A path (relative to the system drive, the install path at its default place) the entry takes. */
  example: string;
}

export interface CollectPlan {
  about: string;
  limits: { maxTotalGB: number; throttle: number };
  patterns: { scripts: string[]; staged: string[] };
  files: PlanEntry[];
  eventLogs: { channel: string; why: string }[];
  facts: Record<string, string>;
}

/** Where the example paths put Exchange: its default install folder on the system drive. */
export const DEFAULT_INSTALL = 'Program Files/Microsoft/Exchange Server/V15';

const ROOTS: readonly PlanRoot[] = ['system', 'install', 'site'];
// Names and folders go into PowerShell single-quoted strings and wildcard patterns: keep them plain.
const SAFE_NAME = /^[A-Za-z0-9*._ -]+$/;
const SAFE_FOLDER = /^([A-Za-z0-9._ ()-]+(\/[A-Za-z0-9._ ()-]+)*)?$/;
const SAFE_CHANNEL = /^[A-Za-z0-9 ./-]+$/;

export function validatePlan(data: unknown): string[] {
  const errors: string[] = [];
  if (!isObj(data)) return ['not an object'];
  if (typeof data['about'] !== 'string') errors.push('about: missing');
  const limits = data['limits'];
  if (!isObj(limits) || !(Number(limits['maxTotalGB']) > 0) || !Number.isInteger(limits['throttle']))
    errors.push('limits: maxTotalGB (> 0) and throttle (integer) required');
  const patterns = data['patterns'];
  for (const k of ['scripts', 'staged']) {
    const list = isObj(patterns) ? patterns[k] : undefined;
    if (!Array.isArray(list) || !list.every((n) => typeof n === 'string' && SAFE_NAME.test(n)))
      errors.push(`patterns.${k}: a list of file name patterns`);
  }
  const ids = new Set<string>();
  const files = data['files'];
  if (!Array.isArray(files)) errors.push('files: missing');
  (Array.isArray(files) ? files : []).forEach((f: unknown, i) => {
    const where = `files[${i}]`;
    if (!isObj(f)) return void errors.push(`${where}: not an object`);
    const id = f['id'];
    if (typeof id !== 'string' || !/^[a-z0-9-]+$/.test(id) || ids.has(id))
      errors.push(`${where}: id must be unique, lower-case`);
    else ids.add(id);
    if (typeof f['why'] !== 'string') errors.push(`${where}: why missing`);
    if (!ROOTS.includes(f['root'] as PlanRoot)) errors.push(`${where}: root must be ${ROOTS.join(', ')}`);
    const folder = f['folder'];
    if (typeof folder !== 'string' || !SAFE_FOLDER.test(folder) || /(^|\/)\.\.?(\/|$)/.test(folder))
      errors.push(`${where}: folder must be a plain /-separated relative path`);
    const names = f['names'];
    if (
      !Array.isArray(names) ||
      names.length === 0 ||
      !names.every((n) => typeof n === 'string' && (n === '@scripts' || n === '@staged' || SAFE_NAME.test(n)))
    )
      errors.push(`${where}: names must be file name patterns`);
    for (const k of ['recurse', 'since', 'scan'])
      if (f[k] !== undefined && typeof f[k] !== 'boolean')
        errors.push(`${where}: ${k} must be true or false`);
    if (f['maxBytes'] !== undefined && !(Number.isInteger(f['maxBytes']) && (f['maxBytes'] as number) > 0))
      errors.push(`${where}: maxBytes must be a positive integer`);
    if (f['overMax'] !== undefined && f['overMax'] !== 'list' && f['overMax'] !== 'skip')
      errors.push(`${where}: overMax must be list or skip`);
    if (typeof f['example'] !== 'string') errors.push(`${where}: example missing`);
  });
  const logs = data['eventLogs'];
  if (!Array.isArray(logs)) errors.push('eventLogs: missing');
  (Array.isArray(logs) ? logs : []).forEach((l: unknown, i) => {
    if (!isObj(l) || typeof l['channel'] !== 'string' || !SAFE_CHANNEL.test(l['channel']))
      errors.push(`eventLogs[${i}]: channel must be a plain channel name`);
  });
  const facts = data['facts'];
  if (!isObj(facts) || !Object.values(facts).every((v) => typeof v === 'string'))
    errors.push('facts: an object of descriptions');
  return errors;
}

/** Reads and validates the plan; a broken plan is a packaging bug, so it throws with every problem. */
export function loadPlan(url: URL = new URL('../../../data/collect.json', import.meta.url)): CollectPlan {
  const data: unknown = JSON.parse(readFileSync(url, 'utf8'));
  const errors = validatePlan(data);
  if (errors.length > 0) throw new Error(`${url.pathname}: ${errors.join('; ')}`);
  const raw = data as Omit<CollectPlan, 'files'> & { files: Record<string, unknown>[] };
  const expand = (n: string) =>
    n === '@scripts' ? raw.patterns.scripts : n === '@staged' ? raw.patterns.staged : [n];
  return {
    ...raw,
    files: raw.files.map((f) => ({
      id: f['id'] as string,
      why: f['why'] as string,
      root: f['root'] as PlanRoot,
      folder: f['folder'] as string,
      recurse: f['recurse'] === true,
      names: (f['names'] as string[]).flatMap(expand),
      since: f['since'] === true,
      ...(f['maxBytes'] !== undefined ? { maxBytes: f['maxBytes'] as number } : {}),
      overMax: f['overMax'] === 'list' ? 'list' : 'skip',
      scan: f['scan'] !== false,
      example: f['example'] as string,
    })),
  };
}

/** PowerShell's `-like` on a file name: `*` any characters, case ignored. */
export function nameMatches(pattern: string, name: string): boolean {
  const re = pattern
    .split('*')
    .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${re}$`, 'i').test(name);
}

export interface PlaceContext {
  /** The Exchange install folder, relative to the system drive (`Program Files/Microsoft/Exchange Server/V15`). */
  install: string;
  /** IIS site folders relative to the system drive. */
  siteRoots: readonly string[];
}

/**
 * The first entry that takes a file (path relative to the system drive, `/`-separated), as the collector
 * script decides it: the entry's folder under its root, directly or (with `recurse`) below, and a name pattern.
 */
export function entryFor(plan: CollectPlan, path: string, ctx: PlaceContext): PlanEntry | undefined {
  const lower = path.toLowerCase();
  const slash = lower.lastIndexOf('/');
  const dir = lower.slice(0, slash + 1);
  const name = path.slice(slash + 1);
  for (const e of plan.files) {
    const bases =
      e.root === 'system' ? [''] : e.root === 'install' ? [ctx.install] : ctx.siteRoots.map((r) => r);
    for (const b of bases) {
      const base = [b, e.folder].filter((s) => s !== '').join('/');
      const folder = base === '' ? '' : `${base.toLowerCase()}/`;
      const inside = e.recurse ? dir.startsWith(folder) : dir === folder;
      if (inside && e.names.some((n) => nameMatches(n, name))) return e;
    }
  }
  return undefined;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
