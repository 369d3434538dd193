// Threat intelligence in the scan: indicator feeds as matchers and a hash check, YARA over files after reading.

import path from 'node:path';
import type { Finding } from '../core/finding.js';
import type { Problem } from '../core/problem.js';
import type { Evidence } from '../evidence/index.js';
import { IndicatorStore, iocMatchers, loadIndicatorFiles } from '../rules/ioc/index.js';
import type { StoreJSON } from '../rules/ioc/index.js';
import { isYaraTarget, openYara, yaraFindings } from '../rules/yara/index.js';
import type { Task } from './discover.js';
import type { Matcher } from './matchers.js';

export interface IntelOptions {
  /** Indicator files (`--iocs`) and whether our curated ones load too. */
  iocs?: { paths: string[]; builtin: boolean };
  /** An indicator store given by the caller (the fleet server's), instead of files. */
  indicators?: IndicatorStore;
  yara?: { rules: string[]; maxSize: number };
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

/** YARA over web files, staged archives' listings and dumps, two at a time, after the logs are read. */
export async function runYara(
  ev: Evidence,
  tasks: readonly Task[],
  o: { rules: string[]; maxSize: number },
  problems: Problem[],
): Promise<Finding[]> {
  const y = await openYara(o);
  if ('unavailable' in y) {
    problems.push(...y.problems);
    return [];
  }
  const out: Finding[] = [];
  try {
    const targets = tasks.filter((t) => isYaraTarget(t.source));
    for (let i = 0; i < targets.length; i += 2)
      await Promise.all(
        targets.slice(i, i + 2).map(async (t) => {
          const local = ev.kind === 'folder' ? { localPath: path.join(ev.root, t.file.path) } : {};
          const ms = await y.scanFile(() => ev.open(t.file), t.file.size, t.file.path, local);
          out.push(
            ...yaraFindings(ms, {
              source: t.source,
              ...(t.file.modified ? { modified: t.file.modified } : {}),
            }),
          );
        }),
      );
  } finally {
    problems.push(...y.problems);
    await y.close();
  }
  return out;
}

export { DEFAULT_YARA_MAX_SIZE, parseSize } from '../rules/yara/index.js';
