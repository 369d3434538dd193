// The IIS and Exchange module table (data/iis-native-modules.json): which native modules are stock, with
// their DLLs, and what makes a managed module's type Microsoft's. Validated at load.

import { readFileSync } from 'node:fs';

interface TableData {
  sources: Record<string, { title: string; url?: string; note?: string }>;
  groups: { id: string; title: string; sources: string[]; modules: { name: string; images: string[] }[] }[];
  microsoft: { sources: string[]; namespaces: string[]; assemblies: string[]; publicKeyTokens: string[] };
}

interface StockModule {
  name: string;
  group: string;
  groupTitle: string;
  /** Normalised images (see `normaliseImage`), `{exchange}` kept as written. */
  images: string[];
}

export interface ModuleTable {
  /** The stock module of that name (case ignored), if any. */
  byName(name: string): StockModule | undefined;
  /** Is the (normalised) image one a stock module loads? Returns that module. */
  byImage(image: string): StockModule | undefined;
  /** Does the image match one of the module's own images? */
  imageFits(m: StockModule, image: string): boolean;
  /** Is a managed module's `type` attribute Microsoft's? */
  microsoftType(type: string): boolean;
}

/** Every problem of the table; empty when it is sound. */
export function validateModuleTable(data: unknown): string[] {
  const errors: string[] = [];
  const d = data as Partial<TableData> | null;
  if (!d || typeof d !== 'object') return ['the table is not an object'];
  const sources = d.sources ?? {};
  for (const [id, s] of Object.entries(sources)) {
    if (typeof s?.title !== 'string' || !s.title) errors.push(`sources.${id}: needs a title`);
    if (s?.url !== undefined && !/^https?:\/\/\S+$/.test(s.url)) errors.push(`sources.${id}: bad url`);
    if (s?.url === undefined && typeof s?.note !== 'string')
      errors.push(`sources.${id}: needs a url or a note`);
  }
  const names = new Set<string>();
  if (!Array.isArray(d.groups) || d.groups.length === 0) errors.push('groups: missing');
  for (const g of d.groups ?? []) {
    if (!g.sources?.length) errors.push(`group ${g.id}: cites no source`);
    for (const s of g.sources ?? []) if (!sources[s]) errors.push(`group ${g.id}: unknown source ${s}`);
    for (const m of g.modules ?? []) {
      const key = String(m.name).toLowerCase();
      if (!/^[\w.-]+$/.test(String(m.name))) errors.push(`group ${g.id}: bad module name ${String(m.name)}`);
      if (names.has(key)) errors.push(`module ${m.name} listed twice`);
      names.add(key);
      if (!Array.isArray(m.images) || m.images.length === 0) errors.push(`module ${m.name}: no image`);
      for (const i of m.images ?? [])
        if (!/^(%\w+%|\{exchange\}|[A-Za-z]:)\\.+\.dll$/i.test(i))
          errors.push(`module ${m.name}: image ${i} is not an absolute DLL path`);
    }
  }
  const ms = d.microsoft;
  if (!ms?.namespaces?.length || !ms.assemblies?.length || !ms.publicKeyTokens?.length)
    errors.push('microsoft: namespaces, assemblies and publicKeyTokens are needed');
  for (const s of ms?.sources ?? []) if (!sources[s]) errors.push(`microsoft: unknown source ${s}`);
  for (const t of ms?.publicKeyTokens ?? [])
    if (!/^[0-9a-f]{16}$/.test(t)) errors.push(`microsoft: bad public key token ${t}`);
  return errors;
}

const ENV: Record<string, string> = {
  windir: 'c:\\windows',
  systemroot: 'c:\\windows',
  systemdrive: 'c:',
  programfiles: 'c:\\program files',
  'programfiles(x86)': 'c:\\program files (x86)',
  programdata: 'c:\\programdata',
  exchangeinstallpath: '{exchange}',
};

/**
 * An image path as one string to compare: environment variables IIS expands are expanded, case and slashes
 * made one, quotes and `.` segments dropped, `..` resolved (a `..` that climbs out of the stock folder must
 * not pass for it). Unknown variables stay as written, so they match nothing.
 */
