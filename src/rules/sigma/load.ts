// Loading rule files and folders: every file read, every error collected, rules checked by a trial compile.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { tryCompileRule } from './compile.js';
import { identityFieldMap } from './fieldmap.js';
import type { CorrelationRule, RuleError, SigmaFilter, SigmaRule } from './model.js';
import { parseRuleText } from './parse.js';

export interface LoadOptions {
  /** Rule-pack name recorded on every rule (`exhunt`, `sigmahq`, ...). */
  source: string;
  /** Placeholder values for `expand`; when given, unresolvable placeholders are load errors. */
  placeholders?: Readonly<Record<string, readonly string[]>>;
}

export interface LoadedRules {
  rules: SigmaRule[];
  correlations: CorrelationRule[];
  filters: SigmaFilter[];
  errors: RuleError[];
}

const RULE_EXT = /\.ya?ml$/i;

function slash(p: string): string {
  return p.replace(/\\/g, '/');
}

async function collect(path: string, out: string[], errors: RuleError[]): Promise<void> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    errors.push({
      path: slash(path),
      line: 1,
      message: `cannot read: ${(e as Error).message}`,
      code: 'sigma.io',
    });
    return;
  }
  if (st.isFile()) {
    out.push(path);
    return;
  }
  if (!st.isDirectory()) return;
  const entries = await readdir(path, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(path, e.name);
    if (e.isDirectory()) await collect(p, out, errors);
    else if (e.isFile() && RULE_EXT.test(e.name)) out.push(p);
  }
}

/** Load rule files and folders (recursively, `.yml`/`.yaml`). Never throws for bad content. */
export async function loadRuleFiles(paths: readonly string[], opts: LoadOptions): Promise<LoadedRules> {
  return checkLoaded(await readRuleFiles(paths, opts), opts.placeholders);
}

/**
 * Read and parse rule files without the cross-document checks, so several packs can be read under
 * their own names and checked together (a correlation may name a rule of another pack).
 */
export async function readRuleFiles(
  paths: readonly string[],
  opts: Pick<LoadOptions, 'source'>,
): Promise<LoadedRules> {
  const files: string[] = [];
  const out: LoadedRules = { rules: [], correlations: [], filters: [], errors: [] };
  for (const p of paths) await collect(p, files, out.errors);
  for (const f of files) {
    let text: string;
    try {
      text = await readFile(f, 'utf8');
    } catch (e) {
      out.errors.push({
        path: slash(f),
        line: 1,
        message: `cannot read: ${(e as Error).message}`,
        code: 'sigma.io',
      });
      continue;
    }
    const parsed = parseRuleText(text.replace(/^\uFEFF/, ''), slash(f), opts.source);
    out.rules.push(...parsed.rules);
    out.correlations.push(...parsed.correlations);
    out.filters.push(...parsed.filters);
    out.errors.push(...parsed.errors);
  }
  return out;
}

/**
 * Cross-document checks: duplicate ids, a trial compile of every rule (bad regex, bad CIDR, modifier
 * order, placeholders), and correlations that name rules which were not loaded.
 */
export function checkLoaded(
  loaded: LoadedRules,
  placeholders?: Readonly<Record<string, readonly string[]>>,
): LoadedRules {
  const errors = [...loaded.errors];
  const seen = new Map<string, SigmaRule | CorrelationRule>();
  const fm = identityFieldMap('*', placeholders ?? {});
  const rules: SigmaRule[] = [];
  for (const rule of loaded.rules) {
    const first = seen.get(rule.id);
    if (first) {
      errors.push(dup(rule, first));
      continue;
    }
    const res = tryCompileRule(rule, fm, { placeholders: placeholders ?? null });
    if (res.error) {
      errors.push(res.error);
      continue;
    }
    seen.set(rule.id, rule);
    rules.push(rule);
  }
  const names = new Set<string>();
  for (const r of rules) {
    names.add(r.id);
    if (r.name) names.add(r.name);
  }
  const correlations: CorrelationRule[] = [];
  // Correlations may chain: accept those whose references resolve, repeating until nothing changes.
  let pending = loaded.correlations.filter((c) => {
    const first = seen.get(c.id);
    if (first) errors.push(dup(c, first));
    else seen.set(c.id, c);
    return !first;
  });
  for (let changed = true; changed;) {
    changed = false;
    pending = pending.filter((c) => {
      if (!c.rules.every((id) => names.has(id))) return true;
      correlations.push(c);
      names.add(c.id);
      if (c.name) names.add(c.name);
      changed = true;
      return false;
    });
  }
  for (const c of pending) {
    const missing = c.rules.filter((id) => !names.has(id));
    errors.push({
      path: c.path,
      line: c.line,
      ruleId: c.id,
      message: `correlation refers to rules that are not loaded: ${missing.join(', ')}`,
      code: 'sigma.correlation-rules',
    });
  }
  return { rules, correlations, filters: loaded.filters, errors };
}

function dup(
  d: { id: string; path: string; line: number },
  first: { path: string; line: number },
): RuleError {
  return {
    path: d.path,
    line: d.line,
    ruleId: d.id,
    message: `duplicate rule id '${d.id}' (first in ${first.path}:${first.line}); this copy is skipped`,
    code: 'sigma.duplicate-id',
  };
}
