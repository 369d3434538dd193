// The security and backup products' folders and update package names (data/security-products.json), validated at load.

import { readFileSync } from 'node:fs';

type StagedKind = 'archive' | 'dump';

interface VendorFolderRow {
  product: string;
  kind: string;
  root: string;
  path: string;
  kinds: StagedKind[];
  confidence: 'documented' | 'well-known';
  sources: string[];
}

interface UpdateFileRow {
  product: string;
  /** File name, case-insensitive: `*` any run, `?` one character, `#` one digit. */
  name: string;
  confidence: 'documented' | 'well-known';
  sources: string[];
}

interface SecurityProducts {
  sources: Record<string, { title: string; url?: string; note?: string }>;
  folders: VendorFolderRow[];
  updateFiles: UpdateFileRow[];
}

/** What excuses a staged file: a product's folder or an update package's name. */
interface VendorMatch {
  product: string;
  how: 'folder' | 'update-package';
  /** The folder as the table spells it (`ProgramData/Sophos`) or the name pattern. */
  pattern: string;
  sources: string[];
}

/** Where a row's folder may start; Windows/Temp is where update agents unpack. */
const ROOTS = ['ProgramData', 'Program Files', 'Program Files (x86)', 'Windows/Temp'];
const KINDS: readonly string[] = ['archive', 'dump'];
const CONFIDENCE: readonly string[] = ['documented', 'well-known'];
const PART = /^[^/\\*?:<>|"]*(\*[^/\\*?:<>|"]*)*$/;