export function normaliseImage(image: string): string {
  let s = image
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .toLowerCase()
    .replace(/\//g, '\\');
  s = s.replace(/%([^%\\]+)%/g, (m, v: string) => ENV[v] ?? m);
  s = s.replace(/\{exchange\}\\?/, '{exchange}\\');
  const out: string[] = [];
  for (const seg of s.split(/\\+/)) {
    if (seg === '.') continue;
    if (seg === '..') {
      if (out.length > 1) out.pop();
      continue;
    }
    out.push(seg);
  }
  return out.join('\\');
}

/** `{exchange}\rest` as a pattern: any install folder ending in V14 or V15, then the rest. */
function exchangeImage(pattern: string): RegExp {
  const rest = pattern.slice('{exchange}\\'.length).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    `^(?:[a-z]:|\\{exchange\\})(?:\\\\[^\\\\]+)*\\\\v1[45]\\\\${rest}$|^\\{exchange\\}\\\\${rest}$`,
  );
}

function indexModuleTable(data: TableData): ModuleTable {
  const errors = validateModuleTable(data);
  if (errors.length) throw new Error(`data/iis-native-modules.json: ${errors.join('; ')}`);
  const byName = new Map<string, StockModule>();
  const exact = new Map<string, StockModule>();
  const patterns: { re: RegExp; m: StockModule }[] = [];
  for (const g of data.groups)
    for (const row of g.modules) {
      const m: StockModule = {
        name: row.name,
        group: g.id,
        groupTitle: g.title,
        images: row.images.map(normaliseImage),
      };
      byName.set(row.name.toLowerCase(), m);
      for (const i of m.images) {
        if (i.startsWith('{exchange}')) patterns.push({ re: exchangeImage(i), m });
        else exact.set(i, m);
      }
    }
  const fits = (m: StockModule, image: string): boolean => {
    const n = normaliseImage(image);
    return m.images.some((i) => (i.startsWith('{exchange}') ? exchangeImage(i).test(n) : i === n));
  };
  const ms = data.microsoft;
  const assemblies = ms.assemblies.map(
    (a) => new RegExp(`^${a.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i'),
  );
  const tokens = new Set(ms.publicKeyTokens);
  return {
    byName: (name) => byName.get(name.trim().toLowerCase()),
    byImage: (image) => {
      const n = normaliseImage(image);
      return exact.get(n) ?? patterns.find((p) => p.re.test(n))?.m;
    },
    imageFits: fits,
    microsoftType: (type) => {
      const [cls = '', asm, ...props] = type.split(',').map((p) => p.trim());
      if (!ms.namespaces.some((ns) => cls.startsWith(ns))) return false;
      if (asm !== undefined && asm !== '' && !assemblies.some((re) => re.test(asm))) return false;
      for (const p of props) {
        const kv = /^publickeytoken\s*=\s*(\S+)$/i.exec(p);
        if (kv && kv[1]!.toLowerCase() !== 'null' && !tokens.has(kv[1]!.toLowerCase())) return false;
        // A Microsoft assembly loaded by name without its strong name could be anyone's file of that name.
        if (kv && kv[1]!.toLowerCase() === 'null') return false;
      }
      return true;
    },
  };
}

let cached: ModuleTable | undefined;

/** The table, read once; the path works from `dist/src/rules/builtin/` and from `src/rules/builtin/`. */
export function moduleTable(): ModuleTable {
  if (!cached) {
    const here = new URL('.', import.meta.url);
    let text: string | undefined;
    for (const c of ['../../../../data/iis-native-modules.json', '../../../data/iis-native-modules.json']) {
      try {
        text = readFileSync(new URL(c, here), 'utf8');
        break;
      } catch {
        // try the next layout
      }
    }
    if (text === undefined) throw new Error('data/iis-native-modules.json not found');
    cached = indexModuleTable(JSON.parse(text) as TableData);
  }
  return cached;
}
