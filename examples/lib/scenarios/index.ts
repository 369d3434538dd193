// The scenario registry: name to builder, in the order `--scenario all` writes them.

import { clean } from './clean.js';
import type { Scenario, ScenarioOptions } from './common.js';
import { compromised } from './compromised.js';
import { implanted } from './implanted.js';
import { probed } from './probed.js';
import { responder } from './responder.js';

export type { Scenario, ScenarioOptions } from './common.js';

export const SCENARIOS: Readonly<Record<string, (o: ScenarioOptions) => Scenario>> = {
  clean,
  probed,
  compromised,
  implanted,
  responder,
};
