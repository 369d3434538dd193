// Worker thread entry: opens the evidence once, then reads the artifacts it is handed.

import { parentPort, workerData } from 'node:worker_threads';
import type { DetectorContext } from '../core/detector.js';
import { openEvidence } from '../evidence/index.js';
import type { EvidenceLimits } from '../evidence/index.js';
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
  evidenceLimits: EvidenceLimits;
  readLimits: ReadLimits;
  rules: RuleConfig;
  ctx: Omit<DetectorContext, 'path'>;
  /** The indicator store, serialised: matchers are rebuilt here. */
  iocs?: StoreJSON;
}

async function main(): Promise<void> {
  const init = workerData as WorkerInit;
  const port = parentPort;
  if (!port) return;
  const ev = await openEvidence(init.root, init.evidenceLimits);
  const sigma = await loadSigmaMatchers(init.rules);
  const ioc = intelMatchersFrom(init.iocs);
  const rules = createRuleSet((source) => [...sigma.forSource(source), ...ioc(source)]);
  port.on('message', (task: Task) => {
    readArtifact(ev, task, rules.forSource(task.source), init.ctx, init.readLimits).then(
      (result) => port.postMessage({ ok: true, result }),
      (e: unknown) => port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  });
}

if (parentPort) void main();
