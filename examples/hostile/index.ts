// The hostile cases, one registry: each class of damaged or adversarial evidence the scan must hold against.

import type { HostileCase } from './case.js';
import { EVTX_CASES } from './evtx.js';
import { FOLDER_CASES } from './folders.js';
import { TEXT_CASES } from './text.js';
import { WEB_CASES } from './web.js';
import { ZIP_CASES } from './zip.js';

export const HOSTILE_CASES: ReadonlyMap<string, HostileCase> = new Map(
  [...EVTX_CASES, ...TEXT_CASES, ...FOLDER_CASES, ...ZIP_CASES, ...WEB_CASES].map((c) => [c.id, c]),
);

export type { Expectation, HostileCase } from './case.js';
