// exhunt's own rules and field mapping, parsed once per install: the parse is kept in a cache file keyed by their bytes.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { parseMappingText, parseRuleText } from '../rules/sigma/index.js';
import type { LoadedRules, Mapping, RuleError } from '../rules/sigma/index.js';
import { decodePlain, encodePlain } from './plain-data.js';
import type { PlainEncoded } from './plain-data.js';
import { toolVersion } from './version.js';

export interface ParsedBuiltin {
  mapping: Mapping;
  mappingErrors: RuleError[];
  /** Our rule pack, when asked for. */
  rules?: LoadedRules;
}

const FORMAT = 'exhunt-rule-cache-2';
const RULE_EXT = /\.ya?ml$/i;

/**
 * Where the cache lives: `EXHUNT_CACHE_DIR` (empty: no cache), else the user's cache folder. It holds
 * one file per install, rewritten when the rules, the mapping, exhunt or Node.js change; nothing of the
 * evidence.
 */
function cacheDir(): string | undefined {
  const env = process.env.EXHUNT_CACHE_DIR;
  if (env !== undefined) return env === '' ? undefined : env;
  if (process.platform === 'win32' && process.env.LOCALAPPDATA)
    return path.join(process.env.LOCALAPPDATA, 'exhunt');
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'exhunt');
}

/** Rule files below `dir` in the order `readRuleFiles` reads them (sorted names, folders walked in place). */
function ruleFiles(dir: string, out: string[]): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) ruleFiles(p, out);
    else if (e.isFile() && RULE_EXT.test(e.name)) out.push(p);
  }
}

/**
 * Parses the mapping file and (when `rulesDir` is given) the rule pack in it, as `loadMapping` and
 * `readRuleFiles` would, or takes the parse from the cache when every byte is the same. YAML parsing
 * was most of a scan's start-up (about 250 ms); reading and hashing the files costs a few. Returns
 * undefined when a file cannot be read: the callers' own readers then report it as usual.
 */
export function parseBuiltin(mappingPath: string, rulesDir: string | undefined): ParsedBuiltin | undefined {
  let mappingText: string;
  const texts: [string, string][] = [];
  try {
    mappingText = fs.readFileSync(mappingPath, 'utf8');
    if (rulesDir !== undefined) {
      const files: string[] = [];
      ruleFiles(rulesDir, files);
      for (const f of files) texts.push([f, fs.readFileSync(f, 'utf8')]);
    }
  } catch {
    return undefined;
  }
  const h = createHash('sha256');
  for (const part of [FORMAT, toolVersion(), process.versions.v8, mappingPath, mappingText, String(rulesDir)])
    h.update(part).update('\0');
  for (const [f, text] of texts) h.update(f).update('\0').update(text).update('\0');
  const key = h.digest('hex');
  const dir = cacheDir();
  // One file per install (by where its rules are): two installs sharing one file would each find the
  // other's parse there and parse again on every run (as two checkouts, or two versions run by npx, did).
  const where = createHash('sha256')
    .update(`${mappingPath}\0${String(rulesDir)}`)
    .digest('hex')
    .slice(0, 16);
  const file = dir ? path.join(dir, `sigma-builtin-${where}.bin`) : undefined;
  const cached = file ? readCache(file, key) : undefined;
  if (cached) return cached;
  const mappingErrors: RuleError[] = [];
  const mapping = parseMappingText(mappingText, mappingPath, undefined, mappingErrors);
  const out: ParsedBuiltin = { mapping, mappingErrors };
  if (rulesDir !== undefined) {
    const rules: LoadedRules = { rules: [], correlations: [], filters: [], errors: [] };
    for (const [f, text] of texts) {
      const parsed = parseRuleText(text.replace(/^\uFEFF/, ''), f.replace(/\\/g, '/'), 'exhunt');
      rules.rules.push(...parsed.rules);
      rules.correlations.push(...parsed.correlations);
      rules.filters.push(...parsed.filters);
      rules.errors.push(...parsed.errors);
    }
    out.rules = rules;
  }
  if (file) writeCache(file, key, out);
  return out;
}

function readCache(file: string, key: string): ParsedBuiltin | undefined {
  try {
    const data = v8.deserialize(fs.readFileSync(file)) as { key?: unknown; value?: PlainEncoded };
    return data.key === key && data.value ? (decodePlain(data.value) as ParsedBuiltin) : undefined;
  } catch {
    return undefined; // absent, or damaged: parsed again and rewritten
  }
}

/** Best effort, and atomic (a scan running beside this one never reads half a file). */
function writeCache(file: string, key: string, value: ParsedBuiltin): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, v8.serialize({ key, value: encodePlain(value) }));
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing more to do: the cache only saves time
    }
  }
}
