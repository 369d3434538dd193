// Worker thread entry: opens the evidence once, then reads the artifacts it is handed.

import { parentPort, workerData } from 'node:worker_threads';
import type { DetectorContext } from '../core/detector.js';
import { openEvidence } from '../evidence/index.js';
import type { EvidenceLimits, Overlay } from '../evidence/index.js';
import type { Task } from './discover.js';
import { readArtifact } from './read-artifact.js';
import { censusOf } from './address-census.js';
import { decodePlain } from './plain-data.js';
import type { PlainEncoded } from './plain-data.js';
import type { ReadLimits } from './read-artifact.js';
import { buildRulePacks, sigmaMatchersOf } from './sigma.js';
import type { ReadRulePacks } from './sigma.js';
import { createRuleSet } from './ruleset.js';
import type { RuleSet } from './ruleset.js';
import { IndicatorStore, iocMatchers } from '../rules/ioc/index.js';
import type { StoreJSON } from '../rules/ioc/index.js';

export interface WorkerInit {
  root: string;
  /** A live scan's exported event logs, read in place of the locked live files. */
  overlay?: Overlay;
  evidenceLimits: EvidenceLimits;
  readLimits: ReadLimits;
  /** The indicator store, serialised: matchers are rebuilt here. */
  iocs?: StoreJSON;
}

/**
 * The rule files as the main thread read them, sent once before the first task: a worker compiles them
 * but never reads or parses YAML (the main thread does that once for all).
 */
export interface WorkerRules {
  /** `ReadRulePacks`, encoded so that objects without prototype stay so (see plain-data.ts). */
  packs: PlainEncoded;
}

/** A run of front-end logs whose first bytes the address census counts. */
export interface WorkerCensus {
  id: number;
  census: Task[];
  bytesPerFile: number;
}

export interface WorkerTask {
  /** Echoed in the answer: a worker has more than one task in hand. */
  id: number;
  task: Task;
  ctx: Omit<DetectorContext, 'path'>;
}

async function main(): Promise<void> {
  const init = workerData as WorkerInit;
  const port = parentPort;
  if (!port) return;
  const ev = await openEvidence(init.root, init.evidenceLimits, init.overlay);
  // Not through intel.ts, which would load the YARA engines into every worker for nothing.
  const ioc = init.iocs ? iocMatchers(IndicatorStore.fromJSON(init.iocs)) : () => [];
  let rules: RuleSet | undefined;
  // The pool may start before the evidence is surveyed, so what the survey found comes with each task;
  // the rules come first, in a message of their own (messages arrive in the order they were sent).
  const reply = (id: number, work: Promise<unknown>) =>
    work.then(
      (result) => port.postMessage({ id, ok: true, result }),
      (e: unknown) => port.postMessage({ id, ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  port.on('message', (m: WorkerTask | WorkerRules | WorkerCensus) => {
    if ('packs' in m) {
      const sigma = sigmaMatchersOf(buildRulePacks(decodePlain(m.packs) as ReadRulePacks));
      rules = createRuleSet((source) => [...sigma.forSource(source), ...ioc(source)]);
      return;
    }
    if ('census' in m) {
      void reply(m.id, censusOf(ev, m.census, m.bytesPerFile));
      return;
    }
    const { id, task, ctx } = m;
    if (!rules) {
      port.postMessage({ id, ok: false, error: 'a task came before the rules' });
      return;
    }
    void reply(id, readArtifact(ev, task, rules.forSource(task.source), ctx, init.readLimits));
  });
}

if (parentPort) void main();
