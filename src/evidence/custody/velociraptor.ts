// A Velociraptor offline collection: `uploads.json` lists every file it stored under `uploads/`, with the
// original path and sizes (rows of JSON, one a line); result rows of an artifact that called `upload()`
// carry the stored name with its SHA-256 and MD5. `client_info.json` names the host and
// `collection_context.json` says when the collection was made.

import { escapeName } from '../../core/drive-folder.js';
import type { Problem } from '../../core/problem.js';
import type { CustodyEntry, CustodyManifest, ReadText } from './types.js';

/** The folder (evidence-relative, `''` or ending in `/`) of a Velociraptor collection, from its file list. */
export function velociraptorRoot(paths: readonly string[]): string | undefined {
  let lower: Set<string> | undefined;
  for (const p of paths) {
    const m = /^(.*?)uploads\.json$/i.exec(p);
    if (!m) continue;
    lower ??= new Set(paths.map((q) => q.toLowerCase()));
    const dir = m[1] as string;
    if (dir !== '' && !dir.endsWith('/')) continue;
    const d = dir.toLowerCase();
    if (
      lower.has(`${d}collection_context.json`) ||
      paths.some((q) => q.toLowerCase().startsWith(`${d}uploads/`))
    )
      return dir;
  }
  return undefined;
}

type Row = Record<string, unknown>;

function jsonLines(text: string, path: string, problems: Problem[]): { row: Row; line: number }[] {
  const out: { row: Row; line: number }[] = [];
  text.split('\n').forEach((raw, i) => {
    const t = raw.trim();
    if (!t) return;
    try {
      const v: unknown = JSON.parse(t);
      if (v && typeof v === 'object' && !Array.isArray(v)) out.push({ row: v as Row, line: i + 1 });
      else throw new Error('not an object');
    } catch (e) {
      problems.push({
        code: 'custody.bad-entry',
        message: `a row of the collection's listing could not be read: ${e instanceof Error ? e.message : String(e)}`,
        path,
        line: i + 1,
        severity: 'warning',
      });
    }
  });
  return out;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const hex = (v: unknown, len: number) =>
  typeof v === 'string' && new RegExp(`^[0-9a-f]{${len}}$`, 'i').test(v) ? v.toLowerCase() : undefined;

/** `["uploads","auto","C:","Program Files",...]` → `uploads/auto/C%3A/Program Files/...` under the root. */
function storedPath(root: string, components: unknown): string | undefined {
  if (!Array.isArray(components) || !components.every((c) => typeof c === 'string')) return undefined;
  return root + components.map(escapeName).join('/');
}

/** Velociraptor's times: seconds, milliseconds or microseconds since the epoch, or an RFC 3339 string. */
function isoOf(v: unknown): string | undefined {
  const n = num(v);
  if (n !== undefined && n > 0) {
    const ms = n > 1e14 ? n / 1000 : n > 1e11 ? n : n * 1000;
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  const s = str(v);
  if (s && !Number.isNaN(Date.parse(s))) return new Date(s).toISOString();
  return undefined;
}

export async function readVelociraptor(
  root: string,
  paths: readonly string[],
  read: ReadText,
): Promise<CustodyManifest> {
  const problems: Problem[] = [];
  const listing = `${root}uploads.json`;
  const manifests = [listing];
  const entries = new Map<string, CustodyEntry>();
  for (const { row, line } of jsonLines((await read(listing)) ?? '', listing, problems)) {
    if (str(row.Type) === 'idx') continue;
    const path = storedPath(root, row._Components);
    const source = str(row.vfs_path) ?? path ?? '';
    const size = num(row.uploaded_size);
    const entry: CustodyEntry = {
      source,
      line,
      ...(path ? { path } : {}),
      ...(size !== undefined ? { size } : {}),
    };
    const sha256 = hex(row.sha256 ?? row.Sha256, 64);
    const md5 = hex(row.md5 ?? row.Md5, 32);
    if (sha256) entry.sha256 = sha256;
    if (md5) entry.md5 = md5;
    entries.set((path ?? source).toLowerCase(), entry);
  }
  // Result rows of artifacts that uploaded (ours: Exchange.Exhunt.Collect) hold the hashes of what they stored.
  for (const p of paths) {
    if (!p.toLowerCase().startsWith(`${root.toLowerCase()}results/`) || !/\.json$/i.test(p)) continue;
    const text = await read(p);
    if (!text || !/"StoredName"/.test(text)) continue;
    let used = false;
    for (const { row } of jsonLines(text, p, problems)) {
      const up = row.Upload;
      if (!up || typeof up !== 'object') continue;
      const u = up as Row;
      const path = storedPath(root, u.Components);
      const entry = path ? entries.get(path.toLowerCase()) : undefined;
      if (!entry) continue;
      const sha256 = hex(u.sha256 ?? u.Sha256, 64);
      const md5 = hex(u.md5 ?? u.Md5, 32);
      if (sha256) entry.sha256 = sha256;
      if (md5) entry.md5 = md5;
      used ||= !!(sha256 || md5);
    }
    if (used) manifests.push(p);
  }
  const manifest: CustodyManifest = {
    tool: 'velociraptor',
    manifests,
    entries: [...entries.values()],
    problems,
  };
  const info = parseObject(await read(`${root}client_info.json`));
  const host = str(info?.Hostname) ?? str(info?.Fqdn);
  if (host) manifest.host = host;
  const context = parseObject(await read(`${root}collection_context.json`));
  const at = isoOf(context?.create_time) ?? isoOf(context?.start_time);
  if (at) manifest.collectedAt = at;
  return manifest;
}

function parseObject(text: string | undefined): Row | undefined {
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Row) : undefined;
  } catch {
    return undefined;
  }
}
