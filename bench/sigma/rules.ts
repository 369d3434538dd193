// Thousands of Sigma rules for the benchmark: real rules cloned with altered values, or built-in templates.

import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

/** Modifiers whose values are not plain text: cloned unchanged, since altering them could break them. */
const KEEP =
  /\|(re|cidr|base64|base64offset|utf16|utf16le|utf16be|wide|expand|fieldref|lt|lte|gt|gte|exists)\b/;

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** A small deterministic generator, so two runs build the same rules. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Alter every plain string value so a clone costs what the original costs but rarely matches the same events. */
function alter(v: unknown, key: string, tag: string): unknown {
  if (KEEP.test(key) || key === 'EventID' || key.startsWith('EventID|')) return v;
  if (typeof v === 'string') return v.length === 0 ? v : `${v}${tag}`;
  if (Array.isArray(v)) return v.map((x) => alter(x, key, tag));
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, k === 'condition' ? x : alter(x, k, tag)]),
    );
  return v;
}

/** Single-event rules (no correlations, filters or Sigma 1 collections) from a folder, as plain objects. */
export function readTemplates(dir: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const f of yamlFiles(dir)) {
    for (const d of parseAllDocuments(readFileSync(f, 'utf8'))) {
      const v = d.errors.length === 0 ? (d.toJS() as unknown) : undefined;
      if (v && typeof v === 'object' && 'detection' in v && 'logsource' in v && !('action' in v)) out.push(v);
    }
  }
  return out;
}

/** Writes `count` rules to `outDir`: every template once as it is, then altered clones in turn. */
export function writeRules(
  templates: readonly Record<string, unknown>[],
  count: number,
  outDir: string,
): number {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const rand = rng(42);
  for (let i = 0; i < count; i++) {
    const t = templates[i % templates.length] as Record<string, unknown>;
    const tag = `_${Math.floor(rand() * 1e9).toString(36)}`;
    const clone = i < templates.length ? t : { ...t, detection: alter(t['detection'], '', tag) };
    const doc = {
      ...clone,
      id: `bench-${i}`,
      title: `${typeof t['title'] === 'string' ? t['title'] : 'rule'} #${i}`,
    };
    writeFileSync(path.join(outDir, `r${String(i).padStart(5, '0')}.yml`), stringify(doc));
  }
  return statSync(outDir).isDirectory() ? count : 0;
}

/**
 * Built-in templates in the shapes SigmaHQ's Windows rules take most often (process creation by parent,
 * image and command line; Security and System events by ID and fields; script blocks; registry, file,
 * network and image-load events), with values drawn from word lists. Written here, not copied.
 */
export function builtinTemplates(): Record<string, unknown>[] {
  const tools = [
    'certutil',
    'bitsadmin',
    'mshta',
    'regsvr32',
    'rundll32',
    'wmic',
    'msiexec',
    'schtasks',
    'net',
    'reg',
  ];
  const args = [
    ' -urlcache ',
    ' /transfer ',
    'javascript:',
    ' /i:http',
    ',#1',
    ' process call create',
    ' /q /i http',
    ' /create ',
    ' user /add',
    ' save hklm\\sam',
  ];
  const parents = ['\\winword.exe', '\\excel.exe', '\\w3wp.exe', '\\sqlservr.exe', '\\outlook.exe'];
  const out: Record<string, unknown>[] = [];
  const win = (category: string): Record<string, string> => ({ product: 'windows', category });
  tools.forEach((t, i) => {
    out.push({
      title: `Suspicious ${t} use`,
      logsource: win('process_creation'),
      detection: {
        selection_img: [{ 'Image|endswith': `\\${t}.exe` }, { OriginalFileName: `${t}.exe` }],
        selection_cli: { 'CommandLine|contains': [args[i], args[(i + 3) % args.length]] },
        filter_main: { 'ParentImage|endswith': '\\msiexec.exe' },
        condition: 'all of selection_* and not 1 of filter_main*',
      },
      level: 'high',
    });
    out.push({
      title: `${t} started by an office or server process`,
      logsource: win('process_creation'),
      detection: {
        selection: { 'ParentImage|endswith': parents, 'Image|endswith': `\\${t}.exe` },
        condition: 'selection',
      },
      level: 'medium',
    });
  });
  out.push(
    {
      title: 'Logon with explicit credentials from a tool',
      logsource: { product: 'windows', service: 'security' },
      detection: {
        selection: { EventID: 4648, 'ProcessName|endswith': ['\\cmd.exe', '\\powershell.exe'] },
        condition: 'selection',
      },
    },
    {
      title: 'Service installed from a user folder',
      logsource: { product: 'windows', service: 'system' },
      detection: {
        selection: { EventID: 7045, 'ImagePath|contains': ['\\Users\\Public\\', '\\AppData\\', '\\Temp\\'] },
        condition: 'selection',
      },
    },
    {
      title: 'Script block downloading a payload',
      logsource: win('ps_script'),
      detection: {
        selection: { 'ScriptBlockText|contains|all': ['Net.WebClient', 'DownloadString'] },
        condition: 'selection',
      },
    },
    {
      title: 'Run key pointing to a script',
      logsource: win('registry_set'),
      detection: {
        selection: {
          'TargetObject|contains': '\\CurrentVersion\\Run',
          'Details|contains': ['wscript', 'mshta', '.vbs'],
        },
        condition: 'selection',
      },
    },
    {
      title: 'Executable dropped in a startup folder',
      logsource: win('file_event'),
      detection: {
        selection: {
          'TargetFilename|contains': '\\Start Menu\\Programs\\Startup\\',
          'TargetFilename|endswith': ['.exe', '.lnk'],
        },
        condition: 'selection',
      },
    },
    {
      title: 'Outbound connection from a script host',
      logsource: win('network_connection'),
      detection: {
        selection: {
          'Image|endswith': ['\\wscript.exe', '\\cscript.exe'],
          Initiated: 'true',
          DestinationPort: [80, 443, 8080],
        },
        condition: 'selection',
      },
    },
  );
  return out;
}
