// IIS site roots and virtual directories from applicationHost.config, mapped onto where the drive sits in the evidence.

import { driveFolderOf, escapeName, siblingDrive } from '../../core/drive-folder.js';
import { readIisConfig } from './modules.js';

/** Where IIS keeps its configuration, below the system drive's root. */
const CONFIG = 'windows/system32/inetsrv/config/applicationhost.config';

export function isApplicationHostConfig(pathLower: string): boolean {
  return pathLower === CONFIG || pathLower.endsWith(`/${CONFIG}`);
}

/** Every `physicalPath` of a `<virtualDirectory>` (sites, applications and their virtual directories). */
export function physicalPaths(xml: string): string[] {
  return readIisConfig(xml).physicalPaths;
}

interface MappedRoot {
  /** The path as IIS has it. */
  physical: string;
  /** Evidence-relative folder, lower-case, with a trailing slash; undefined when the evidence cannot hold it. */
  folder?: string;
  why?: string;
}

/**
 * Maps Windows paths onto the evidence: the drive IIS runs from is the folder that holds `Windows/` (the
 * evidence root, or a collector's `C/` folder); another drive letter is a sibling folder named after it.
 */
export function mapRoots(configPath: string, physical: readonly string[]): MappedRoot[] {
  const lower = configPath.toLowerCase();
  const prefix = lower.slice(0, lower.length - CONFIG.length);
  // A collector's drive folder (`C/`, Velociraptor's `uploads/auto/C%3A/`) says the letter and where other drives sit.
  const drive = driveFolderOf(lower);
  const driveFolder = drive?.prefix === prefix ? drive : undefined;
  const systemLetter = driveFolder?.letter ?? 'c';
  // Velociraptor stores each name escaped: the folder IIS serves is looked for as it would be stored.
  const spell = (names: string[]) =>
    driveFolder?.style === 'velociraptor' ? names.map((n) => escapeName(n).toLowerCase()) : names;
  const env: Record<string, string> = {
    systemdrive: `${systemLetter}:`,
    systemroot: `${systemLetter}:\\windows`,
    windir: `${systemLetter}:\\windows`,
    programfiles: `${systemLetter}:\\program files`,
    programdata: `${systemLetter}:\\programdata`,
    allusersprofile: `${systemLetter}:\\programdata`,
    exchangeinstalldir: `${systemLetter}:\\program files\\microsoft\\exchange server\\v15\\`,
    public: `${systemLetter}:\\users\\public`,
  };
  return physical.map((p): MappedRoot => {
    let win = p.replace(/%([^%]+)%/g, (m, name: string) => env[name.toLowerCase()] ?? m).toLowerCase();
    if (/%[^%]+%/.test(win)) return { physical: p, why: 'an environment variable exhunt does not know' };
    win = win.replace(/\//g, '\\');
    if (/^\\\\/.test(win)) return { physical: p, why: 'a network share' };
    const m = /^([a-z]):\\?(.*)$/.exec(win);
    if (!m) return { physical: p, why: 'not an absolute path' };
    const rest = (m[2] ?? '').split('\\').filter((s) => s.length > 0 && s !== '.');
    if (rest.includes('..')) return { physical: p, why: 'a path with ..' };
    const tail = rest.length ? `${spell(rest).join('/')}/` : '';
    if (m[1] === systemLetter) return { physical: p, folder: `${prefix}${tail}` };
    if (driveFolder) return { physical: p, folder: `${siblingDrive(driveFolder, m[1] as string)}${tail}` };
    return { physical: p, why: `drive ${m[1]!.toUpperCase()}: is not in the evidence layout` };
  });
}

/** Is the path (lower-case) inside one of the folders (lower-case, trailing slash)? */
export function underRoot(pathLower: string, folders: readonly string[]): boolean {
  return folders.some((f) => (f === '' ? true : pathLower.startsWith(f)));
}
