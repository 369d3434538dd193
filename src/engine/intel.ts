// Threat intelligence in the scan: indicator feeds as matchers and a hash check, YARA over files after reading.

import { availableParallelism } from 'node:os';
import type { Finding } from '../core/finding.js';
import type { Problem } from '../core/problem.js';
import type { Evidence } from '../evidence/index.js';
import { IndicatorStore, iocMatchers, loadIndicatorFiles } from '../rules/ioc/index.js';
import type { StoreJSON } from '../rules/ioc/index.js';
import { isYaraTarget, openYara, yaraFindings } from '../rules/yara/index.js';
import type { EngineChoice } from '../rules/yara/index.js';
import type { Task } from './discover.js';
import type { Matcher } from './matchers.js';

export interface IntelOptions {
  /** Indicator files (`--iocs`) and whether our curated ones load too. */
  iocs?: { paths: string[]; builtin: boolean };
  /** An indicator store given by the caller (the fleet server's), instead of files. */
  indicators?: IndicatorStore;
  yara?: YaraScanOptions;
}

export interface YaraScanOptions {
  /** Rule files or folders (`--yara`), run beside ours. */
  rules: string[];
  maxSize: number;
  /** `web`: scripts in web-served folders (the scan's default); `all`: staged dumps and archives too. */
  targets?: 'web' | 'all';
  /** One engine instead of the first present (`--yara-engine`). */
  engine?: EngineChoice;
}

export async function loadIntel(
  opts: IntelOptions,
  problems: Problem[],
): Promise<{ store: IndicatorStore; matchers: (source: string) => Matcher[] }> {
  const loaded = opts.indicators
    ? { store: opts.indicators, problems: [] }
    : await loadIndicatorFiles(opts.iocs?.paths ?? [], { builtin: opts.iocs?.builtin ?? true });
  problems.push(...loaded.problems);
  return { store: loaded.store, matchers: iocMatchers(loaded.store) };
}

/** Worker threads rebuild the store from its serialised form. */
export function intelMatchersFrom(json: StoreJSON | undefined): (source: string) => Matcher[] {
  return json ? iocMatchers(IndicatorStore.fromJSON(json)) : () => [];
}

/** YARA over web files (and, when asked, staged archives' listings and dumps), after the logs are read. */
export async function runYara(
  ev: Evidence,
  tasks: readonly Task[],
  o: YaraScanOptions,
  problems: Problem[],
): Promise<Finding[]> {
  const wanted = o.targets === 'web' ? (s: string) => s === 'web-file' : isYaraTarget;
  const targets = tasks.filter((t) => wanted(t.source));
  // Nothing to scan and no rules of the user's to check: the engine is not even started.
  if (targets.length === 0 && o.rules.length === 0) return [];
  const y = await openYara({
    rules: o.rules,
    maxSize: o.maxSize,
    heavy: o.rules.length > 0 || o.targets !== 'web',
    ...(o.engine ? { backend: o.engine } : {}),
  });
  if ('unavailable' in y) {
    problems.push(...y.problems);
    return [];
  }
  // Several files at a time (the engines run in threads or processes); findings kept in task order.
  const found: Finding[][] = [];
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < targets.length; i = next++) {
      const t = targets[i]!;
      // The evidence says where a file lies on disk (display paths may escape bytes); else it is streamed.
      const where = ev.localPath?.(t.file);
      const local = where ? { localPath: where } : {};
      const ms = await y.scanFile(() => ev.open(t.file), t.file.size, t.file.path, local);
      found[i] = yaraFindings(ms, {
        source: t.source,
        ...(t.file.modified ? { modified: t.file.modified } : {}),
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(4, availableParallelism()) }, lane));
  } finally {
    problems.push(...y.problems);
    await y.close();
  }
  return found.flat();
}

export { DEFAULT_YARA_MAX_SIZE, ENGINE_ORDER, isEngineChoice, parseSize } from '../rules/yara/index.js';
export type { EngineChoice } from '../rules/yara/index.js';
