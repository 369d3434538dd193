// The modules an IIS configuration file registers: native DLLs in <globalModules>, managed types in <modules>
// (IIS's integrated pipeline) and <httpModules> (ASP.NET's classic one), each with where it is written.

import { walkXml } from './xml-walk.js';
import type { XmlDamage } from './xml-walk.js';

type ModuleSection = 'globalModules' | 'modules' | 'httpModules';

export interface IisModule {
  section: ModuleSection;
  name: string;
  /** The DLL of a native module (`globalModules`), as written. */
  image?: string;
  /** The .NET type of a managed module (`modules`, `httpModules`), as written. */
  type?: string;
  preCondition?: string;
  /** The `<location path>` the entry sits under, when it does. */
  location?: string;
  line: number;
  offset: number;
  /** The `<add ... />` element as written. */
  raw: string;
}

interface IisConfig {
  modules: IisModule[];
  /** Every `physicalPath` of a `<virtualDirectory>`, entities decoded. */
  physicalPaths: string[];
  damage: XmlDamage[];
}

const SECTIONS: readonly ModuleSection[] = ['globalModules', 'modules', 'httpModules'];

/** Reads one configuration file's text: its modules, its site folders, and where it is damaged. */
export function readIisConfig(text: string): IisConfig {
  const modules: IisModule[] = [];
  const paths = new Set<string>();
  const damage = walkXml(text, (e) => {
    if (e.name === 'virtualDirectory') {
      const p = e.attrs.get('physicalpath')?.trim();
      if (p) paths.add(p);
      return;
    }
    if (e.name !== 'add') return;
    // The section is the element right around the <add>, as IIS reads collections.
    const section = SECTIONS.find((s) => s === e.parents[e.parents.length - 1]);
    if (!section) return;
    const get = (k: string) => e.attrs.get(k.toLowerCase());
    const image = get('image');
    const type = get('type');
    const preCondition = get('preCondition');
    modules.push({
      section,
      name: get('name') ?? '',
      ...(image !== undefined ? { image } : {}),
      ...(type !== undefined ? { type } : {}),
      ...(preCondition !== undefined ? { preCondition } : {}),
      ...(e.location !== undefined ? { location: e.location } : {}),
      line: e.line,
      offset: e.offset,
      raw: e.raw,
    });
  });
  return { modules, physicalPaths: [...paths], damage };
}

/**
 * The text of a configuration file's bytes: UTF-8 (with or without its BOM) as IIS writes it, or UTF-16
 * when a BOM says so (a file re-saved by an editor).
 */
export function decodeConfig(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  return bytes.toString('utf8');
}
