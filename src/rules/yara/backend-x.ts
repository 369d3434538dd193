// The YARA-X backend through the optional native binding `@litko/yara-x`, loaded only if installed.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Problem } from '../../core/problem.js';
import { outlineRules } from './outline.js';
import type { RuleOutline } from './outline.js';
import type { Backend, MetaValue, RawMatch, RuleSource } from './types.js';

/** The part of the binding's API used here (its index.d.ts, version 0.3). */
interface XRules {
  scanAsync(data: Buffer): Promise<XMatch[]>;
  scanFileAsync(path: string): Promise<XMatch[]>;
}
interface XMatch {
  ruleIdentifier: string;
  namespace: string;
  meta: object;
  tags: string[];
  matches: { offset: number; length: number; data: string; identifier: string }[];
}
interface XModule {
  compile(source: string): XRules;
}

export const DEFAULT_YARA_X_MODULE = '@litko/yara-x';

/**
 * Loads the binding by package name or by path (EXHUNT_YARA_MODULE). It is not a dependency: a dynamic
 * import inside try/catch, so exhunt runs without it and says so.
 */
export async function loadYaraX(spec: string): Promise<XModule | { error: string }> {
  try {
    const req = createRequire(import.meta.url);
    const resolved = req.resolve(spec);
    const mod = (await import(pathToFileURL(resolved).href)) as { default?: XModule } & Partial<XModule>;
    const api = typeof mod.compile === 'function' ? (mod as XModule) : mod.default;
    if (!api || typeof api.compile !== 'function') return { error: `${spec} has no compile() function` };
    return api;
  } catch (e) {
    return { error: `${spec} could not be loaded: ${(e as Error).message.split('\n')[0]}` };
  }
}

/** The binding (0.3) gives boolean meta as the text `unknown`: the value written in the rule is used. */
function meta(m: object, written: RuleOutline['meta'] | undefined): Record<string, MetaValue> {
  const out: Record<string, MetaValue> = {};
  for (const [k, v] of Object.entries(m)) {
    const kind = written?.[k];
    if (typeof kind === 'boolean' && v === 'unknown') out[k] = kind;
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/** Each rule file is compiled on its own: its namespace stays its own and one bad file spoils nothing else. */
export function yaraXBackend(mod: XModule): Backend {
  const compiled: { ns: string; rules: XRules; outline: Map<string, RuleOutline> }[] = [];
  const toRaw = (c: (typeof compiled)[number], ms: XMatch[]): RawMatch[] =>
    ms.map((m) => ({
      rule: m.ruleIdentifier,
      namespace: c.ns,
      tags: [...m.tags],
      meta: meta(m.meta, c.outline.get(m.ruleIdentifier)?.meta),
      strings: m.matches.map((s) => ({ id: s.identifier, offset: s.offset, data: s.data })),
    }));
  const all = async (scan: (r: XRules) => Promise<XMatch[]>) => {
    const out: RawMatch[] = [];
    for (const c of compiled) out.push(...toRaw(c, await scan(c.rules)));
    return out;
  };
  return {
    name: 'yara-x',
    buffers: true,
    compile(sources: RuleSource[]) {
      const problems: Problem[] = [];
      for (const s of sources) {
        try {
          const rules = mod.compile(s.text);
          const outline = new Map(outlineRules(s.text).map((r) => [r.name, r]));
          compiled.push({ ns: s.namespace, rules, outline });
        } catch (e) {
          const msg = (e as Error).message;
          const line = /--> line:(\d+)/.exec(msg)?.[1];
          problems.push({
            code: 'yara.rule-error',
            message: msg.split('\n')[0] ?? msg,
            path: s.path,
            ...(line ? { line: Number(line) } : {}),
            severity: 'error',
          });
        }
      }
      return Promise.resolve(problems);
    },
    scanBuffer: (buf) => all((r) => r.scanAsync(buf)),
    scanPath: (path) => all((r) => r.scanFileAsync(path)),
    close: () => Promise.resolve(),
  };
}