/** Every problem of the table, as `row: message`; empty when it is sound. */
export function validateSecurityProducts(data: unknown): string[] {
  const errors: string[] = [];
  if (!isObj(data)) return ['the table is not an object'];
  const sources = data['sources'];
  if (!isObj(sources)) errors.push('sources: missing or not an object');
  const known = new Set(isObj(sources) ? Object.keys(sources) : []);
  for (const [id, s] of Object.entries(isObj(sources) ? sources : {})) {
    if (!isObj(s) || typeof s['title'] !== 'string' || s['title'].length === 0)
      errors.push(`sources.${id}: needs a title`);
    else if (s['url'] !== undefined && (typeof s['url'] !== 'string' || !/^https?:\/\/\S+$/.test(s['url'])))
      errors.push(`sources.${id}: url is not an http(s) address`);
    else if (s['url'] === undefined && typeof s['note'] !== 'string')
      errors.push(`sources.${id}: without a url it needs a note saying where the fact comes from`);
  }
  const cite = (where: string, row: Record<string, unknown>) => {
    const list = row['sources'];
    if (!Array.isArray(list) || list.length === 0) errors.push(`${where}: needs at least one source`);
    else
      for (const s of list) if (!known.has(String(s))) errors.push(`${where}: unknown source ${String(s)}`);
    if (typeof row['product'] !== 'string' || row['product'].length === 0)
      errors.push(`${where}: needs a product`);
    if (!CONFIDENCE.includes(String(row['confidence'])))
      errors.push(`${where}: confidence must be ${CONFIDENCE.join(' or ')}`);
  };
  const folders = data['folders'];
  if (!Array.isArray(folders) || folders.length === 0) errors.push('folders: missing or empty');
  (Array.isArray(folders) ? folders : []).forEach((row: unknown, i) => {
    const where = `folders[${i}]`;
    if (!isObj(row)) return void errors.push(`${where}: not an object`);
    cite(where, row);
    if (!ROOTS.includes(String(row['root'])))
      errors.push(`${where}: root must be one of ${ROOTS.join(', ')}`);
    const path = row['path'];
    if (typeof path !== 'string' || path.length === 0 || path.startsWith('/') || path.endsWith('/'))
      errors.push(`${where}: path must be a relative folder without leading or trailing /`);
    else if (!path.split('/').every((p) => p.length > 0 && PART.test(p) && p !== '..' && p !== '.'))
      errors.push(`${where}: path has an empty, relative or invalid folder name`);
    else if (path.split('/')[0] === '*') errors.push(`${where}: path may not start with a wildcard`);
    const kinds = row['kinds'];
    if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every((k) => KINDS.includes(String(k))))
      errors.push(`${where}: kinds must list archive and/or dump`);
  });
  const files = data['updateFiles'];
  if (!Array.isArray(files)) errors.push('updateFiles: missing');
  (Array.isArray(files) ? files : []).forEach((row: unknown, i) => {
    const where = `updateFiles[${i}]`;
    if (!isObj(row)) return void errors.push(`${where}: not an object`);
    cite(where, row);
    const name = row['name'];
    // A pattern must name something: three fixed characters before the extension, so `*.zip` never slips in.
    const stem = typeof name === 'string' ? name.replace(/\.[a-z0-9]+$/i, '') : '';
    if (typeof name !== 'string' || /[/\\]/.test(name) || stem.replace(/[*?#]/g, '').length < 3)
      errors.push(`${where}: name must be a file name pattern with at least three fixed characters`);
  });
  return errors;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads and validates the table; a broken table is a packaging bug, so it throws with every problem. */
export function loadSecurityProducts(
  url: URL = new URL('../../../../data/security-products.json', import.meta.url),
): SecurityProducts {
  const data: unknown = JSON.parse(readFileSync(url, 'utf8'));
  const errors = validateSecurityProducts(data);
  if (errors.length > 0) throw new Error(`${url.pathname}: ${errors.join('; ')}`);
  return data as SecurityProducts;
}

function escape(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/** `*` inside one folder name only; the match is anchored at a root folder of the path. */
function folderRegex(rows: readonly VendorFolderRow[]): { re: RegExp; row: VendorFolderRow }[] {
  return rows.map((row) => {
    const root = row.root.toLowerCase().split('/').map(escape).join('/');
    const path = row.path
      .toLowerCase()
      .split('/')
      .map((p) => p.split('*').map(escape).join('[^/]*'))
      .join('/');
    return { re: new RegExp(`(?:^|/)${root}/${path}/`), row };
  });
}

/**
 * Folders that sit on a drive's root or inside Windows: a product's folder counts only where its root is
 * the first of these in the path, so `inetpub/.../ProgramData/Sophos/` (an attacker's copy of the name) is
 * not Sophos's. What comes before (`C/`, `exch01/c/`) is the collection's own prefix.
 */
const SYSTEM_FOLDERS = new Set([
  'programdata',
  'program files',
  'program files (x86)',
  'windows',
  'users',
  'inetpub',
  'perflogs',
  'root',
  '$recycle.bin',
  'documents and settings',
]);

function rootIsFirst(lower: string, at: number): boolean {
  return lower
    .slice(0, at)
    .split('/')
    .every((seg) => !SYSTEM_FOLDERS.has(seg));
}

function nameRegex(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern.toLowerCase())
    re += ch === '*' ? '.*' : ch === '?' ? '.' : ch === '#' ? '[0-9]' : escape(ch);
  return new RegExp(`^${re}$`);
}

interface VendorIndex {
  /** The product whose folder holds this evidence-relative path and excuses this kind of file. */
  match(path: string, kind: StagedKind): VendorMatch | undefined;
}

export function vendorIndex(table: SecurityProducts): VendorIndex {
  const folders = folderRegex(table.folders);
  const names = table.updateFiles.map((row) => ({ re: nameRegex(row.name), row }));
  return {
    match(path, kind) {
      const lower = path.toLowerCase().replace(/\\/g, '/');
      for (const { re, row } of folders) {
        if (!row.kinds.includes(kind)) continue;
        const m = re.exec(lower);
        if (m && rootIsFirst(lower, m.index))
          return {
            product: row.product,
            how: 'folder',
            pattern: `${row.root}/${row.path}`,
            sources: row.sources,
          };
      }
      if (kind !== 'archive') return undefined;
      const name = lower.slice(lower.lastIndexOf('/') + 1);
      for (const { re, row } of names)
        if (re.test(name))
          return { product: row.product, how: 'update-package', pattern: row.name, sources: row.sources };
      return undefined;
    },
  };
}

let index: VendorIndex | undefined;

/** The shipped table's index, loaded on first use (in each worker). */
export function securityProducts(): VendorIndex {
  return (index ??= vendorIndex(loadSecurityProducts()));
}
