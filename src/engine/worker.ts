// Worker thread entry: opens the evidence once, then reads the artifacts it is handed.

import { parentPort, workerData } from 'node:worker_threads';
import type { DetectorContext } from '../core/detector.js';
import { openEvidence } from '../evidence/index.js';
import type { EvidenceLimits, Overlay } from '../evidence/index.js';
import type { Task } from './discover.js';
import { readArtifact } from './read-artifact.js';
import type { ReadLimits } from './read-artifact.js';
import { loadSigmaMatchers } from './sigma.js';
import type { RuleConfig } from './ruleset.js';
import { createRuleSet } from './ruleset.js';
import { intelMatchersFrom } from './intel.js';
import type { StoreJSON } from '../rules/ioc/index.js';

export interface WorkerInit {
  root: string;
  /** A live scan's exported event logs, read in place of the locked live files. */
  overlay?: Overlay;
  evidenceLimits: EvidenceLimits;
  readLimits: ReadLimits;
  rules: RuleConfig;
  /** The indicator store, serialised: matchers are rebuilt here. */
  iocs?: StoreJSON;
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
  const sigma = await loadSigmaMatchers(init.rules);
  const ioc = intelMatchersFrom(init.iocs);
  const rules = createRuleSet((source) => [...sigma.forSource(source), ...ioc(source)]);
  // The pool starts before the evidence is surveyed, so what the survey found comes with each task.
  port.on('message', ({ id, task, ctx }: WorkerTask) => {
    readArtifact(ev, task, rules.forSource(task.source), ctx, init.readLimits).then(
      (result) => port.postMessage({ id, ok: true, result }),
      (e: unknown) => port.postMessage({ id, ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  });
}

if (parentPort) void main();
